// readCertificates(path, now): the domain function's report of a real certificate, judged by its renewal rule.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeCertificate } from "../domain/certificates.ts";
import { readCertificates } from "./certificates.ts";

const dir = mkdtempSync(join(tmpdir(), "audit-certificates-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readCertificates(path, now)", () => {
  it("says how long each certificate has left and whether its renewal is late", async () => {
    execFileSync("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "90", "-subj", "/CN=box.example.org",
      "-addext", "subjectAltName=DNS:box.example.org", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
    const stored = describeCertificate(readFileSync(join(dir, "cert.pem")), "acme-v02.api.letsencrypt.org-directory");
    writeFileSync(join(dir, "report.json"), JSON.stringify({ readAt: "2026-01-01T00:00:00.000Z", certificates: [stored] }));
    const expiry = Date.parse(stored.notAfter);
    const fresh = await readCertificates(join(dir, "report.json"), new Date(expiry - 80 * 86_400_000));
    expect(fresh).toEqual({ available: true, readAt: "2026-01-01T00:00:00.000Z", certificates: [expect.objectContaining({ names: ["box.example.org"], daysLeft: 80, renewal: "scheduled", level: "ok" })] });
    const late = await readCertificates(join(dir, "report.json"), new Date(expiry - 5 * 86_400_000));
    expect(late.available && late.certificates[0]).toMatchObject({ renewal: "overdue", level: "warning" });
    const expired = await readCertificates(join(dir, "report.json"), new Date(expiry + 86_400_000));
    expect(expired.available && expired.certificates[0]).toMatchObject({ renewal: "expired", level: "critical", daysLeft: -1 });
  });
  it("answers available: false until the domain function wrote a report", async () => {
    expect(await readCertificates(join(dir, "none.json"))).toMatchObject({ available: false });
  });
});
