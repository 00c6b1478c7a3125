// Starts the dev stack plus the test-only `testing` function, routed by the same Caddy snippets.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bun, root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";

export function buildTestingFunction() {
  const dir = join(root, "build/test");
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, "testing-entry.ts");
  writeFileSync(
    entry,
    `import fn from "../../test/support/testing-function.ts";\nimport { run } from "../../functions/_shared/run.ts";\nvoid run(fn);\n`,
  );
  execFileSync(bun, ["build", "--target=bun", "--bytecode", "--format=cjs", "--outdir", dir, entry], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  return join(dir, "testing-entry.js");
}

/** Set up (admin and a full-scope token in `stack.api`) unless `setUp: false`. @param {{ port?: number, env?: Record<string, string>, setUp?: boolean, log?: (chunk: Buffer) => void }} [options] */
export async function startTestingStack({ port, env = {}, setUp = true, log } = {}) {
  const bundle = buildTestingFunction();
  const caddyfile = join(root, "build/test/Caddyfile");
  writeFileSync(
    caddyfile,
    `{\n\tadmin unix/{$CARETAKER_RUN}/caddy-admin.sock\n\tauto_https off\n}\n\nimport ${join(root, "caddy/caretaker.caddy")}\n\nhttp://127.0.0.1:{$CARETAKER_PORT} {\n\tbind 127.0.0.1\n\timport function testing\n\timport caretaker\n}\n`,
  );
  return startStack({ port, env, caddyfile, extra: { testing: bundle }, setUp, log });
}
