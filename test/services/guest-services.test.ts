// The services function under a real systemd and polkit: test/services/guest-services.ts runs in the
// booted trixie guest (test/system/run.mjs --guest-program). Needs root; fails, never skips.
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { runGuestProgram } from "../support/guest.ts";

const program = fileURLToPath(new URL("./guest-services.ts", import.meta.url));

test("in the booted guest: restart an allowed unit, 403 and polkit's refusal off the list, caretaker's own protected, timers", async () => {
  const { code, output } = await runGuestProgram(program);
  expect(output).toMatch(/^ok {3}services: restart an allowed unit: 200 done=true/m);
  expect(output).toMatch(/^ok {3}services: polkit refuses a unit off the list: .*Access denied/m);
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
