// Which stored certificate serves the box's name, and where it stands in Caddy's renewal cycle.
import type { StoredCertificate } from "./certificates.ts";
import type { Certificate, Renewal, TlsMode } from "./schema.ts";

const day = 86_400_000;
const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/** The newest certificate for `name` from the issuer the mode uses; expired ones count too (to say so). */
export function pickCertificate(stored: readonly StoredCertificate[], name: string, tls: TlsMode): StoredCertificate | undefined {
  return stored
    .filter((entry) => entry.names.includes(name.toLowerCase()))
    .filter((entry) => (tls === "internal") === (entry.issuerDirectory === "local"))
    .sort((a, b) => Date.parse(b.notBefore) - Date.parse(a.notBefore))[0];
}

export function certificateFacts(entry: StoredCertificate, now: Date): Certificate {
  const from = Date.parse(entry.notBefore);
  const to = Date.parse(entry.notAfter);
  return {
    issuer: entry.issuer,
    issuerKind: entry.issuerDirectory === "local" ? "internal" : "acme",
    names: entry.names,
    notBefore: entry.notBefore,
    notAfter: entry.notAfter,
    daysLeft: oneDecimal((to - now.getTime()) / day),
    lifetimeDays: oneDecimal((to - from) / day),
    serial: entry.serial,
    fingerprint256: entry.fingerprint256,
  };
}

/**
 * Caddy (certmagic) renews once a third of the lifetime is left and checks every 10 minutes; a
 * certificate still in that window after another sixth of its lifetime means renewal keeps failing.
 */
export function renewalOf(certificate: Certificate | null, name: string | null, now: Date): Renewal {
  if (!name) return { state: "not-managed", renewsAfter: null, message: "No name is set: Caddy answers with certificates from its internal CA, issued on demand." };
  if (!certificate) return { state: "missing", renewsAfter: null, message: `Caddy holds no certificate for ${name} yet.` };
  const from = Date.parse(certificate.notBefore);
  const to = Date.parse(certificate.notAfter);
  const lifetime = to - from;
  const windowOpens = to - lifetime / 3;
  const renewsAfter = new Date(windowOpens).toISOString();
  const at = now.getTime();
  if (at >= to) return { state: "expired", renewsAfter, message: `The certificate expired on ${certificate.notAfter}; Caddy has not renewed it.` };
  if (at >= windowOpens + lifetime / 6) return { state: "overdue", renewsAfter, message: "Renewal is overdue: Caddy has been trying to renew for a while; see Caddy's journal." };
  if (at >= windowOpens) return { state: "due", renewsAfter, message: "Renewal is due: Caddy renews at its next check (every 10 minutes)." };
  return { state: "scheduled", renewsAfter, message: `Caddy renews the certificate automatically from ${renewsAfter}.` };
}
