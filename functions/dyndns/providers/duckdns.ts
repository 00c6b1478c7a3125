// DuckDNS: one GET with the token in the query; the answer is OK or KO, with details when verbose.
//
// Request (www.duckdns.org/spec.jsp, "HTTP API Specification"): GET /update?domains=&token=[&ip=]
//   [&ipv6=][&verbose=true]. domains may be given without ".duckdns.org". Without ip= DuckDNS detects
//   the connection's IPv4, but "if you specify [ipv6] then the autodetection for ip is not used".
//   ddclient's nic_duckdns_update (ddclient.in @ecf1a00a) sends domains, token, ip and ipv6 as known,
//   without verbose.
// Replies (spec.jsp): "A normal good response is OK", "A normal bad response is KO"; with verbose=true
//   an OK has three more lines: the IPv4 (can be blank), the IPv6 (can be blank), UPDATED or NOCHANGE.
//   The spec names no HTTP statuses.
// Classification: ddclient fails on a non-2xx status (header_ok) and on any body but exactly "OK",
//   retrying after min-error-interval. caretaker sends verbose=true to tell UPDATED from NOCHANGE, so an
//   OK is judged by its first line. KO is the only refusal the spec has; DuckDNS gives it for a wrong
//   token or a domain not in the account, which only the owner can fix, so it stops updates (Dyn's
//   "fatal" rule) instead of ddclient's retry every 5 minutes.
import { retryAfterSeconds, type Http } from "./http.ts";
import { byStatus, type ProviderOutcome, type UpdateRequest } from "./outcome.ts";

export const duckdnsUpdateUrl = "https://www.duckdns.org/update";

export function classifyDuckdns(status: number, headers: Headers, body: string): ProviderOutcome {
  const failed = byStatus(status, body, retryAfterSeconds(headers));
  if (failed) return failed;
  const lines = body.trim().split(/\r?\n/).map((line) => line.trim());
  if (lines[0] === "KO") return { kind: "stopped", code: "KO", message: "DuckDNS refused the token or the domain (KO)" };
  if (lines[0] !== "OK") return { kind: "retry", code: "unexpected", message: `DuckDNS gave an answer caretaker does not know: ${body.trim().slice(0, 120) || "(empty)"}` };
  if (lines.at(-1) === "NOCHANGE") return { kind: "unchanged", code: "OK", message: "DuckDNS already had this address (NOCHANGE)" };
  return { kind: "updated", code: "OK", message: "DuckDNS set the new address (UPDATED)" };
}

export async function updateDuckdns(request: UpdateRequest, http: Http): Promise<ProviderOutcome> {
  const url = new URL(duckdnsUpdateUrl);
  url.searchParams.set("domains", request.hostname.replace(/\.duckdns\.org$/, ""));
  url.searchParams.set("token", request.secret);
  // send only what is known: with ipv6= and no ip= DuckDNS does not autodetect the IPv4 (the spec does
  // not say whether the A record is kept); both absent never happens, the job then sends nothing
  if (request.ipv4) url.searchParams.set("ip", request.ipv4);
  if (request.ipv6) url.searchParams.set("ipv6", request.ipv6);
  url.searchParams.set("verbose", "true");
  const reply = await http(url.href);
  return classifyDuckdns(reply.status, reply.headers, reply.text);
}
