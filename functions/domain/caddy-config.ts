// Reads the box's name and TLS mode from Caddy's JSON config and computes the config with new ones.
// Only apps.tls changes: one automation policy of ours (tagged "@id") and the name in
// certificates.automate, so Caddy obtains and renews the certificate before anyone asks.
import { isDeepStrictEqual } from "node:util";
import type { CaddyConfig } from "./caddy-admin.ts";
import { nameKind } from "./name.ts";
import type { Settings, TlsMode } from "./schema.ts";

export const policyId = "caretaker-domain";

/** Test-only: an ACME CA other than Let's Encrypt (Pebble), and the root that signs its directory. */
export interface AcmeDirectory {
  ca?: string;
  trustedRootsPemFiles?: string[];
}

export interface CurrentSettings {
  name: string | null;
  tls: TlsMode | null;
  email: string | null;
  fallback: boolean;
}

/** The server Caddy serves HTTPS with: the one listening on the http app's https_port (443). */
export function httpsServerName(config: CaddyConfig): string | undefined {
  const http = config.apps?.http;
  const port = String(http?.https_port ?? 443);
  return Object.entries<any>(http?.servers ?? {}).find(([, server]) =>
    (server.listen ?? []).some((address: string) => address.slice(address.lastIndexOf(":") + 1) === port),
  )?.[0];
}

const policies = (config: CaddyConfig): any[] => config.apps?.tls?.automation?.policies ?? [];

export function readSettings(config: CaddyConfig): CurrentSettings {
  const ours = policies(config).find((policy) => policy["@id"] === policyId);
  const issuer = ours?.issuers?.[0];
  const fallback = policies(config).some(
    (policy) => policy.on_demand && !policy.subjects?.length && (policy.issuers ?? []).some((each: any) => each.module === "internal"),
  );
  if (!ours || !ours.subjects?.[0]) return { name: null, tls: null, email: null, fallback };
  return {
    name: ours.subjects[0],
    tls: issuer?.module === "acme" ? "acme" : "internal",
    email: issuer?.module === "acme" ? (issuer.email ?? null) : null,
    fallback,
  };
}

function issuerFor(settings: Settings, acme: AcmeDirectory) {
  if (settings.tls === "internal") return { module: "internal" };
  return {
    module: "acme",
    email: settings.email,
    ...(acme.ca ? { ca: acme.ca } : {}),
    ...(acme.trustedRootsPemFiles?.length ? { trusted_roots_pem_files: acme.trustedRootsPemFiles } : {}),
  };
}

/** The config with `settings` in place of the current name and mode; everything else untouched. */
export function withSettings(config: CaddyConfig, settings: Settings, acme: AcmeDirectory = {}): CaddyConfig {
  const next = structuredClone(config);
  const previous = readSettings(config).name;
  next.apps ??= {};
  next.apps.tls ??= {};
  const tls = next.apps.tls;
  tls.automation ??= {};
  tls.automation.policies = [
    { "@id": policyId, subjects: [settings.name], issuers: [issuerFor(settings, acme)] },
    ...policies(config).filter((policy) => policy["@id"] !== policyId),
  ];
  tls.certificates ??= {};
  const automate: string[] = (tls.certificates.automate ?? []).filter((name: string) => name !== previous && name !== settings.name);
  tls.certificates.automate = [settings.name, ...automate];
  return next;
}

/**
 * Our own check before Caddy's: the new config differs from the running one in apps.tls only, keeps
 * the admin endpoint where it is (a config without it moves the admin API to TCP), and says what we meant.
 */
export function precheck(running: CaddyConfig, next: CaddyConfig, settings: Settings): string[] {
  const problems: string[] = [];
  const outside = (config: CaddyConfig) => ({ ...config, apps: { ...config.apps, tls: undefined } });
  if (!isDeepStrictEqual(outside(running), outside(next))) problems.push("the new config changes more than apps.tls");
  if (!next.admin?.listen || next.admin.listen !== running.admin?.listen) problems.push("the admin endpoint would move");
  if (!httpsServerName(next)) problems.push("no server listens on the HTTPS port");
  const read = readSettings(next);
  if (read.name !== settings.name || read.tls !== settings.tls || read.email !== (settings.tls === "acme" ? settings.email : null)) {
    problems.push("the new config does not read back as the requested settings");
  }
  if (settings.tls === "acme" && nameKind(settings.name) !== "public") problems.push("ACME needs a public name");
  return problems;
}
