// The audit function under a real systemd: test/audit/guest-audit.ts runs in the booted trixie guest
// (test/system/run.mjs --guest-program), with openssh-server added by a list of this test's own.
// Needs root; fails, never skips.
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { runGuestProgram } from "../support/guest.ts";

const program = fileURLToPath(new URL("./guest-audit.ts", import.meta.url));
const packages = fileURLToPath(new URL("./packages-guest.txt", import.meta.url));

test("in the booted guest: every unit's score as systemd-analyze gives it, a cloud-init sshd drop-in named, ports with processes", async () => {
  const { code, output } = await runGuestProgram(program, ["--extra-list", packages]);
  expect(output).toMatch(/^ok {3}audit: score caretaker-audit@\.service: /m);
  expect(output).toMatch(/^ok {3}audit: cloud-init drop-in: .*\/etc\/ssh\/sshd_config\.d\/50-cloud-init\.conf:1/m);
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
