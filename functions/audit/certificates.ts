// TLS certificate expiry from the domain function's certificates report (its job reads Caddy's storage,
// which the audit may not); judged with the domain function's own renewal rule.
import { readFile } from "node:fs/promises";
import { certificateReportPath, type CertificateReport } from "../domain/certificate-report.ts";
import { certificateFacts, renewalOf } from "../domain/renewal.ts";
import type { Certificates } from "./schema.ts";

const levels = { expired: "critical", overdue: "warning", due: "ok", scheduled: "ok" } as const;

export async function readCertificates(path = certificateReportPath(), now = new Date()): Promise<Certificates> {
  let report: CertificateReport;
  try {
    report = JSON.parse(await readFile(path, "utf8")) as CertificateReport;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return { available: false, reason: "the domain function has not read Caddy's certificates yet: open the Domain page once" };
  }
  const certificates = report.certificates
    .map((stored) => {
      const facts = certificateFacts(stored, now);
      const renewal = renewalOf(facts, stored.names[0] ?? "(no name)", now);
      const state = renewal.state as keyof typeof levels;
      return { names: facts.names, issuer: facts.issuer, notAfter: facts.notAfter, daysLeft: facts.daysLeft, renewal: state, message: renewal.message, level: levels[state] };
    })
    .sort((a, b) => Date.parse(a.notAfter) - Date.parse(b.notAfter));
  return { available: true, readAt: report.readAt, certificates };
}
