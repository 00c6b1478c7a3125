// gate(), decide() and apply(): when the provider is asked, and what each class of answer does.
import { describe, expect, test } from "vitest";
import { emptyRecord } from "./job-record.ts";
import { apply, backoffSeconds, decide, gate, staleAfterSeconds } from "./policy.ts";
import type { Settings } from "./schema.ts";

const now = Date.parse("2026-11-30T12:00:00Z");
const settings: Settings = {
  configured: true, revision: 3, enabled: true, hostname: "box.dedyn.io", provider: { kind: "desec" }, secretSet: true,
  ipv4: { enabled: true, lookupUrl: "https://ipv4.icanhazip.com" }, ipv6: { enabled: true },
};
const found = { ipv4: "203.0.113.7", ipv6: "2001:db8::7" };
const confirmed = apply(settings, emptyRecord(3), found, { kind: "updated", code: "good", message: "set" }, now - 3600_000);

describe("decide(settings, record, found, now)", () => {
  test("a first run and new settings send", () => {
    expect(decide(settings, emptyRecord(), found, now)).toEqual({ send: true, why: "settings" });
  });
  test("the same addresses send nothing", () => {
    expect(decide(settings, confirmed, found, now)).toMatchObject({ send: false, reason: "unchanged" });
  });
  test("a changed address sends at once, even right after the last request", () => {
    const justNow = { ...confirmed, lastAttempt: new Date(now - 1000).toISOString() };
    expect(decide(settings, justNow, { ...found, ipv6: "2001:db8::8" }, now)).toEqual({ send: true, why: "changed" });
  });
  test("a family that could not be found is not a change", () => {
    expect(decide(settings, confirmed, { ...found, ipv4: null }, now)).toMatchObject({ send: false });
  });
  test("a record older than 25 days is refreshed; a resend waits out the provider's pace", () => {
    const old = { ...confirmed, lastSuccess: new Date(now - staleAfterSeconds * 1000 - 1).toISOString() };
    expect(decide(settings, old, found, now)).toEqual({ send: true, why: "stale" });
    const resent = { ...confirmed, lastAttempt: new Date(now - 10_000).toISOString() };
    expect(decide({ ...settings, revision: 4 }, resent, found, now)).toMatchObject({ send: false, reason: "rate-limit" });
  });
});

describe("apply(settings, record, sent, outcome, now) and gate()", () => {
  test("success records the addresses and clears errors", () => {
    expect(confirmed).toMatchObject({ revision: 3, failures: 0, stopped: null, lastError: null, record: { ...found } });
    expect(confirmed.history[0]).toMatchObject({ outcome: "updated", code: "good" });
  });
  test("a refusal stops updates until the settings revision changes", () => {
    const stopped = apply(settings, confirmed, found, { kind: "stopped", code: "badauth", message: "refused" }, now);
    expect(gate(settings, stopped, now + 86_400_000)).toMatchObject({ go: false, reason: "stopped" });
    expect(gate({ ...settings, revision: 4 }, stopped, now)).toEqual({ go: true });
    expect(decide({ ...settings, revision: 4 }, stopped, found, now)).toEqual({ send: true, why: "settings" });
  });
  test("a temporary failure backs off, doubling, and honours the provider's wait", () => {
    const once = apply(settings, confirmed, found, { kind: "retry", code: "network", message: "down" }, now);
    expect(once).toMatchObject({ failures: 1, retryAt: new Date(now + 300_000).toISOString(), lastError: { code: "network" } });
    expect(gate(settings, once, now + 299_000)).toMatchObject({ go: false, reason: "backoff" });
    expect(gate(settings, once, now + 300_001)).toEqual({ go: true });
    const twice = apply(settings, once, found, { kind: "retry", code: "911", message: "maintenance", retryAfterSeconds: 1800 }, now);
    expect(twice.retryAt).toBe(new Date(now + 1800_000).toISOString());
    expect([1, 2, 3, 10].map(backoffSeconds)).toEqual([300, 600, 1200, 21600]);
  });
  test("nothing runs unconfigured or paused", () => {
    expect(gate({ ...settings, configured: false }, emptyRecord(), now)).toMatchObject({ go: false, reason: "not-configured" });
    expect(gate({ ...settings, enabled: false }, emptyRecord(), now)).toMatchObject({ go: false, reason: "paused" });
  });
  test("the history keeps the newest 50 entries", () => {
    let record = confirmed;
    for (let i = 0; i < 60; i++) record = apply(settings, record, found, { kind: "unchanged", code: "nochg", message: `n${i}` }, now + i);
    expect(record.history).toHaveLength(50);
    expect(record.history[0].message).toBe("n59");
  });
});
