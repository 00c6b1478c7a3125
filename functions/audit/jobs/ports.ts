// The ports job (caretaker-audit-ports.service): the box's listening sockets and the processes behind
// them, seen from the host's network namespace with the capabilities to look into other users' processes.
import { recordReport } from "../job-report.ts";
import { readPorts } from "../proc-net.ts";

export default async function main(): Promise<void> {
  recordReport("ports", { readAt: new Date().toISOString(), ports: await readPorts() });
}
