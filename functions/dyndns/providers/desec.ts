// deSEC's IP update API (desec.readthedocs.io, "IP Update API"): dyndns2-style GET to update.dedyn.io
// with basic auth (user: the domain name, password: the token), separate myipv4/myipv6 parameters
// where "preserve" keeps a record (an absent parameter would replace it with the connection's
// address or delete it), 401 for a refused token and 429 with Retry-After when throttled.
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
  return classifyDyndns2(reply.status, reply.headers, reply.text);
}
