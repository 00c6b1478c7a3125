// The dyndns2 protocol (Dyn's "Remote Access API", spoken by many providers): one GET, basic auth, a one-word answer.
//
// Request, as ddclient's nic_dyndns2_update sends it (ddclient/ddclient ddclient.in @ecf1a00a):
//   GET <server><script>?hostname=<host>&myip=<ipv4>[,<ipv6>] with HTTP basic auth; Dyn's "Perform
//   Update" page (help.dyn.com/remote-access-api/perform-update) asks for a user agent of the form
//   "company - device - version" and allows comma-separated addresses in myip.
// Reply classification:
//   - ddclient: header_ok() first: any non-2xx status is a failure, the body is not read. Then the first
//     word of the body line: good → success; nochg → success with a warning ("unnecessary attempts ...
//     are considered abusive"); a word of its %errors table (badauth badsys notfqdn nohost !yours
//     !donator !active abuse numhost dnserr) → failure; anything else (911, badagent, wNNN, empty) →
//     "unexpected status" failure. ddclient never stops: every failure is retried after
//     min-error-interval (5 minutes). Older ddclient (file `ddclient` @00b0e613, nic_dyndns2_update)
//     also read "w<N><s|m|h>" as "wait N units before further updates" (wtime); the current one does not.
//   - Dyn's "Return Codes" (help.dyn.com/return-codes): "Any failed update attempt is fatal ... the
//     client [should be] disabled until the situation is corrected"; codes good, nochg, badauth,
//     !donator, notfqdn, nohost, numhost, abuse, badagent, "good 127.0.0.1" (the request was ignored
//     because the agent is not accepted, unless 127.0.0.1 was asked for), dnserr, 911.
// caretaker therefore follows ddclient's order (status, then body) and its success words, and Dyn's
// rule for the words: the account/name errors stop updates until new settings; 911 and 5xx/429 are
// retried; an unknown answer (a captive portal's page) is retried, as ddclient does.
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

/**
 * 911 means trouble or maintenance on the provider's side. caretaker waits 30 minutes (longer than
 * ddclient's 5-minute min-error-interval, so an outage is not hammered); the 30 minutes could not be
 * checked against Dyn's current page, which no longer states a figure in the parts available here.
 */
export const providerTroubleWaitSeconds = 30 * 60;

/** The first word of the reply, when it is a word of the protocol (a 4xx page's HTML is not). */
function protocolWord(body: string): string {
  return (body.trim().split(/\s+/)[0] ?? "").toLowerCase();
}

/**
 * Classifies one dyndns2 reply: the HTTP status first (ddclient's header_ok), then the body's word.
 * `sent` are the addresses the request asked for, to tell "good 127.0.0.1" (refused agent) from a
 * real update to 127.0.0.1.
 */
export function classifyDyndns2(status: number, headers: Headers, body: string, sent: (string | null)[] = []): ProviderOutcome {
  const word = protocolWord(body);
  const failed = byStatus(status, body, retryAfterSeconds(headers));
  if (failed) {
    // deSEC answers 401 "badauth"/"Invalid basic auth token" and 404 "nohost": keep the protocol's word when there is one
    if (failed.kind === "stopped" && word in fatalCodes) return { kind: "stopped", code: word, message: `${fatalCodes[word]} (HTTP ${status} ${word})` };
    if (status === 401) return { ...failed, code: "badauth", message: `${fatalCodes.badauth} (HTTP 401)` };
    return failed;
  }
  if (word in fatalCodes) return { kind: "stopped", code: word, message: `${fatalCodes[word]} (${word})` };
  if (word === "good") {
    const echoed = body.trim().split(/\s+/).slice(1).join(" ");
    if (echoed === "127.0.0.1" && !sent.includes("127.0.0.1")) {
      return { kind: "stopped", code: "badagent", message: `${fatalCodes.badagent}: it answered "good 127.0.0.1", which means the request was ignored` };
    }
    return { kind: "updated", code: word, message: `the provider set ${echoed || "the new address"}` };
  }
  if (word === "nochg") return { kind: "unchanged", code: word, message: "the provider already had this address" };
  if (word === "911") return { kind: "retry", code: word, message: "the provider has a problem or maintenance (911); trying again in 30 minutes or later", retryAfterSeconds: providerTroubleWaitSeconds };
  const wait = /^w(\d+)([smh])$/.exec(word);
  if (wait) {
    const seconds = Number(wait[1]) * { s: 1, m: 60, h: 3600 }[wait[2] as "s" | "m" | "h"];
    return { kind: "retry", code: word, message: `the provider asks to wait ${wait[1]}${wait[2]} before the next update`, retryAfterSeconds: seconds };
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
  return classifyDyndns2(reply.status, reply.headers, reply.text, [request.ipv4, request.ipv6]);
}
