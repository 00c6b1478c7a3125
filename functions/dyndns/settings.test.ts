// readSettings(dir) and saveSettings(dir, input): defaults, the secret file, and refusals that name the field.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { defaultSettings, readSettings, saveSettings } from "./settings.ts";
import type { SettingsInput } from "./schema.ts";

const input: SettingsInput = {
  enabled: true, hostname: "box.dedyn.io", provider: { kind: "desec" }, secret: "token-1",
  ipv4: { enabled: true, lookupUrl: "https://ipv4.icanhazip.com" }, ipv6: { enabled: true },
};

test("a fresh box shows the defaults, unconfigured", () => {
  expect(readSettings(mkdtempSync(join(tmpdir(), "dyndns-")))).toEqual(defaultSettings);
});

test("saving stores the secret in a 0600 file, never in the settings, and bumps the revision", () => {
  const dir = mkdtempSync(join(tmpdir(), "dyndns-"));
  const saved = saveSettings(dir, input);
  expect(saved).toMatchObject({ configured: true, revision: 1, secretSet: true, hostname: "box.dedyn.io" });
  expect(saved).not.toHaveProperty("secret");
  expect(readFileSync(join(dir, "provider-secret"), "utf8")).toBe("token-1");
  expect(statSync(join(dir, "provider-secret")).mode & 0o777).toBe(0o600);
  expect(readFileSync(join(dir, "settings.json"), "utf8")).not.toContain("token-1");
  const { secret: _, ...withoutSecret } = input;
  expect(saveSettings(dir, withoutSecret)).toMatchObject({ revision: 2, secretSet: true });
  expect(readFileSync(join(dir, "provider-secret"), "utf8")).toBe("token-1");
});

test("a new provider needs its own secret; mismatched names are refused with the field", () => {
  const dir = mkdtempSync(join(tmpdir(), "dyndns-"));
  saveSettings(dir, input);
  const { secret: _, ...withoutSecret } = input;
  expect(() => saveSettings(dir, { ...withoutSecret, provider: { kind: "dynv6" } })).toThrow(/^body\.secret: .*when the provider changes/);
  expect(() => saveSettings(dir, { ...input, provider: { kind: "duckdns" } })).toThrow(/^body\.hostname: a DuckDNS name/);
  expect(() => saveSettings(dir, { ...input, provider: { kind: "cloudflare", zone: "example.org" } })).toThrow(/^body\.hostname: box\.dedyn\.io is not inside/);
  expect(() => saveSettings(dir, { ...input, ipv4: { ...input.ipv4, enabled: false }, ipv6: { enabled: false } })).toThrow(/^body\.ipv4\.enabled/);
  expect(readSettings(dir)).toMatchObject({ revision: 1, provider: { kind: "desec" } });
});
