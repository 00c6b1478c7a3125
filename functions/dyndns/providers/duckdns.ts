// DuckDNS (duckdns.org/spec.jsp): GET /update?domains=&token=&ip=&ipv6=&verbose=true; the answer is
// OK or KO, and with verbose=true the lines after OK say UPDATED or NOCHANGE. ddclient's
// nic_duckdns_update counts anything but OK as a failure; KO means the token or the domain is wrong,
// which only the owner can fix, so it stops updates.
import { retryAfterSeconds, type Http } from "./http.ts";
import { byStatus, type ProviderOutcome, type UpdateRequest } from "./outcome.ts";

export const duckdnsUpdateUrl = "https://www.duckdns.org/update";

export function classifyDuckdns(status: number, headers: Headers, body: string): ProviderOutcome {
  const failed = byStatus(status, body, retryAfterSeconds(headers));
  if (failed) return failed;
  const lines = body.trim().split(/\r?\n/);
  if (lines[0] === "KO") return { kind: "stopped", code: "KO", message: "DuckDNS refused the token or the domain (KO)" };
  if (lines[0] !== "OK") return { kind: "retry", code: "unexpected", message: `DuckDNS gave an answer caretaker does not know: ${body.trim().slice(0, 120) || "(empty)"}` };
  if (lines.at(-1) === "NOCHANGE") return { kind: "unchanged", code: "OK", message: "DuckDNS already had this address (NOCHANGE)" };
  return { kind: "updated", code: "OK", message: "DuckDNS set the new address (UPDATED)" };
}

export async function updateDuckdns(request: UpdateRequest, http: Http): Promise<ProviderOutcome> {
  const url = new URL(duckdnsUpdateUrl);
  url.searchParams.set("domains", request.hostname.replace(/\.duckdns\.org$/, ""));
  url.searchParams.set("token", request.secret);
  // an absent ip= makes DuckDNS take the connection's IPv4: send only what is known
  if (request.ipv4) url.searchParams.set("ip", request.ipv4);
  if (request.ipv6) url.searchParams.set("ipv6", request.ipv6);
  url.searchParams.set("verbose", "true");
  const reply = await http(url.href);
  return classifyDuckdns(reply.status, reply.headers, reply.text);
}
