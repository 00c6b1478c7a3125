// deSEC's IP update API: a dyndns2-style GET to update.dedyn.io, classified like dyndns2.
//
// Request (desec.readthedocs.io/en/latest/dyndns/update-api.html; desec-io/desec-stack
// api/desecapi/views/dyndns.py, DynDNS12UpdateView): any path on update.dedyn.io, basic auth with the
// domain as user and the token as password, hostname=, myipv4= and myipv6=. "preserve" keeps a record
// (PreserveIPs); an absent parameter takes the connection's address of that family or, failing that,
// deletes the record; an empty value deletes it. ddclient has no deSEC protocol: deSEC is configured
// there as dyndns2, so nic_dyndns2_update's classification applies.
// Replies (same sources; desecapi/authentication.py, renderers.py PlainTextRenderer, docs rate-limits.rst):
//   200 "good" (text/plain) on success, also when nothing changed (deSEC never answers nochg);
//   401 (WWW-Authenticate: Basic) with "Invalid basic auth token" or "badauth" for a refused token;
//   404 "nohost" for a name the token does not own; 400 for an ambiguous or inconsistent request;
//   429 "Request was throttled. Expected available in N seconds." with Retry-After: dynDNS updates
//   are limited to 1 per minute per domain. Errors are plain text, not JSON.
import { basicAuth, type Http } from "./http.ts";
import { classifyDyndns2 } from "./dyndns2.ts";
import type { ProviderOutcome, UpdateRequest } from "./outcome.ts";

export const desecUpdateUrl = "https://update.dedyn.io/nic/update";

export async function updateDesec(request: UpdateRequest, http: Http): Promise<ProviderOutcome> {
  const url = new URL(desecUpdateUrl);
  url.searchParams.set("hostname", request.hostname);
  url.searchParams.set("myipv4", request.ipv4 ?? "preserve");
  url.searchParams.set("myipv6", request.ipv6 ?? "preserve");
  const reply = await http(url.href, { headers: { authorization: basicAuth(request.hostname, request.secret) } });
  return classifyDyndns2(reply.status, reply.headers, reply.text, [request.ipv4, request.ipv6]);
}
