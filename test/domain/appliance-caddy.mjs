// The appliance Caddyfile (caddy/Caddyfile) made runnable beside the dev stack: its admin socket in
// the run folder, its HTTP/HTTPS ports free ones, plus the loopback site stack.api() talks to.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../../functions/_build/build.mjs";

export function applianceCaddyfile({ httpPort, httpsPort }) {
  let text = readFileSync(join(root, "caddy/Caddyfile"), "utf8");
  const edits = [
    ["admin unix//run/caddy/admin.sock {", `http_port ${httpPort}\n\thttps_port ${httpsPort}\n\tadmin unix/{$CARETAKER_RUN}/caddy-admin.sock {`],
    ["import caretaker.caddy", `import ${join(root, "caddy/caretaker.caddy")}`],
    [":443 {", `:${httpsPort} {`],
    [":80 {", `:${httpPort} {`],
  ];
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`caddy/Caddyfile no longer contains "${from}": update test/domain/appliance-caddy.mjs`);
    text = text.replace(from, to);
  }
  text += `\nhttp://127.0.0.1:{$CARETAKER_PORT} {\n\timport caretaker\n}\n`;
  mkdirSync(join(root, "build/test"), { recursive: true });
  const file = join(root, "build/test", `Caddyfile.appliance-${httpsPort}`);
  writeFileSync(file, text);
  return file;
}

/**
 * startStack's options with `caddyfile` added: its JSDoc-inferred type leaves the option out, so
 * typed tests pass it through this instead of an object literal.
 * @template T
 * @param {string} caddyfile
 * @param {T} options
 * @returns {T}
 */
export function withCaddyfile(caddyfile, options) {
  return { ...options, caddyfile };
}
