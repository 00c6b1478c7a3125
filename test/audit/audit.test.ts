// The audit function end to end under the dev stack: real bundles behind Caddy, its jobs spawned as in
// dev mode (sshd -T under setpriv as the job unit runs it), offline scores of the shipped unit files.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { CertificatesSchema, FunctionsSchema, PortsSchema, SshSchema, UpdatesSchema } from "../../functions/audit/schema.ts";
import { freePort } from "../support/processes.mjs";

let stack: { url: string; api: (path: string, init?: { method?: string; body?: unknown }) => Promise<Response>; stop(): Promise<void> };
let port: number;

beforeAll(async () => {
  port = await freePort();
  stack = await startStack({ port, setUp: true });
});
afterAll(() => stack?.stop());

async function getValid<S extends v.GenericSchema>(path: string, schema: S) {
  const response = await stack.api(`/api/audit${path}`);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  const parsed = v.safeParse(schema, JSON.parse(text));
  expect(parsed.issues).toBeUndefined();
  return { body: parsed.output as v.InferOutput<S>, text };
}

describe("GET /api/audit/functions", () => {
  test("scores every shipped unit offline, says so, and answers the same bytes twice", async () => {
    const { body, text } = await getValid("/functions", FunctionsSchema);
    expect(body.source).toBe("offline");
    const shipped = readdirSync(join(root, "units")).filter((file) => file.startsWith("caretaker-") && file.endsWith(".service")).sort();
    expect(body.units.map((unit) => unit.unit)).toEqual(shipped);
    const audit = body.units.find((unit) => unit.unit === "caretaker-audit@.service");
    expect(audit).toMatchObject({ kind: "function", function: "audit", user: { name: "caretaker-audit", dynamic: true }, capabilities: { bounding: [] }, network: { private: true } });
    expect(audit?.exposure.score).toBeLessThanOrEqual(1);
    expect(body.units.find((unit) => unit.unit === "caretaker-audit-ports.service")).toMatchObject({ kind: "job", function: "audit" });
    expect((await getValid("/functions", FunctionsSchema)).text).toBe(text);
  });
});

describe("GET /api/audit/ssh, /ports, /certificates, /updates", () => {
  test("ssh: this host's sshd, read by the job, with a verdict on password, root and keyboard-interactive login", async () => {
    const { body } = await getValid("/ssh", SshSchema);
    if (!body.installed) throw new Error(`the test host has openssh-server (testPackages): ${body.reason}`);
    expect(body.findings.map((finding) => finding.keyword).slice(0, 3)).toEqual(["passwordauthentication", "permitrootlogin", "kbdinteractiveauthentication"]);
    expect(body.files[0]).toBe("/etc/ssh/sshd_config");
  });
  test("ports: Caddy of this very stack, with its process", async () => {
    const { body } = await getValid("/ports", PortsSchema);
    const caddy = body.ports.find((entry) => entry.port === port && entry.protocol === "tcp");
    expect(caddy?.processes.map((process) => process.command)).toContain("caddy");
    // the dev Caddyfile binds to loopback (a site address alone would listen on every interface)
    expect(caddy).toMatchObject({ address: "127.0.0.1", exposed: false });
  });
  test("certificates and updates answer in their documented shapes", async () => {
    await getValid("/certificates", CertificatesSchema);
    const { body } = await getValid("/updates", UpdatesSchema);
    expect(body.available).toBe(true);
  }, 90_000);
  test("writes are refused with a JSON 405", async () => {
    const response = await stack.api("/api/audit/functions", { method: "POST", body: {} });
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });
});
