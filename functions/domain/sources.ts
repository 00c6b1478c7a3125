// Where the domain function reads and changes things; tests swap in a temporary Caddy and storage.
import { caddyAdmin, type CaddyAdmin } from "./caddy-admin.ts";
import type { AcmeDirectory } from "./caddy-config.ts";
import { readCertificatesThroughJob } from "./certificate-report.ts";
import type { StoredCertificate } from "./certificates.ts";

export interface DomainSources {
  admin: CaddyAdmin;
  readCertificates(): Promise<StoredCertificate[]>;
  acme: AcmeDirectory;
  /** how long a change may wait for its certificate before it is undone */
  issueTimeoutMs: number;
  now(): Date;
}

export function defaultSources(): DomainSources {
  const env = process.env;
  return {
    admin: caddyAdmin(),
    readCertificates: () => readCertificatesThroughJob(),
    // test-only (Pebble): production leaves both unset and gets Let's Encrypt, trusted by the system roots
    acme: { ca: env.CARETAKER_ACME_CA || undefined, trustedRootsPemFiles: env.CARETAKER_ACME_CA_ROOT ? [env.CARETAKER_ACME_CA_ROOT] : undefined },
    issueTimeoutMs: Number(env.CARETAKER_DOMAIN_ISSUE_TIMEOUT_MS) || 45_000,
    now: () => new Date(),
  };
}
