// Turns a parsed request head into the absolute URL a web Request needs, refusing what an origin server does not serve.
import { HttpError } from "../errors.ts";
import type { RequestHead } from "./parser.ts";

// uri-host [ ":" port ]: an IP literal in brackets, or reg-name / IPv4 characters
const hostPattern = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%!$&'()*+,;=]+)(?::[0-9]*)?$/;

export function requestUrl(head: RequestHead): string {
  const hosts = head.headers.filter(([name]) => name.toLowerCase() === "host").map(([, value]) => value);
  // Two Host headers could route differently in Caddy and here (RFC 9112, 3.2 requires a 400).
  if (hosts.length > 1) throw new HttpError(400, "more than one Host header");
  const host = hosts[0] || "localhost";
  if (!hostPattern.test(host)) throw new HttpError(400, "invalid Host header");

  if (head.method === "CONNECT") throw new HttpError(501, "CONNECT is not supported: this is not a proxy");
  if (head.target === "*") throw new HttpError(400, "the asterisk-form request-target is not supported");
  // Concatenation, not URL resolution: a target like //other.example must stay a path on this host.
  const url = head.target.startsWith("/") ? `http://${host}${head.target}` : head.target;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
    return parsed.href;
  } catch {
    throw new HttpError(400, "invalid request-target");
  }
}
