import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { httpsServerName, policyId, precheck, readSettings, withSettings } from "./caddy-config.ts";

// the appliance's own Caddyfile, adapted by the real caddy: what the box runs before any change
const appliance = JSON.parse(
  execFileSync("/usr/bin/caddy", ["adapt", "--adapter", "caddyfile", "--config", join(import.meta.dirname, "../../caddy/Caddyfile")], {
    env: { PATH: "/usr/bin:/bin" },
    stdio: ["ignore", "pipe", "ignore"],
  }).toString(),
);

describe("readSettings(config): the name and mode Caddy runs with", () => {
  it("finds no name in the appliance's first-boot config, and its on-demand internal fallback", () => {
    expect(httpsServerName(appliance)).toBeDefined();
    expect(readSettings(appliance)).toEqual({ name: null, tls: null, email: null, fallback: true });
  });
});

describe("withSettings(config, settings, acme): the config with a new name", () => {
  it("adds our policy and automates the name, touching nothing outside apps.tls", () => {
    const next = withSettings(appliance, { name: "box.local", tls: "internal" });
    expect(readSettings(next)).toEqual({ name: "box.local", tls: "internal", email: null, fallback: true });
    expect(next.apps.tls.automation.policies[0]).toEqual({ "@id": policyId, subjects: ["box.local"], issuers: [{ module: "internal" }] });
    expect(next.apps.tls.certificates.automate).toEqual(["box.local"]);
    expect(next.apps.http).toEqual(appliance.apps.http);
    expect(next.admin).toEqual(appliance.admin);
    expect(precheck(appliance, next, { name: "box.local", tls: "internal" })).toEqual([]);
  });
  it("replaces the previous name rather than adding to it, and keeps the fallback policy", () => {
    const first = withSettings(appliance, { name: "box.local", tls: "internal" });
    const second = withSettings(first, { name: "cloud.example.org", tls: "acme", email: "owner@example.org" }, { ca: "https://localhost:14000/dir", trustedRootsPemFiles: ["/tmp/root.pem"] });
    expect(second.apps.tls.certificates.automate).toEqual(["cloud.example.org"]);
    expect(second.apps.tls.automation.policies).toHaveLength(appliance.apps.tls.automation.policies.length + 1);
    expect(second.apps.tls.automation.policies[0].issuers).toEqual([
      { module: "acme", email: "owner@example.org", ca: "https://localhost:14000/dir", trusted_roots_pem_files: ["/tmp/root.pem"] },
    ]);
    expect(readSettings(second)).toEqual({ name: "cloud.example.org", tls: "acme", email: "owner@example.org", fallback: true });
  });
  it("leaves Let's Encrypt as the CA when no test CA is given", () => {
    const next = withSettings(appliance, { name: "cloud.example.org", tls: "acme", email: "owner@example.org" });
    expect(next.apps.tls.automation.policies[0].issuers).toEqual([{ module: "acme", email: "owner@example.org" }]);
  });
  it("does not change its input", () => {
    const before = JSON.stringify(appliance);
    withSettings(appliance, { name: "box.local", tls: "internal" });
    expect(JSON.stringify(appliance)).toBe(before);
  });
});

describe("precheck(running, next, settings): problems", () => {
  const settings = { name: "box.local", tls: "internal" } as const;
  it("catches a config that would move the admin endpoint (a /load without it moves it to TCP)", () => {
    const next = withSettings(appliance, settings);
    delete next.admin;
    expect(precheck(appliance, next, settings)).toContain("the admin endpoint would move");
  });
  it("catches a change outside apps.tls", () => {
    const next = withSettings(appliance, settings);
    next.apps.http.servers = {};
    expect(precheck(appliance, next, settings)).toEqual(expect.arrayContaining(["the new config changes more than apps.tls", "no server listens on the HTTPS port"]));
  });
  it("catches a config that does not say what was asked", () => {
    expect(precheck(appliance, withSettings(appliance, settings), { name: "other.local", tls: "internal" })).toEqual([
      "the new config does not read back as the requested settings",
    ]);
  });
});
