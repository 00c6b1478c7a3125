import { describe, expect, it } from "vitest";
import type { StoredCertificate } from "./certificates.ts";
import { certificateFacts, pickCertificate, renewalOf } from "./renewal.ts";

const stored = (issuerDirectory: string, names: string[], notBefore: string, notAfter: string): StoredCertificate => ({
  issuerDirectory, issuer: issuerDirectory === "local" ? "Caddy Local Authority - ECC Intermediate" : "R11", names, notBefore, notAfter, serial: "01", fingerprint256: "AA",
});

describe("pickCertificate(stored, name, tls)", () => {
  const all = [
    stored("local", ["box.local"], "2026-01-01T00:00:00.000Z", "2026-01-01T12:00:00.000Z"),
    stored("local", ["box.local"], "2026-01-01T08:00:00.000Z", "2026-01-01T20:00:00.000Z"),
    stored("acme-v02.api.letsencrypt.org-directory", ["box.example.org"], "2026-01-01T00:00:00.000Z", "2026-03-31T00:00:00.000Z"),
    stored("local", ["box.example.org"], "2026-02-01T00:00:00.000Z", "2026-02-01T12:00:00.000Z"),
  ];
  it("takes the newest certificate for the name from the mode's issuer", () => {
    expect(pickCertificate(all, "box.local", "internal")?.notBefore).toBe("2026-01-01T08:00:00.000Z");
    expect(pickCertificate(all, "box.example.org", "acme")?.issuer).toBe("R11");
    expect(pickCertificate(all, "box.example.org", "internal")?.issuerDirectory).toBe("local");
    expect(pickCertificate(all, "box.local", "acme")).toBeUndefined();
  });
});

describe("renewalOf(certificate, name, now): where renewal stands", () => {
  // a 90-day certificate: the renewal window opens 30 days before expiry
  const facts = (now: string) => certificateFacts(stored("acme", ["a.example.org"], "2026-01-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"), new Date(now));
  const at = (now: string) => renewalOf(facts(now), "a.example.org", new Date(now));
  it.each([
    ["2026-01-15T00:00:00.000Z", "scheduled"],
    ["2026-03-05T00:00:00.000Z", "due"],
    ["2026-03-20T00:00:00.000Z", "overdue"],
    ["2026-04-02T00:00:00.000Z", "expired"],
  ])("at %s it is %s", (now, state) => {
    expect(at(now).state).toBe(state);
    expect(at(now).renewsAfter).toBe("2026-03-02T00:00:00.000Z");
  });
  it("counts days left and the lifetime", () => {
    expect(facts("2026-03-31T12:00:00.000Z")).toMatchObject({ daysLeft: 0.5, lifetimeDays: 90, issuerKind: "acme" });
  });
  it("says when there is no certificate or no name", () => {
    expect(renewalOf(null, "a.example.org", new Date()).state).toBe("missing");
    expect(renewalOf(null, null, new Date()).state).toBe("not-managed");
  });
});
