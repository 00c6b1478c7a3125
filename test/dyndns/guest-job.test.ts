// The dyndns function and its update job under a real systemd: test/dyndns/guest-job.ts runs in the
// booted trixie guest (test/system/run.mjs --guest-program). Needs root; fails, never skips.
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { runGuestProgram } from "../support/guest.ts";

const program = fileURLToPath(new URL("./guest-job.ts", import.meta.url));

test("in the booted guest: settings, check now through polkit, the secret as a credential, the timer", async () => {
  const { code, output } = await runGuestProgram(program);
  expect(output).toMatch(/^ok {3}dyndns: secret as credential: /m);
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
