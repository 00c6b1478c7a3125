// The domain function behind real Caddy running the appliance Caddyfile: changing the name or TLS
// mode changes the certificate Caddy presents; Pebble (Let's Encrypt's test server) stands in for
// Let's Encrypt and really validates; a change that fails leaves the running config as it was.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { caddyAdmin } from "../../functions/domain/caddy-admin.ts";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { applianceCaddyfile, withCaddyfile } from "./appliance-caddy.mjs";
import { startPebble } from "./pebble.mjs";
import { presentedCertificate } from "./tls-probe.mjs";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let pebble: Awaited<ReturnType<typeof startPebble>>;
let httpsPort: number;
const localCA = "Caddy Local Authority - ECC Intermediate";

beforeAll(async () => {
  const [httpPort, port, pebblePort, dnsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  httpsPort = await freePort();
  pebble = await startPebble({ httpPort, httpsPort, port: pebblePort, dnsPort });
  stack = await startStack(
    withCaddyfile(applianceCaddyfile({ httpPort, httpsPort }), {
      port,
      env: { CARETAKER_ACME_CA: pebble.directory, CARETAKER_ACME_CA_ROOT: pebble.root, CARETAKER_DOMAIN_ISSUE_TIMEOUT_MS: "8000" },
      setUp: true,
    }),
  );
});
afterAll(async () => {
  await stack?.stop();
  await pebble?.stop();
});

const admin = () => caddyAdmin(join(stack.run, "caddy-admin.sock"));
const status = async () => (await stack.api("/api/domain/status")).json();
const change = (body: unknown) => stack.api("/api/domain/settings", { method: "PUT", body });

describe("domain through Caddy", () => {
  test("before any name: no name, and every address answered by Caddy's internal CA", async () => {
    const first = await status();
    expect(first).toMatchObject({ name: null, tls: null, fallback: true, certificate: null, renewal: { state: "not-managed" } });
    expect((await presentedCertificate(httpsPort, "anything.local")).issuer).toBe(localCA);
  });

  test("setup's choice (box.json) is applied on request; without one it is 409", async () => {
    const chosen = JSON.parse(readFileSync(join(stack.publicState, "box.json"), "utf8"));
    const applied = await stack.api("/api/domain/apply-setup", { method: "POST", body: {} });
    expect(applied.status, await applied.clone().text()).toBe(200);
    const body = await applied.json();
    expect(body).toMatchObject({ name: chosen.name, tls: chosen.tls, certificate: { issuer: localCA, names: [chosen.name] } });
    expect(await presentedCertificate(httpsPort, chosen.name)).toMatchObject({ fingerprint256: body.certificate.fingerprint256 });
    rmSync(join(stack.publicState, "box.json"));
    const missing = await stack.api("/api/domain/apply-setup", { method: "POST", body: {} });
    expect(missing.status).toBe(409);
    expect((await missing.json()).error.code).toBe("setup_pending");
    writeFileSync(join(stack.publicState, "box.json"), JSON.stringify(chosen));
  });

  test("a .local name with tls internal: Caddy presents a certificate for it from its local CA", async () => {
    const response = await change({ name: "box-a.local", tls: "internal" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ name: "box-a.local", kind: "mdns", tls: "internal", email: null, renewal: { state: "scheduled" } });
    expect(body.certificate).toMatchObject({ issuer: localCA, issuerKind: "internal", names: ["box-a.local"] });
    const presented = await presentedCertificate(httpsPort, "box-a.local");
    expect(presented).toEqual({ issuer: localCA, names: ["box-a.local"], fingerprint256: body.certificate.fingerprint256 });
    expect(await status()).toMatchObject({ name: "box-a.local", certificate: { fingerprint256: body.certificate.fingerprint256 } });
  });

  test("invalid settings are 422 naming the field, and change nothing", async () => {
    const before = await admin().getConfig();
    const cases: [unknown, string][] = [
      [{ name: "*.example.org", tls: "internal" }, "body.name: a wildcard"],
      [{ name: "box-a.local", tls: "acme", email: "owner@example.org" }, "body.name: Let's Encrypt"],
      [{ name: "192.168.1.20", tls: "acme", email: "owner@example.org" }, "body.name: Let's Encrypt"],
      [{ name: "cloud.example.org", tls: "acme" }, "body.email: Let's Encrypt"],
      [{ name: "cloud.example.org", tls: "acme", email: "not-an-address" }, "body.email"],
      [{ name: "box_a.local", tls: "internal" }, "body.name"],
      [{ name: "box-a.local", tls: "self-signed" }, "body.tls"],
    ];
    for (const [body, message] of cases) {
      const response = await change(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await response.json()).error).toMatchObject({ code: "invalid_input", message: expect.stringContaining(message) });
    }
    expect(await admin().getConfig()).toEqual(before);
  });

  test("a public name with ACME: Pebble validates the challenge against Caddy and issues the certificate", async () => {
    const response = await change({ name: "cloud.example.org", tls: "acme", email: "owner@example.org" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ name: "cloud.example.org", kind: "public", tls: "acme", email: "owner@example.org" });
    expect(body.certificate).toMatchObject({ issuerKind: "acme", names: ["cloud.example.org"], issuer: expect.stringMatching(/^Pebble Intermediate CA/) });
    expect(await presentedCertificate(httpsPort, "cloud.example.org")).toMatchObject({ fingerprint256: body.certificate.fingerprint256 });
    // the old name is no longer managed: it falls back to an on-demand internal certificate
    expect((await presentedCertificate(httpsPort, "box-a.local")).issuer).toBe(localCA);
  });

  test("the same name back to tls internal: the local CA's certificate replaces Pebble's", async () => {
    const body = await (await change({ name: "cloud.example.org", tls: "internal" })).json();
    expect(body).toMatchObject({ tls: "internal", email: null, certificate: { issuer: localCA, names: ["cloud.example.org"] } });
    expect(await presentedCertificate(httpsPort, "cloud.example.org")).toMatchObject({ issuer: localCA, fingerprint256: body.certificate.fingerprint256 });
    expect((await (await change({ name: "cloud.example.org", tls: "acme", email: "owner@example.org" })).json()).certificate.issuerKind).toBe("acme");
  });

  test("a change whose certificate never comes (the CA is down) is undone: the previous config keeps working", async () => {
    const before = await admin().getConfig();
    const working = await presentedCertificate(httpsPort, "cloud.example.org");
    await pebble.kill();
    const started = Date.now();
    const response = await change({ name: "other.example.org", tls: "acme", email: "owner@example.org" });
    expect(response.status).toBe(502);
    expect((await response.json()).error).toMatchObject({ code: "change_failed", message: expect.stringContaining("the previous configuration is back in place") });
    expect(Date.now() - started).toBeGreaterThanOrEqual(8000);
    expect(await admin().getConfig()).toEqual(before);
    expect(await status()).toMatchObject({ name: "cloud.example.org", tls: "acme" });
    expect(await presentedCertificate(httpsPort, "cloud.example.org")).toEqual(working);
  }, 40_000);

});

describe("a config Caddy refuses", () => {
  let refusing: Stack;
  beforeAll(async () => {
    const [httpPort, port] = [await freePort(), await freePort()];
    // an ACME root file that does not exist: Caddy's provisioning of the issuer fails, so /load does
    refusing = await startStack(
      withCaddyfile(applianceCaddyfile({ httpPort, httpsPort: await freePort() }), {
        port,
        env: { CARETAKER_ACME_CA: "https://localhost:1/dir", CARETAKER_ACME_CA_ROOT: "/nonexistent/root.pem" },
        setUp: true,
      }),
    );
  });
  afterAll(async () => {
    await refusing?.stop();
  });

  test("is 502 with Caddy's reason, and the running config stays as it was", async () => {
    const refusingAdmin = caddyAdmin(join(refusing.run, "caddy-admin.sock"));
    const ok = await refusing.api("/api/domain/settings", { method: "PUT", body: { name: "box-b.local", tls: "internal" } });
    expect(ok.status).toBe(200);
    const before = await refusingAdmin.getConfig();
    const response = await refusing.api("/api/domain/settings", { method: "PUT", body: { name: "cloud.example.org", tls: "acme", email: "owner@example.org" } });
    expect(response.status).toBe(502);
    expect((await response.json()).error).toMatchObject({ code: "caddy_refused", message: expect.stringMatching(/nonexistent\/root\.pem.*the previous configuration stays in place/s) });
    expect(await refusingAdmin.getConfig()).toEqual(before);
    expect(await (await refusing.api("/api/domain/status")).json()).toMatchObject({ name: "box-b.local", tls: "internal" });
  });
});
