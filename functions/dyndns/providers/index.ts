// One entry for every provider: the settings' kind picks the protocol; no answer at all is a retry.
import type { ProviderKind } from "../schema.ts";
import { updateCloudflare } from "./cloudflare.ts";
import { updateDesec } from "./desec.ts";
import { updateDuckdns } from "./duckdns.ts";
import { updateDyndns2 } from "./dyndns2.ts";
import { updateDynv6 } from "./dynv6.ts";
import type { Http } from "./http.ts";
import { networkFailure, type ProviderOutcome, type UpdateRequest } from "./outcome.ts";

const updaters: Record<ProviderKind, (request: UpdateRequest, http: Http) => Promise<ProviderOutcome>> = {
  dyndns2: updateDyndns2,
  desec: updateDesec,
  duckdns: updateDuckdns,
  cloudflare: updateCloudflare,
  dynv6: updateDynv6,
};

/**
 * Least time between two requests to one provider that carry no changed address (new settings, a
 * stale record); a changed address goes out at once. deSEC throttles dynDNS updates to 1/min per
 * domain (desec-stack docs/rate-limits.rst); ddclient's min-interval is 5 minutes for cloudflare and
 * 30 s by default (ddclient.in %protocols); Dyn calls repeated nochg updates abusive
 * (help.dyn.com/return-codes). The DuckDNS and dynv6 figures are caretaker's own: their pages name none.
 */
export const minimumSecondsBetweenRequests: Record<ProviderKind, number> = {
  dyndns2: 300,
  desec: 60,
  duckdns: 300,
  cloudflare: 300,
  dynv6: 60,
};

/** The outcome's words go to the journal and the page: a reply that echoes the secret is scrubbed. */
export async function sendUpdate(request: UpdateRequest, http: Http): Promise<ProviderOutcome> {
  let outcome: ProviderOutcome;
  try {
    outcome = await updaters[request.provider.kind](request, http);
  } catch (error) {
    outcome = networkFailure(error);
  }
  if (request.secret && outcome.message.includes(request.secret)) outcome = { ...outcome, message: outcome.message.split(request.secret).join("[secret]") };
  return outcome;
}
