// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30 s steps, 6 digits,
// accepting one step either side for clock drift, as authenticator apps expect.
import { fromBase32, toBase32 } from "./base64url.ts";

export interface TotpOptions {
  stepSeconds?: number;
  digits?: number;
  hash?: "SHA-1" | "SHA-256" | "SHA-512";
}

/** HOTP(K, C) of RFC 4226: dynamic truncation of HMAC(K, C) to `digits` decimal digits. */
export async function hotp(secret: Uint8Array, counter: number, digits = 6, hash: TotpOptions["hash"] = "SHA-1"): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secret as Uint8Array<ArrayBuffer>, { name: "HMAC", hash }, false, ["sign"]);
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message.buffer));
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The TOTP code at a time (seconds since the epoch). */
export function totpAt(secret: Uint8Array, unixSeconds: number, options: TotpOptions = {}): Promise<string> {
  return hotp(secret, Math.floor(unixSeconds / (options.stepSeconds ?? 30)), options.digits ?? 6, options.hash ?? "SHA-1");
}

/**
 * The time step a code matches, trying the current step and one either side; undefined when none.
 * The caller refuses a step it has already accepted once, so a code cannot be replayed.
 */
export async function matchTotp(secretBase32: string, code: string, unixSeconds: number): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const secret = fromBase32(secretBase32);
  const step = Math.floor(unixSeconds / 30);
  for (const candidate of [step, step - 1, step + 1]) {
    if ((await hotp(secret, candidate)) === code) return candidate;
  }
  return undefined;
}

/** A new 160-bit secret (RFC 4226 recommends the HMAC-SHA1 output size), base32 for the app. */
export function newTotpSecret(): string {
  return toBase32(crypto.getRandomValues(new Uint8Array(20)));
}

/** The otpauth:// URI authenticator apps read from a QR code or a link. */
export function otpauthUri(secretBase32: string, account: string, issuer = "caretaker"): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  return `otpauth://totp/${label}?secret=${secretBase32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}
