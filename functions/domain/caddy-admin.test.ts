import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError } from "../_shared/errors.ts";
import { caddyAdmin, CaddyRefused } from "./caddy-admin.ts";

// a real Caddy whose admin API listens on a unix socket, as on the box
let caddy: ChildProcess;
let dir: string;
let socket: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "caddy-admin-"));
  socket = join(dir, "admin.sock");
  writeFileSync(join(dir, "Caddyfile"), `{\n\tadmin unix/${socket} {\n\t\torigins localhost\n\t}\n\tskip_install_trust\n}\n\nhttp://127.0.0.1:0 {\n\trespond "first"\n}\n`);
  caddy = spawn("/usr/bin/caddy", ["run", "--adapter", "caddyfile", "--config", join(dir, "Caddyfile")], {
    env: { PATH: "/usr/bin:/bin", XDG_CONFIG_HOME: join(dir, "config"), XDG_DATA_HOME: join(dir, "data") },
    stdio: "ignore",
  });
  for (let tries = 0; tries < 200 && !existsSync(socket); tries++) await new Promise((resolve) => setTimeout(resolve, 25));
});
afterAll(() => {
  caddy?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

describe("caddyAdmin(socketPath)", () => {
  it("reads the running config and loads a new one", async () => {
    const admin = caddyAdmin(socket);
    const config = await admin.getConfig();
    expect(config.admin.listen).toBe(`unix/${socket}`);
    expect(JSON.stringify(config)).toContain('"body":"first"');
    await admin.load(JSON.parse(JSON.stringify(config).replace('"body":"first"', '"body":"second"')));
    expect(JSON.stringify(await admin.getConfig())).toContain('"body":"second"');
  });
  it("keeps the running config when Caddy refuses a new one, and can be asked again at once", async () => {
    const admin = caddyAdmin(socket);
    const before = await admin.getConfig();
    const broken = structuredClone(before);
    broken.apps.tls = { automation: { policies: [{ issuers: [{ module: "no-such-issuer" }] }] } };
    const refusal = admin.load(broken);
    await expect(refusal).rejects.toBeInstanceOf(CaddyRefused);
    await expect(refusal).rejects.toThrow(/unknown module: tls\.issuance\.no-such-issuer/);
    // Caddy restarts its admin endpoint after a refused load too: the client waits it out
    expect(await admin.getConfig()).toEqual(before);
  });
  it("answers 502 when Caddy is not there", async () => {
    const error = await caddyAdmin(join(dir, "missing.sock")).getConfig().catch((thrown) => thrown);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 502, code: "caddy_unreachable" });
  }, 10_000);
});
