// The sshd job (caretaker-audit-sshd.service): sshd's effective configuration and who set each login
// keyword. It holds CAP_DAC_READ_SEARCH to read what root alone may (host keys, a 0600 cloud-init drop-in).
import { exec } from "../../_shared/exec.ts";
import { recordReport } from "../job-report.ts";
import { asTheJob, readSsh } from "../sshd.ts";

export default async function main(): Promise<void> {
  recordReport("sshd", await readSsh(asTheJob(exec)));
}
