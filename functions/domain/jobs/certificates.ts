// Job caretaker-domain-certificates: runs as user caddy to read Caddy's certificate storage (0600
// files a function's dynamic user cannot open) and publishes the public facts for the function.
import { readStoredCertificates } from "../certificates.ts";
import { certificateReportPath, writeReport } from "../certificate-report.ts";

export default async function main(): Promise<void> {
  const certificates = await readStoredCertificates(process.env.CARETAKER_CADDY_DATA || undefined);
  writeReport(certificateReportPath(), { readAt: new Date().toISOString(), certificates });
}
