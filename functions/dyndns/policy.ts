// When to ask the provider, and what its answer does to the record: update only on a changed or
// stale address, never faster than the provider allows, back off on temporary failures, and stop
// on a refusal until the owner saves new settings (a new settings revision).
import { minimumSecondsBetweenRequests } from "./providers/index.ts";
import type { ProviderOutcome } from "./providers/outcome.ts";
import type { JobRecord, Settings } from "./schema.ts";
import { withHistory } from "./job-record.ts";

/** ddclient's max-interval (25 days): refresh an unchanged record before providers expire idle names. */
export const staleAfterSeconds = 25 * 24 * 3600;
/**
 * ddclient's min-error-interval: after a failed attempt it waits 5 minutes, every time (nic_updateable
 * in ddclient.in). caretaker starts there and doubles the wait per further failure, up to 6 hours, so
 * a long outage is not asked every 5 minutes for days; a provider's own wait (Retry-After, 911) wins.
 */
export const firstBackoffSeconds = 5 * 60;
export const maxBackoffSeconds = 6 * 3600;

export interface Addresses {
  ipv4: string | null;
  ipv6: string | null;
}

export type Gate = { go: true } | { go: false; reason: "not-configured" | "paused" | "stopped" | "backoff"; message: string };

/** Checks that need no network: a run that ends here sends nothing, not even the address lookup. */
export function gate(settings: Settings, record: JobRecord, now: number): Gate {
  if (!settings.configured) return { go: false, reason: "not-configured", message: "no DynDNS settings yet" };
  if (!settings.enabled) return { go: false, reason: "paused", message: "updates are paused in the settings" };
  if (record.stopped && record.stopped.revision === settings.revision) {
    return { go: false, reason: "stopped", message: `stopped after "${record.stopped.code}" until the settings change` };
  }
  if (record.retryAt && Date.parse(record.retryAt) > now && record.retryRevision === settings.revision) {
    return { go: false, reason: "backoff", message: `waiting until ${record.retryAt} before asking the provider again` };
  }
  return { go: true };
}

export type Decision = { send: true; why: "settings" | "changed" | "stale" } | { send: false; reason: "unchanged" | "rate-limit"; message: string };

export function decide(settings: Settings, record: JobRecord, found: Addresses, now: number): Decision {
  const changed = (["ipv4", "ipv6"] as const).some((family) => found[family] !== null && found[family] !== record.record[family]);
  const lastSuccess = record.lastSuccess ? Date.parse(record.lastSuccess) : 0;
  const stale = now - lastSuccess > staleAfterSeconds * 1000;
  const settingsChanged = record.revision !== settings.revision;
  if (!settingsChanged && !changed && !stale) return { send: false, reason: "unchanged", message: "the address has not changed" };
  // a changed address goes out at once; a resend of the same one (new settings, stale record) waits
  // out the provider's pace, unless the last answer was a refusal that the new settings may cure
  const minimum = minimumSecondsBetweenRequests[settings.provider.kind] * 1000;
  if (!changed && !record.stopped && record.lastAttempt && now - Date.parse(record.lastAttempt) < minimum) {
    return { send: false, reason: "rate-limit", message: `the provider was asked less than ${minimum / 60000} minutes ago` };
  }
  return { send: true, why: settingsChanged ? "settings" : changed ? "changed" : "stale" };
}

export function backoffSeconds(failures: number): number {
  return Math.min(maxBackoffSeconds, firstBackoffSeconds * 2 ** Math.max(0, failures - 1));
}

/** The record after the provider answered `outcome` to a request that carried `sent`. */
export function apply(settings: Settings, record: JobRecord, sent: Addresses, outcome: ProviderOutcome, now: number): JobRecord {
  const at = new Date(now).toISOString();
  const entry = { at, outcome: outcome.kind, code: outcome.code, message: outcome.message, ipv4: sent.ipv4, ipv6: sent.ipv6 };
  const base = { ...record, lastAttempt: at };
  if (outcome.kind === "updated" || outcome.kind === "unchanged") {
    const keep = (family: keyof Addresses) => (settings[family].enabled ? (sent[family] ?? (settings.revision === record.revision ? record.record[family] : null)) : null);
    return withHistory(
      { ...base, revision: settings.revision, lastSuccess: at, record: { ipv4: keep("ipv4"), ipv6: keep("ipv6"), confirmedAt: at }, failures: 0, retryAt: null, retryRevision: null, stopped: null, lastError: null },
      entry,
    );
  }
  const error = { at, code: outcome.code, message: outcome.message };
  if (outcome.kind === "stopped") {
    return withHistory({ ...base, stopped: { revision: settings.revision, code: outcome.code, message: outcome.message }, retryAt: null, retryRevision: null, lastError: error }, entry);
  }
  const failures = record.failures + 1;
  const wait = Math.max(backoffSeconds(failures), outcome.kind === "retry" ? (outcome.retryAfterSeconds ?? 0) : 0);
  return withHistory({ ...base, revision: record.revision, failures, retryAt: new Date(now + wait * 1000).toISOString(), retryRevision: settings.revision, lastError: error }, entry);
}
