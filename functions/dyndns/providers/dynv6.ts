// dynv6 (dynv6.com/docs/apis, "Update API"): GET /api/update?hostname=&token=&ipv4=&ipv6=, answering
// "addresses updated" or "addresses unchanged"; a refused token is 401, an unknown zone 404.
// ddclient has no dynv6 protocol of its own; its JSON/HTTP providers fail on any non-2xx answer
// (header_ok), which is the split used here: 4xx needs the owner, 429 and 5xx are retried.
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
