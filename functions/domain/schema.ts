// The domain function's request and response schemas (also its OpenAPI description) and their types.
import * as v from "valibot";
import { classifyName } from "./name.ts";

const iso = (what: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(what));

function isPublicName(name: string): boolean {
  const result = classifyName(name);
  return "kind" in result && result.kind === "public";
}

export const NameSchema = v.pipe(
  v.string(),
  v.maxLength(253),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const result = classifyName(dataset.value);
    if ("problem" in result) addIssue({ message: result.problem });
  }),
  v.description("an IPv4/IPv6 address, a .local (mDNS) name, or a public DNS name; no wildcards"),
);

export const TlsModeSchema = v.pipe(
  v.picklist(["internal", "acme"]),
  v.description('"internal": Caddy\'s own CA (IPs, .local names); "acme": Let\'s Encrypt (public names only)'),
);

/** What the owner sets, and what setup leaves in box.json for this function to apply. */
export const SettingsSchema = v.pipe(
  v.strictObject({
    name: NameSchema,
    tls: TlsModeSchema,
    email: v.optional(v.pipe(v.string(), v.trim(), v.email(), v.maxLength(254), v.description("contact address for Let's Encrypt; required with tls \"acme\""))),
  }),
  v.forward(
    v.partialCheck([["name"], ["tls"]], ({ name, tls }) => tls !== "acme" || isPublicName(name),
      "Let's Encrypt (tls \"acme\") needs a public DNS name; use tls \"internal\" for an IP or a .local name"),
    ["name"],
  ),
  v.forward(
    v.partialCheck([["tls"], ["email"]], ({ tls, email }) => tls !== "acme" || Boolean(email), "Let's Encrypt (tls \"acme\") needs a contact address"),
    ["email"],
  ),
);

export const CertificateSchema = v.strictObject({
  issuer: v.pipe(v.string(), v.description("the issuer's common name (e.g. R11, Caddy Local Authority - ECC Intermediate)")),
  issuerKind: v.pipe(v.picklist(["internal", "acme"]), v.description("who issued it: Caddy's local CA, or an ACME CA")),
  names: v.pipe(v.array(v.string()), v.description("subject alternative names (DNS names and IP addresses)")),
  notBefore: iso("start of validity"),
  notAfter: iso("end of validity"),
  daysLeft: v.pipe(v.number(), v.description("days until notAfter, one decimal; negative once expired")),
  lifetimeDays: v.pipe(v.number(), v.description("notAfter - notBefore in days, one decimal")),
  serial: v.pipe(v.string(), v.description("serial number, hex")),
  fingerprint256: v.pipe(v.string(), v.description("SHA-256 fingerprint, colon-separated hex")),
});

export const RenewalSchema = v.strictObject({
  state: v.pipe(
    v.picklist(["scheduled", "due", "overdue", "expired", "missing", "not-managed"]),
    v.description(
      "scheduled: before the renewal window; due: inside it, Caddy renews at its next check (every 10 minutes); overdue: due for over a sixth of the lifetime, renewal is failing; expired; missing: no certificate yet; not-managed: no name is set",
    ),
  ),
  renewsAfter: v.pipe(v.nullable(v.pipe(v.string(), v.isoTimestamp())), v.description("when the renewal window opens: the last third of the lifetime, as Caddy renews")),
  message: v.pipe(v.string(), v.description("the state in a sentence")),
});

export const StatusSchema = v.strictObject({
  name: v.pipe(v.nullable(v.string()), v.description("the box's name; null until setup or the owner sets one")),
  kind: v.pipe(v.nullable(v.picklist(["ip", "mdns", "public"])), v.description("what kind of name it is")),
  tls: v.pipe(v.nullable(TlsModeSchema), v.description("TLS mode for the name; null while no name is set")),
  email: v.pipe(v.nullable(v.string()), v.description("ACME contact address; null with tls internal")),
  fallback: v.pipe(
    v.boolean(),
    v.description("whether any other address (e.g. the box's IP) is still answered with a certificate from Caddy's internal CA, issued on demand"),
  ),
  certificate: v.pipe(v.nullable(CertificateSchema), v.description("the newest valid certificate Caddy holds for the name from the mode's issuer; null if none yet")),
  renewal: RenewalSchema,
  checkedAt: iso("when this status was read"),
});

export type Settings = v.InferOutput<typeof SettingsSchema>;
export type TlsMode = v.InferOutput<typeof TlsModeSchema>;
export type Certificate = v.InferOutput<typeof CertificateSchema>;
export type Renewal = v.InferOutput<typeof RenewalSchema>;
export type Status = v.InferOutput<typeof StatusSchema>;
