// The logs function under a real systemd over a journal of a million entries: test/logs/guest-logs.ts
// runs in the booted trixie guest (test/system/run.mjs --guest-program). Needs root; fails, never skips.
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { runGuestProgram } from "../support/guest.ts";

const program = fileURLToPath(new URL("./guest-logs.ts", import.meta.url));
const packages = fileURLToPath(new URL("./guest-packages.txt", import.meta.url));

test("in the booted guest: paging, searching and following a million entries with flat memory", async () => {
  const { code, output } = await runGuestProgram(program, ["--extra-list", packages]);
  expect(output).toMatch(/^ok {3}logs: a million entries: 1000000 entries written/m);
  expect(output).toMatch(/^ok {3}logs: follow memory flat: /m);
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
