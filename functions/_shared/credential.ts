// The one credential format of sessions and API tokens: `ct1.<base64url JSON payload>.<base64url
// Ed25519 signature>`. Only auth holds the private key; every function verifies with the public one.
import * as v from "valibot";
import { fromBase64Url, toBase64Url } from "./base64url.ts";

export const FunctionNameSchema = v.pipe(v.string(), v.regex(/^[a-z0-9]+$/, "a function name: lower-case letters and digits"), v.maxLength(32));

export const ScopeSchema = v.strictObject({
  functions: v.pipe(
    v.union([v.tuple([v.literal("*")]), v.pipe(v.array(FunctionNameSchema), v.minLength(1), v.maxLength(64))]),
    v.description('["*"] for every function, or the names of the functions this credential may call'),
  ),
  write: v.pipe(v.boolean(), v.description("false: read-only (GET and HEAD); true: also state-changing methods")),
});

export const CredentialPayloadSchema = v.strictObject({
  kind: v.picklist(["session", "token"]),
  /** random id: what revocation names, never a secret */
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
  /** a token's name, for the audit trail */
  name: v.optional(v.pipe(v.string(), v.maxLength(64))),
  iat: v.pipe(v.number(), v.integer()),
  exp: v.pipe(v.number(), v.integer()),
  /** sessions only: the idle deadline, moved on by POST /api/auth/refresh */
  idleExp: v.optional(v.pipe(v.number(), v.integer())),
  scope: ScopeSchema,
});

export type Scope = v.InferOutput<typeof ScopeSchema>;
export type CredentialPayload = v.InferOutput<typeof CredentialPayloadSchema>;

const prefix = "ct1";
const ed25519 = { name: "Ed25519" } as const;

function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new Error(`not a PEM ${label}`);
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ""), "base64"));
}

export function toPem(der: ArrayBuffer, label: string): string {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export function importPublicKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("spki", pemBody(pem, "PUBLIC KEY"), ed25519, false, ["verify"]);
}

export function importPrivateKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("pkcs8", pemBody(pem, "PRIVATE KEY"), ed25519, false, ["sign"]);
}

/** A new key pair as PEM texts (PKCS#8 private, SPKI public), as the first-boot job stores them. */
export async function generateSigningKeys(): Promise<{ privatePem: string; publicPem: string }> {
  const pair = (await crypto.subtle.generateKey(ed25519, true, ["sign", "verify"])) as CryptoKeyPair;
  const [privateDer, publicDer] = await Promise.all([
    crypto.subtle.exportKey("pkcs8", pair.privateKey),
    crypto.subtle.exportKey("spki", pair.publicKey),
  ]);
  return { privatePem: toPem(privateDer, "PRIVATE KEY"), publicPem: toPem(publicDer, "PUBLIC KEY") };
}

export async function signCredential(payload: CredentialPayload, privateKey: CryptoKey): Promise<string> {
  const body = toBase64Url(new TextEncoder().encode(JSON.stringify(payload)));
  const signed = new TextEncoder().encode(`${prefix}.${body}`);
  const signature = new Uint8Array(await crypto.subtle.sign(ed25519, privateKey, signed));
  return `${prefix}.${body}.${toBase64Url(signature)}`;
}

/** The payload when the signature holds and the payload has the expected shape; times are checked by the caller. */
export async function verifyCredential(text: string, publicKey: CryptoKey): Promise<CredentialPayload | undefined> {
  const parts = text.split(".");
  if (parts.length !== 3 || parts[0] !== prefix || text.length > 4096) return undefined;
  const signature = fromBase64Url(parts[2]);
  const body = fromBase64Url(parts[1]);
  if (!signature || !body || signature.byteLength !== 64) return undefined;
  const valid = await crypto.subtle.verify(ed25519, publicKey, signature as Uint8Array<ArrayBuffer>, new TextEncoder().encode(`${prefix}.${parts[1]}`));
  if (!valid) return undefined;
  try {
    const parsed = v.safeParse(CredentialPayloadSchema, JSON.parse(new TextDecoder().decode(body)));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

/** A random id for a credential (128 bits, base64url). */
export function newCredentialId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}
