// The one-time setup code: 16 characters of an unambiguous alphabet (80 bits), shown in groups of four.
import { createHash, timingSafeEqual } from "node:crypto";

// no 0/O, 1/I/L, U: what a person reads off a console must be typed back without guessing
const alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

export function newSetupCode(): string {
  const chars: string[] = [];
  // rejection sampling keeps every character equally likely
  while (chars.length < 16) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < 240 && chars.length < 16) chars.push(alphabet[byte % 30]);
    }
  }
  return [0, 4, 8, 12].map((start) => chars.slice(start, start + 4).join("")).join("-");
}

/** What the owner typed, as the stored code is compared: upper case, no dashes or spaces. */
export function normalizeSetupCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, "");
}

/** Constant-time comparison (over hashes, so lengths leak nothing). */
export function setupCodeMatches(typed: string, stored: string): boolean {
  const digest = (text: string) => createHash("sha256").update(normalizeSetupCode(text)).digest();
  return normalizeSetupCode(stored).length === 16 && timingSafeEqual(digest(typed), digest(stored));
}
