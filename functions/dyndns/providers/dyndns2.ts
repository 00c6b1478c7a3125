// The dyndns2 protocol (Dyn's "Remote Access API", spoken by many providers): a GET with hostname
// and myip, HTTP basic auth, and a one-word answer. The classes follow Dyn's return codes
// (help.dyn.com/return-codes: "any failed update attempt is fatal ... until the user has taken some
// sort of corrective action"; 911: retry no sooner than 30 minutes) and ddclient's nic_dyndns2_update
// (ddclient.in: good; nochg as a warning but a success; the %errors table as failures; "wNNNu" as a wait).
import { basicAuth, retryAfterSeconds, type Http } from "./http.ts";
import { byStatus, type ProviderOutcome, type UpdateRequest } from "./outcome.ts";

/** Return codes that mean the settings (or the account) are wrong: stop until the owner changes them. */
export const fatalCodes: Record<string, string> = {
  badauth: "the user name or password was refused",
  "!donator": "the request uses a feature the account does not include",
  notfqdn: "the host name is not a fully qualified domain name",
  nohost: "the host name does not exist in this account",
  numhost: "too many or too few hosts in the request (or a round-robin name)",
  abuse: "the provider blocked the host name for abuse",
  badagent: "the provider refused this client (user agent or HTTP method)",
  dnserr: "the provider reported a DNS error on its side and asks for the update to stop",
  "!yours": "the host name exists but belongs to another account",
  "!active": "the host name's domain is not activated yet",
  badsys: "the provider refused the system parameter",
};

/** 911 means maintenance on the provider's side; Dyn asks clients to wait at least 30 minutes. */
export const providerTroubleWaitSeconds = 30 * 60;

/** Classifies one dyndns2 reply (status code first, as ddclient's header_ok does, then the body). */
export function classifyDyndns2(status: number, headers: Headers, body: string): ProviderOutcome {
  const word = body.trim().split(/\s+/)[0] ?? "";
  const code = word.toLowerCase();
  if (code in fatalCodes) return { kind: "stopped", code, message: `${fatalCodes[code]} (${word})` };
  const failed = byStatus(status, body, retryAfterSeconds(headers));
  if (failed) return status === 401 ? { ...failed, code: "badauth", message: `${fatalCodes.badauth} (HTTP 401)` } : failed;
  if (code === "good") return { kind: "updated", code, message: `the provider set ${body.trim().split(/\s+/).slice(1).join(" ") || "the new address"}` };
  if (code === "nochg") return { kind: "unchanged", code, message: "the provider already had this address" };
  if (code === "911") return { kind: "retry", code, message: "the provider has a problem or maintenance (911); trying again in 30 minutes or later", retryAfterSeconds: providerTroubleWaitSeconds };
  const wait = /^w(\d+)([smh])$/.exec(code);
  if (wait) {
    const seconds = Number(wait[1]) * { s: 1, m: 60, h: 3600 }[wait[2] as "s" | "m" | "h"];
    return { kind: "retry", code, message: `the provider asks to wait ${wait[1]}${wait[2]} before the next update`, retryAfterSeconds: seconds };
  }
  return { kind: "retry", code: "unexpected", message: `the provider gave an answer caretaker does not know: ${body.trim().slice(0, 120) || "(empty)"}` };
}

/** myip carries both families, comma-separated, as ddclient sends them to dyndns2 servers. */
export async function updateDyndns2(request: UpdateRequest, http: Http): Promise<ProviderOutcome> {
  if (request.provider.kind !== "dyndns2") throw new Error("not a dyndns2 provider");
  const url = new URL(request.provider.server);
  url.searchParams.set("hostname", request.hostname);
  url.searchParams.set("myip", [request.ipv4, request.ipv6].filter(Boolean).join(","));
  const reply = await http(url.href, { headers: { authorization: basicAuth(request.provider.username, request.secret) } });
  return classifyDyndns2(reply.status, reply.headers, reply.text);
}
