// The disks function and its job units under a real systemd: loop devices made here (ext4 and btrfs
// partitions with data, on disks then enlarged; a blank disk) are bound into a booted trixie guest
// that runs test/disks/guest-disks.ts through test/system/run.mjs. Needs root; fails, never skips.
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { runGuestProgram } from "../support/guest.ts";
import { prepareGuestDisks } from "./guest-devices.ts";
import { cleanUp, scratchDirectory } from "./loop-devices.ts";

const program = fileURLToPath(new URL("./guest-disks.ts", import.meta.url));

afterAll(() => {
  expect(cleanUp()).toEqual([]);
});

test("in the booted guest: inventory, grow ext4 and btrfs, prepare with a mount unit, refusals, every unit's sandbox", async () => {
  if (process.getuid?.() !== 0) throw new Error("the guest disk test attaches loop devices and boots a guest: it must run as root");
  const { overlay, devices } = prepareGuestDisks(scratchDirectory());

  const { code, output } = await runGuestProgram(program, ["--overlay", overlay, ...devices.flatMap((device) => ["--device", device])]);
  for (const name of ["grow ext4 through the API", "ext4 data and filesystem after growing", "grow a mounted btrfs through the API", "prepare a data disk through the API", "a confirmation naming another disk is refused", "sandbox of caretaker-disks-grow.service", "sandbox of caretaker-disks@probe.service"]) {
    expect(output).toMatch(new RegExp(`^ok {3}disks: ${name}: `, "m"));
  }
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
