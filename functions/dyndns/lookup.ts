// The box's public IPv4 address as a "what is my IP" service sees it: one plain-text address.
// Behind a home router the box only has a private address; only the outside can tell the public one.
import type { Http } from "./providers/http.ts";

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Addresses that can never be the box's public one: a lookup answering them is broken or a proxy. */
export function isPublicIpv4(address: string): boolean {
  if (!ipv4.test(address)) return false;
  const [a, b] = address.split(".").map(Number);
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT (RFC 6598)
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  return true;
}

export type LookupResult = { address: string } | { error: string };

/** Accepts "203.0.113.7\n" and services that add words around it (ddclient's web-skip does the same). */
export async function lookupIpv4(url: string, http: Http): Promise<LookupResult> {
  let reply;
  try {
    reply = await http(url);
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { error: `the IPv4 lookup ${new URL(url).host} could not be reached (${cause})` };
  }
  if (reply.status !== 200) return { error: `the IPv4 lookup ${new URL(url).host} answered HTTP ${reply.status}` };
  const found = reply.text.match(/\b\d{1,3}(\.\d{1,3}){3}\b/)?.[0];
  if (!found || !isPublicIpv4(found)) return { error: `the IPv4 lookup ${new URL(url).host} did not answer a public IPv4 address` };
  return { address: found };
}
