// Reads and saves the owner's DynDNS settings; the secret goes to its own 0600 file and never comes back out.
import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { HttpError } from "../_shared/errors.ts";
import { SettingsSchema, type Settings, type SettingsInput } from "./schema.ts";
import { readJson, secretName, writeFileAtomic, writeJson } from "./state-files.ts";

const settingsFile = "settings.json";

/** What a box that was never set up shows in the form: IPv6 from its own address, IPv4 from a lookup. */
export const defaultSettings: Settings = {
  configured: false,
  revision: 0,
  enabled: false,
  hostname: "",
  provider: { kind: "desec" },
  secretSet: false,
  ipv4: { enabled: true, lookupUrl: "https://ipv4.icanhazip.com" },
  ipv6: { enabled: true },
};

const StoredSchema = v.omit(SettingsSchema, ["configured", "secretSet"]);
export type StoredSettings = v.InferOutput<typeof StoredSchema>;

function secretSet(dir: string): boolean {
  const path = join(dir, secretName);
  return existsSync(path) && statSync(path).size > 0;
}

export function readSettings(dir: string): Settings {
  const raw = readJson(dir, settingsFile);
  if (raw === undefined) return { ...defaultSettings, secretSet: secretSet(dir) };
  const stored = v.parse(StoredSchema, raw);
  return { configured: true, ...stored, secretSet: secretSet(dir) };
}

/**
 * Saves new settings and bumps the revision (which lifts a stop). The secret is written first, so
 * the job never pairs new settings with an old secret; a new provider needs its own secret.
 */
export function saveSettings(dir: string, input: SettingsInput): Settings {
  const current = readSettings(dir);
  const providerChanged = current.configured && current.provider.kind !== input.provider.kind;
  if (input.secret === undefined && (providerChanged || !current.secretSet)) {
    throw new HttpError(422, `body.secret: the ${input.provider.kind} ${input.provider.kind === "dyndns2" ? "password" : "token"} is needed${providerChanged ? " when the provider changes" : ""}`);
  }
  if (input.provider.kind === "duckdns" && !input.hostname.endsWith(".duckdns.org")) {
    throw new HttpError(422, "body.hostname: a DuckDNS name ends in .duckdns.org");
  }
  if (input.provider.kind === "cloudflare" && input.hostname !== input.provider.zone && !input.hostname.endsWith(`.${input.provider.zone}`)) {
    throw new HttpError(422, `body.hostname: ${input.hostname} is not inside the zone ${input.provider.zone}`);
  }
  if (!input.ipv4.enabled && !input.ipv6.enabled) {
    throw new HttpError(422, "body.ipv4.enabled: turn on IPv4 or IPv6 (or both)");
  }
  if (input.secret !== undefined) writeFileAtomic(dir, secretName, input.secret);
  const { secret: _secret, ...rest } = input;
  const stored: StoredSettings = { ...rest, revision: current.revision + 1 };
  writeJson(dir, settingsFile, stored);
  return readSettings(dir);
}

/** Forgets everything: settings, secret and the job's record; the box is as if DynDNS was never set up. */
export function forgetSettings(dir: string): Settings {
  for (const file of [settingsFile, secretName, "status.json"]) rmSync(join(dir, file), { force: true });
  return readSettings(dir);
}
