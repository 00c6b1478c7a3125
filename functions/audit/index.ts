// The audit function: what each caretaker unit may do and its exposure score, the effective SSH
// login settings, listening ports, certificate expiry and pending security updates. Read-only.
import { defineFunction, route } from "../_shared/define.ts";
import { exec } from "../_shared/exec.ts";
import { jobs } from "../_shared/jobs.ts";
import { readUpdates } from "./apt.ts";
import { readCertificates } from "./certificates.ts";
import { runForReport } from "./job-report.ts";
import { readSandboxes } from "./sandboxes.ts";
import { CertificatesSchema, FunctionsSchema, PortsSchema, SshSchema, UpdatesSchema, type Ports, type Ssh } from "./schema.ts";

export default defineFunction({
  name: "audit",
  summary: "The security view: every caretaker unit's sandbox and exposure score, SSH login settings, listening ports, certificate expiry, pending security updates",
  routes: [
    route({
      method: "GET",
      path: "/functions",
      summary: "Each caretaker function and job unit: user, capabilities, paths, network, address families, syscall filter, devices, and its systemd-analyze security score with the failing checks; stable order, no timestamps, so answers diff between versions",
      response: FunctionsSchema,
      handle: () => readSandboxes({ exec }),
    }),
    route({
      method: "GET",
      path: "/ssh",
      summary: "sshd's effective configuration (sshd -T, run by the caretaker-audit-sshd job) with the file and line that set each login keyword, and findings on password, root and keyboard-interactive login",
      response: SshSchema,
      handle: () => runForReport<Ssh>(jobs("audit"), "sshd"),
    }),
    route({
      method: "GET",
      path: "/ports",
      summary: "Listening TCP and bound UDP sockets with their owner and processes (read by the caretaker-audit-ports job in the host's network namespace)",
      response: PortsSchema,
      handle: () => runForReport<Ports>(jobs("audit"), "ports"),
    }),
    route({
      method: "GET",
      path: "/certificates",
      summary: "Expiry and renewal state of every certificate Caddy holds, from the domain function's last reading",
      response: CertificatesSchema,
      handle: () => readCertificates(),
    }),
    route({
      method: "GET",
      path: "/updates",
      summary: "Pending updates from apt's simulation, the security fixes among them, and when the package lists were last fetched",
      response: UpdatesSchema,
      handle: () => readUpdates(exec),
    }),
  ],
});
