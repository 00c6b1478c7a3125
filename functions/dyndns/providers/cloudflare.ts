// Cloudflare API v4 with an API token (Authorization: Bearer), as ddclient's nic_cloudflare_update
// does it: GET /zones?name=<zone> for the zone id, GET /zones/<id>/dns_records?type=A|AAAA&name=<host>
// for the record, PATCH /zones/<id>/dns_records/<record> {"content": ip}. Every answer is JSON with
// `success` and `errors`; ddclient fails on a non-2xx status or success=false. Cloudflare lets us read
// the record, so an address that is already there is not written again.
import { retryAfterSeconds, type Http, type Reply } from "./http.ts";
import { byStatus, combine, type ProviderOutcome, type UpdateRequest } from "./outcome.ts";

export const cloudflareApi = "https://api.cloudflare.com/client/v4";

interface Envelope {
  success?: boolean;
  errors?: { code?: number; message?: string }[];
  result?: unknown;
}

/** A reply that is not a success becomes an outcome; a success gives its `result`. */
function unpack(reply: Reply): { outcome: ProviderOutcome } | { result: unknown } {
  let envelope: Envelope | undefined;
  try {
    envelope = JSON.parse(reply.text);
  } catch {
    envelope = undefined;
  }
  const said = envelope?.errors?.map((error) => `${error.message ?? "error"}${error.code ? ` (${error.code})` : ""}`).join("; ") ?? "";
  const failed = byStatus(reply.status, said || reply.text, retryAfterSeconds(reply.headers));
  if (failed) return { outcome: failed };
  if (!envelope || typeof envelope.success !== "boolean") return { outcome: { kind: "retry", code: "unexpected", message: "Cloudflare answered something that is not its API's JSON" } };
  if (!envelope.success) return { outcome: { kind: "stopped", code: "api-error", message: `Cloudflare refused the request: ${said || "no reason given"}` } };
  return { result: envelope.result };
}

async function setRecord(request: UpdateRequest, http: Http, headers: Record<string, string>, zoneId: string, type: "A" | "AAAA", address: string): Promise<ProviderOutcome> {
  const records = `${cloudflareApi}/zones/${encodeURIComponent(zoneId)}/dns_records`;
  const listed = unpack(await http(`${records}?type=${type}&name=${encodeURIComponent(request.hostname)}`, { headers }));
  if ("outcome" in listed) return listed.outcome;
  const record = (listed.result as { id: string; name: string; content: string }[]).find((entry) => entry.name === request.hostname);
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
  const zoneName = request.provider.zone;
  const zone = (zones.result as { id: string; name: string }[]).find((entry) => entry.name === zoneName);
  if (!zone) return { kind: "stopped", code: "no-zone", message: `the token cannot see a zone named ${request.provider.zone}` };
  const outcomes: ProviderOutcome[] = [];
  for (const [type, address] of [["A", request.ipv4], ["AAAA", request.ipv6]] as const) {
    if (address) outcomes.push(await setRecord(request, http, headers, zone.id, type, address));
  }
  return combine(outcomes);
}
