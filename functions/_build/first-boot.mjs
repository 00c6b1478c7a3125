// Dev mode's stand-in for what systemd does for a unit at first boot and at each start: the
// first-boot job (signing keys, setup code), each unit's StateDirectory= and its LoadCredential=
// credentials (read from the unit file itself), and, for tests, completing setup over the API.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { bun, root } from "./build.mjs";

/** The directives of a function's unit that dev mode emulates; none for a test-only function. */
export function unitSandbox(name) {
  const path = join(root, "units", `caretaker-${name}@.service`);
  if (!existsSync(path)) return { credentials: [], stateDirectory: name };
  const text = readFileSync(path, "utf8");
  const values = (key) => [...text.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((match) => match[1].trim());
  const credentials = values("LoadCredential").map((value) => {
    const [id, ...source] = value.split(":");
    return { id, source: source.join(":") };
  });
  return { credentials, stateDirectory: values("StateDirectory").at(-1) ?? name };
}

/** Runs the first-boot job's bundle as systemd would at boot; returns the setup code it keeps. */
export function firstBoot(run) {
  const credstore = join(run, "credstore");
  const publicState = join(run, "public-state");
  mkdirSync(credstore, { recursive: true, mode: 0o700 });
  mkdirSync(publicState, { recursive: true, mode: 0o775 });
  execFileSync(bun, ["--no-env-file", join(root, "build/jobs/setup-code.js")], {
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", BUN_JSC_useJIT: "0", CARETAKER_CREDSTORE: credstore, CARETAKER_PUBLIC_STATE: publicState },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return { credstore, publicState, setupCode: readFileSync(join(credstore, "caretaker-setup-code"), "utf8").trim() };
}

/** What a function's process gets from its unit: STATE_DIRECTORY, CREDENTIALS_DIRECTORY (only the credentials it names), the public state. */
export function functionEnvironment(run, name, boot) {
  const { credentials, stateDirectory } = unitSandbox(name);
  const state = join(run, "state", stateDirectory);
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const env = { STATE_DIRECTORY: state, CARETAKER_PUBLIC_STATE: boot.publicState };
  if (credentials.length > 0) {
    const directory = join(run, "credentials", name);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    for (const { id, source } of credentials) {
      // the unit names /etc/credstore/<file>; dev mode's credstore is in the run folder
      const file = join(boot.credstore, basename(source));
      copyFileSync(file, join(directory, id));
      chmodSync(join(directory, id), 0o400);
    }
    env.CREDENTIALS_DIRECTORY = directory;
  }
  return env;
}

/**
 * Completes setup as the owner would (setup code, password, name), signs in and mints a full-scope
 * token, so tests can call every function with it. Returns the admin's password and the token.
 */
export async function completeSetup(url, setupCode) {
  const password = `dev-${crypto.randomUUID()}`;
  const post = (path, body, headers = {}) =>
    fetch(`${url}${path}`, { method: "POST", headers: { origin: url, "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const expectOk = async (response, what) => {
    if (!response.ok) throw new Error(`dev stack: ${what} answered ${response.status} ${await response.text()}`);
    return response;
  };
  await expectOk(await post("/api/setup/complete", { code: setupCode, password, box: { name: "127.0.0.1", tls: "internal" } }), "setup");
  const login = await expectOk(await post("/api/auth/login", { password }), "login");
  const cookie = login.headers.get("set-cookie").split(";")[0];
  const created = await expectOk(
    await post("/api/auth/tokens", { name: "dev-stack", expiresInDays: 1, scope: { functions: ["*"], write: true } }, { cookie }),
    "token",
  );
  return { password, cookie, token: (await created.json()).token };
}
