// The dev stack: every built function behind `systemd-socket-activate --accept` (one process per
// connection, as systemd does it) and the real Caddy in front, on loopback.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bun, functionNames, root } from "./build.mjs";
import { completeSetup, firstBoot, functionEnvironment } from "./first-boot.mjs";

const socketActivate = "/usr/bin/systemd-socket-activate";
const caddy = "/usr/bin/caddy";

async function waitFor(what, check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`dev stack: ${what} did not come up within ${timeoutMs} ms`);
}

function start(command, args, env, log) {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk) => log(chunk));
  child.stderr.on("data", (chunk) => log(chunk));
  return child;
}

/**
 * Starts the stack and resolves once the page answers. `env` reaches every function process
 * (tests use it for knobs such as CARETAKER_HEADER_TIMEOUT_MS); `log` receives all output;
 * `extra` adds test-only bundles by name and `caddyfile` a config that routes them; `wrap` is a
 * command put before each function's bun (the benchmark's /usr/bin/time). The first-boot job runs
 * first; `setUp` then completes setup over the API and `api()` carries a full-scope token.
 * @param {{ port?: number, env?: Record<string, string>, log?: (chunk: Buffer | string) => void,
 *   caddyfile?: string, extra?: Record<string, string>, wrap?: string[], setUp?: boolean }} [options]
 */
export async function startStack({ port = 8080, env = {}, log = () => {}, caddyfile, extra = {}, wrap = [], setUp = false } = {}) {
  if (!existsSync(join(root, "build/public/index.html"))) throw new Error("dev stack: run `npm run build` first");
  const run = mkdtempSync(join(tmpdir(), "caretaker-"));
  const children = [];
  const baseEnv = {
    PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
    LANG: "C.UTF-8",
    // the domain function: Caddy's admin socket and storage here, and its certificates job's report
    CARETAKER_CADDY_ADMIN: join(run, "caddy-admin.sock"),
    CARETAKER_CADDY_DATA: join(run, "data/caddy"),
    CARETAKER_DOMAIN_CERTIFICATES: join(run, "domain-certificates.json"),
    // the audit function scores the shipped unit files offline when systemd is not PID 1
    CARETAKER_UNIT_FILES: `${join(root, "units")}:${join(root, "socket-units")}`,
    ...env,
  };
  mkdirSync(join(run, "jobs"));
  const boot = firstBoot(run);
  const bundles = Object.fromEntries(functionNames().map((name) => [name, join(root, "build/functions", `${name}.js`)]));
  for (const [name, bundle] of Object.entries({ ...bundles, ...extra })) {
    const socket = join(run, `${name}.sock`);
    // what systemd gives a unit (StateDirectory=, LoadCredential=), and the dev job runner
    const functionEnv = { ...baseEnv, ...functionEnvironment(run, name, boot) };
    functionEnv.CARETAKER_DEV_JOBS = JSON.stringify({ bundles: join(root, "build/jobs"), states: join(run, "jobs"), bun, env: { ...functionEnv } });
    const passEnv = Object.entries({ BUN_JSC_useJIT: "0", ...functionEnv }).flatMap(([key, value]) => ["-E", `${key}=${value}`]);
    // systemd-socket-activate gives the child only the variables named with -E
    children.push(
      start(socketActivate, ["--accept", "-l", socket, ...passEnv, ...wrap, bun, "--no-env-file", bundle], process.env, log),
    );
    await waitFor(`the socket of ${name}`, () => existsSync(socket));
  }
  const caddyEnv = {
    ...process.env,
    CARETAKER_RUN: run,
    CARETAKER_SOCKETS: run,
    CARETAKER_PUBLIC: join(root, "build/public"),
    CARETAKER_PORT: String(port),
    XDG_CONFIG_HOME: join(run, "config"),
    XDG_DATA_HOME: join(run, "data"),
  };
  const proxy = start(caddy, ["run", "--adapter", "caddyfile", "--config", caddyfile ?? join(root, "caddy/Caddyfile.dev")], caddyEnv, log);
  children.push(proxy);
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  proxy.on("exit", () => (exited = true));
  await waitFor("Caddy", async () => {
    if (exited) throw new Error("dev stack: Caddy exited at start (is the port taken?)");
    return fetch(`${url}/`).then((response) => response.ok, () => false);
  });
  /** @type {{ password: string, cookie: string, token: string } | undefined} */
  let admin;
  if (setUp) admin = await completeSetup(url, boot.setupCode).catch(async (error) => {
    await stop();
    throw error;
  });

  async function stop() {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", resolve);
            child.kill("SIGTERM");
          }),
      ),
    );
    rmSync(run, { recursive: true, force: true });
  }
  /**
   * fetch() against the stack as a signed-in client would: same-origin Origin on writes, JSON
   * bodies, and the token minted by `setUp` unless the call sets its own Authorization header or
   * `anonymous: true`. Tests use it for every API call that is not about the door itself.
   * @param {string} path
   * @param {Omit<RequestInit, "body"> & { body?: unknown, anonymous?: boolean }} [init]
   */
  function api(path, { anonymous = false, ...init } = {}) {
    const headers = new Headers(init.headers);
    if (admin && !anonymous && !headers.has("authorization")) headers.set("authorization", `Bearer ${admin.token}`);
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD" && !headers.has("origin")) headers.set("origin", url);
    let body = init.body;
    if (body !== undefined && typeof body !== "string") {
      body = JSON.stringify(body);
      headers.set("content-type", "application/json");
    }
    return fetch(`${url}${path}`, { ...init, method, headers, body });
  }
  return { url, run, stop, api, setupCode: boot.setupCode, credstore: boot.credstore, publicState: boot.publicState, admin };
}
