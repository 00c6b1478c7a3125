// The certificates job's report: written by the job (as caddy), read by the function. It holds what
// any TLS client sees anyway (issuer, names, dates), so it is world-readable; no key ever enters it.
import { chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { HttpError } from "../_shared/errors.ts";
import { jobs as realJobs, type Jobs } from "../_shared/jobs.ts";
import type { StoredCertificate } from "./certificates.ts";

export interface CertificateReport {
  readAt: string;
  certificates: StoredCertificate[];
}

/** The job unit's RuntimeDirectory=caretaker-domain; dev mode points it into its run folder. */
export function certificateReportPath(): string {
  return process.env.CARETAKER_DOMAIN_CERTIFICATES || "/run/caretaker-domain/certificates.json";
}

export function writeReport(path: string, report: CertificateReport): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(report));
  chmodSync(partial, 0o644);
  renameSync(partial, path);
}

function freshReport(after: number): CertificateReport | undefined {
  try {
    const report = JSON.parse(readFileSync(certificateReportPath(), "utf8")) as CertificateReport;
    return Date.parse(report.readAt) >= after ? report : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the certificates job and reads its fresh report (a run already going is waited for, not doubled). */
export async function readCertificatesThroughJob(jobs: Jobs = realJobs("domain"), timeoutMs = 10_000): Promise<StoredCertificate[]> {
  const askedAt = Date.now();
  try {
    await jobs.start("certificates");
  } catch (error) {
    if (!(error instanceof HttpError && error.code === "job_running")) throw error;
  }
  for (;;) {
    const state = await jobs.state("certificates");
    if (state.state !== "running") {
      // a run that was already going may have started before a change this request is waiting for,
      // so only a report written after the ask counts
      const report = freshReport(askedAt);
      if (report) return report.certificates;
      if (state.state === "failed") throw new HttpError(502, `${state.unit} failed; see its journal`, { code: "certificates_unreadable" });
      await jobs.start("certificates").catch((error) => {
        if (!(error instanceof HttpError && error.code === "job_running")) throw error;
      });
    }
    if (Date.now() - askedAt > timeoutMs) throw new HttpError(504, `${state.unit} did not finish in ${timeoutMs} ms`, { code: "certificates_timeout" });
    await sleep(50);
  }
}
