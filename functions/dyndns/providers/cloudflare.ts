// Cloudflare API v4 with an API token: find the zone and the record, then PATCH the record's content.
//
// Request, as ddclient's nic_cloudflare_update does it (ddclient.in @ecf1a00a; login=token means
// "Authorization: Bearer <password>"): GET /zones?name=<zone> → the zone whose name matches;
// GET /zones/<id>/dns_records?type=A|AAAA&name=<host> → the record whose name matches (ddclient fails
// with "no 'A' record at Cloudflare" when there is none; it never creates one); PATCH
// /zones/<id>/dns_records/<record> with {"content":"<ip>"}. Cloudflare lets us read the record, so an
// address that is already there is not written again (ddclient writes it anyway).
// Replies: every answer is {success, errors:[{code,message}], messages, result}. ddclient fails on a
// non-2xx status (header_ok) or a missing `result`, and retries after min-error-interval; it never stops.
// Auth errors are not documented by Cloudflare; observed answers (issue trackers of ddns-go, cert-manager,
// mailflare): 400 with 6003 "Invalid request headers" / 6111 "Invalid format for Authorization header"
// for a malformed token; 403 with 9109 "Invalid access token" or "Cannot use the access token from
// location" (IP filter); 403 with 10000 "Authentication error" for a token without the permission.
// All are 4xx, which stops updates until new settings. Rate limit (developers.cloudflare.com/fundamentals/
// api/reference/limits): 1200 requests per 5 minutes; over it "all API calls for the next five minutes
// will be blocked" with 429, and retry-after gives the seconds when present.
import { retryAfterSeconds, type Http, type Reply } from "./http.ts";
import { byStatus, combine, type ProviderOutcome, type UpdateRequest } from "./outcome.ts";

export const cloudflareApi = "https://api.cloudflare.com/client/v4";

/** A 429 without retry-after: Cloudflare blocks the whole API for five minutes. */
export const rateLimitBlockSeconds = 5 * 60;

interface CloudflareError {
  code?: number;
  message?: string;
  error_chain?: CloudflareError[];
}

interface Envelope {
  success?: boolean;
  errors?: CloudflareError[];
  result?: unknown;
}

/** "message (code)", followed by the chain that names the real cause (e.g. 6111 under 6003). */
function describe(error: CloudflareError): string {
  const own = `${error.message ?? "error"}${error.code ? ` (${error.code})` : ""}`;
  const chain = Array.isArray(error.error_chain) ? error.error_chain.map(describe) : [];
  return [own, ...chain].join(": ");
}

/** A reply that is not a success becomes an outcome; a success gives its `result`. */
function unpack(reply: Reply): { outcome: ProviderOutcome } | { result: unknown } {
  let envelope: Envelope | undefined;
  try {
    envelope = JSON.parse(reply.text);
  } catch {
    envelope = undefined;
  }
  const errors = Array.isArray(envelope?.errors) ? envelope.errors : [];
  const said = errors.map(describe).join("; ");
  const wait = retryAfterSeconds(reply.headers) ?? (reply.status === 429 ? rateLimitBlockSeconds : undefined);
  const failed = byStatus(reply.status, said || reply.text, wait);
  if (failed) return { outcome: failed };
  if (!envelope || typeof envelope.success !== "boolean") return { outcome: { kind: "retry", code: "unexpected", message: "Cloudflare answered something that is not its API's JSON" } };
  if (!envelope.success) return { outcome: { kind: "stopped", code: "api-error", message: `Cloudflare refused the request: ${said || "no reason given"}` } };
  return { result: envelope.result };
}

/** The entry of a list result named `name`, or an outcome when the result is not a list at all. */
function named<T extends { name: string }>(result: unknown, name: string): { found?: T } | { outcome: ProviderOutcome } {
  if (!Array.isArray(result)) return { outcome: { kind: "retry", code: "unexpected", message: "Cloudflare's answer has no list of results" } };
  return { found: (result as T[]).find((entry) => entry?.name === name) };
}

async function setRecord(request: UpdateRequest, http: Http, headers: Record<string, string>, zoneId: string, type: "A" | "AAAA", address: string): Promise<ProviderOutcome> {
  const records = `${cloudflareApi}/zones/${encodeURIComponent(zoneId)}/dns_records`;
  const listed = unpack(await http(`${records}?type=${type}&name=${encodeURIComponent(request.hostname)}`, { headers }));
  if ("outcome" in listed) return listed.outcome;
  const match = named<{ id: string; name: string; content: string }>(listed.result, request.hostname);
  if ("outcome" in match) return match.outcome;
  const record = match.found;
  if (!record) return { kind: "stopped", code: "no-record", message: `the zone has no ${type} record named ${request.hostname}; create it once in Cloudflare's dashboard` };
  if (record.content === address) return { kind: "unchanged", code: "unchanged", message: `Cloudflare's ${type} record already holds ${address}` };
  const patched = unpack(await http(`${records}/${encodeURIComponent(record.id)}`, { method: "PATCH", headers, body: JSON.stringify({ content: address }) }));
  if ("outcome" in patched) return patched.outcome;
  return { kind: "updated", code: "success", message: `Cloudflare's ${type} record now holds ${address}` };
}

export async function updateCloudflare(request: UpdateRequest, http: Http): Promise<ProviderOutcome> {
  if (request.provider.kind !== "cloudflare") throw new Error("not a cloudflare provider");
  const headers = { authorization: `Bearer ${request.secret}`, "content-type": "application/json" };
  const zones = unpack(await http(`${cloudflareApi}/zones?name=${encodeURIComponent(request.provider.zone)}`, { headers }));
  if ("outcome" in zones) return zones.outcome;
  const match = named<{ id: string; name: string }>(zones.result, request.provider.zone);
  if ("outcome" in match) return match.outcome;
  if (!match.found) return { kind: "stopped", code: "no-zone", message: `the token cannot see a zone named ${request.provider.zone}` };
  const outcomes: ProviderOutcome[] = [];
  for (const [type, address] of [["A", request.ipv4], ["AAAA", request.ipv6]] as const) {
    if (address) outcomes.push(await setRecord(request, http, headers, match.found.id, type, address));
  }
  return combine(outcomes);
}
