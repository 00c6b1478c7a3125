// The backups function, its schedule job and a timer's create job under a real systemd:
// test/backups/guest-backups.ts runs in the booted trixie guest (borg 1.4). Needs root; fails, never skips.
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { runGuestProgram } from "../support/guest.ts";

const program = fileURLToPath(new URL("./guest-backups.ts", import.meta.url));

test("in the booted guest: schedules become timers (verify's too), a timer's backup and a verified restore run in their sandboxes, polkit allows only its own jobs", async () => {
  const { code, output } = await runGuestProgram(program);
  expect(output).toMatch(/^ok {3}backups: sandbox from inside: /m);
  expect(output).toMatch(/^ok {3}backups: polkit refuses caretaker-disks-scan\.service: /m);
  expect(output).toMatch(/^ok {3}backups: timer caretaker-backups-verify@usb\.timer: enabled\/active/m);
  expect(output).toMatch(/^ok {3}backups: next run of verify: /m);
  expect(output).toMatch(/^ok {3}backups: verify through the API: 200 success/m);
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
