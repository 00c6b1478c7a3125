// Strict checks of the request line and of header (and trailer) field lines, usable on a line's prefix.
import { HttpError } from "../errors.ts";
import { badRequest, HTAB, KNOWN_METHODS, latin1, SP, TARGET, TOKEN, FIELD_VALUE } from "./syntax.ts";

export type HeaderList = Array<[name: string, value: string]>;

export interface RequestLine {
  method: string;
  target: string;
  version: "HTTP/1.0" | "HTTP/1.1";
}

const versions = ["HTTP/1.1", "HTTP/1.0"] as const;
const COLON = 0x3a;
// origin-form, asterisk-form or absolute-form; authority-form only comes with CONNECT
const targetForm = /^(?:\/|\*$|[A-Za-z][A-Za-z0-9+.-]*:\/\/)/;

/**
 * Parses a request line. With complete=false the line is a prefix still being received: it returns
 * undefined if the prefix can still become valid and throws as soon as it cannot.
 */
export function scanRequestLine(line: Uint8Array, complete: boolean): RequestLine | undefined {
  let index = 0;
  while (index < line.length && TOKEN[line[index]!]) index++;
  if (index === line.length) {
    if (!complete) return undefined;
    throw badRequest("the request line must be: method, space, target, space, HTTP version");
  }
  if (line[index] !== SP || index === 0) throw badRequest("invalid character in the method of the request line");
  const method = latin1(line, 0, index);
  if (!KNOWN_METHODS.has(method)) throw new HttpError(501, `unknown method ${method.slice(0, 40)}`);

  const targetStart = ++index;
  while (index < line.length && TARGET[line[index]!]) index++;
  if (index === line.length) {
    if (!complete) return undefined;
    throw badRequest(index === targetStart ? "missing request-target" : "missing HTTP version (HTTP/0.9 is not supported)");
  }
  if (line[index] !== SP || index === targetStart) throw badRequest("invalid character in the request-target");
  const target = latin1(line, targetStart, index);
  if (method !== "CONNECT" && !targetForm.test(target)) throw badRequest("the request-target must be a path or an absolute URL");

  const version = latin1(line, index + 1);
  const known = versions.find((candidate) => (complete ? candidate === version : candidate.startsWith(version)));
  if (known) return complete ? { method, target, version: known } : undefined;
  if (/^HTTP\/\d\.\d$/.test(version)) {
    throw new HttpError(505, `${version} is not supported: use HTTP/1.1`, { code: "http_version_not_supported" });
  }
  throw badRequest("invalid HTTP version in the request line (expected HTTP/1.1 or HTTP/1.0)");
}

/** Parses a header or trailer field line (never empty); like scanRequestLine, it checks prefixes too. */
export function scanFieldLine(line: Uint8Array, complete: boolean): [string, string] | undefined {
  if (line[0] === SP || line[0] === HTAB) {
    throw badRequest("a header line may not start with whitespace (obsolete line folding is not accepted)");
  }
  let index = 0;
  while (index < line.length && TOKEN[line[index]!]) index++;
  if (index === line.length) {
    if (!complete) return undefined;
    throw badRequest("a header line without a colon");
  }
  if (line[index] !== COLON) {
    const whitespace = line[index] === SP || line[index] === HTAB;
    throw badRequest(whitespace ? "whitespace before the colon of a header is not allowed" : "invalid character in a header name");
  }
  if (index === 0) throw badRequest("empty header name");
  const name = latin1(line, 0, index);

  let start = index + 1;
  for (let at = start; at < line.length; at++) {
    if (!FIELD_VALUE[line[at]!]) throw badRequest(`invalid character in the value of header ${name}`);
  }
  if (!complete) return undefined;
  // Leading and trailing whitespace is not part of a field value (RFC 9110, 5.5).
  let end = line.length;
  while (start < end && (line[start] === SP || line[start] === HTAB)) start++;
  while (end > start && (line[end - 1] === SP || line[end - 1] === HTAB)) end--;
  return [name, latin1(line, start, end)];
}
