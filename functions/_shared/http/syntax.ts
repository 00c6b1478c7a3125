// Byte classes and constants of HTTP/1.1 message syntax (RFC 9110/9112) shared by the parsers.
import { HttpError } from "../errors.ts";

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;

function table(accepts: (byte: number) => boolean): Uint8Array {
  const bytes = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) bytes[byte] = accepts(byte) ? 1 : 0;
  return bytes;
}

const alphanumeric = (byte: number) =>
  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);

/** tchar: what header names, methods and chunk extension names are made of. */
export const TOKEN = table((byte) => alphanumeric(byte) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(byte)));

/** field-vchar plus SP and HTAB: VCHAR and obs-text, never CTLs or DEL. */
export const FIELD_VALUE = table((byte) => byte === HTAB || (byte >= SP && byte !== 0x7f));

/** Visible ASCII: the request-target may hold no space, CTL, DEL or non-ASCII byte (strict like llhttp). */
export const TARGET = table((byte) => byte > SP && byte < 0x7f);

/** qdtext and the second byte of a quoted-pair, for quoted chunk extension values. */
export const QUOTED_TEXT = table((byte) => byte === HTAB || (byte >= SP && byte !== 0x7f && byte !== 0x22 && byte !== 0x5c));

/** The value of a hex digit, or -1. */
export function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  return -1;
}

/**
 * The HTTP methods llhttp knows (its METHODS_HTTP list plus QUERY) minus PRI, which only opens an
 * HTTP/2 connection preface: anything else gets 501, so junk methods never reach a router.
 */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  "DELETE", "GET", "HEAD", "POST", "PUT", "CONNECT", "OPTIONS", "TRACE", "COPY", "LOCK", "MKCOL", "MOVE",
  "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK", "BIND", "REBIND", "UNBIND", "ACL", "REPORT", "MKACTIVITY",
  "CHECKOUT", "MERGE", "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "PATCH", "PURGE", "MKCALENDAR",
  "LINK", "UNLINK", "SOURCE", "QUERY",
]);

/** Bytes as a string of the same code units: header bytes are ISO-8859-1 as far as fetch's ByteString goes. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let text = "";
  for (let index = start; index < end; index += 4096) {
    text += String.fromCharCode(...bytes.subarray(index, Math.min(end, index + 4096)));
  }
  return text;
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}
