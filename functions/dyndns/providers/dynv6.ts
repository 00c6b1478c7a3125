// dynv6's Update API: one GET with the zone, the token and the addresses; judged by status, then by word.
//
// Request (dynv6.com/docs/apis, "Update API"): GET https://dynv6.com/api/update?zone=&token=[&ipv4=]
//   [&ipv6=]; "hostname" is a documented alternative name for "zone". "If empty or unset, the current
//   IPv4 [IPv6] address is kept unchanged"; "-" removes it; an IPv6 with a prefix length also updates
//   the zone's prefix. The API updates the zone's own A/AAAA records, so the host name is the zone.
// Replies: the page documents none. Observed bodies are "addresses updated" and "addresses unchanged"
//   with 200 (troglobit/inadyn issue #235 log: "[200 OK] addresses unchanged"); dynv6's author advised
//   "only evaluate the return status instead of the response text" (chriv/dynephant issue #1), and
//   inadyn's plugins/dynv6.c accepts a valid status whose body contains "updated" or "unchanged".
//   The statuses of a refused token and an unknown zone (401/404 in the local server) could not be
//   checked; every 4xx stops updates here, so the exact code does not change the outcome.
// ddclient has no dynv6 protocol; its JSON/HTTP providers fail on any non-2xx answer (header_ok).
import { retryAfterSeconds, type Http } from "./http.ts";
import { byStatus, type ProviderOutcome, type UpdateRequest } from "./outcome.ts";

export const dynv6UpdateUrl = "https://dynv6.com/api/update";

export function classifyDynv6(status: number, headers: Headers, body: string): ProviderOutcome {
  if (status === 404) return { kind: "stopped", code: "http-404", message: "dynv6 does not know this zone (HTTP 404); check the host name" };
  const failed = byStatus(status, body, retryAfterSeconds(headers));
  if (failed) return failed;
  const said = body.trim();
  if (/unchanged/i.test(said)) return { kind: "unchanged", code: "unchanged", message: `dynv6 already had this address (${said})` };
  if (/updated/i.test(said)) return { kind: "updated", code: "updated", message: `dynv6 set the new address (${said})` };
  return { kind: "retry", code: "unexpected", message: `dynv6 gave an answer caretaker does not know: ${said.slice(0, 120) || "(empty)"}` };
}

export async function updateDynv6(request: UpdateRequest, http: Http): Promise<ProviderOutcome> {
  const url = new URL(dynv6UpdateUrl);
  url.searchParams.set("hostname", request.hostname);
  url.searchParams.set("token", request.secret);
  if (request.ipv4) url.searchParams.set("ipv4", request.ipv4);
  if (request.ipv6) url.searchParams.set("ipv6", request.ipv6);
  const reply = await http(url.href);
  return classifyDynv6(reply.status, reply.headers, reply.text);
}
