// Job caretaker-disks-health: reads SMART of every disk (smartctl needs raw device access, which
// the function does not have) and leaves the report for the function to serve.
import { exec } from "../../_shared/exec.ts";
import { identityOf, loopBackingFiles } from "../identity.ts";
import { runDiskJob } from "../job-context.ts";
import { readLsblk } from "../lsblk.ts";
import { parseSmartctl, smartctlAnswers, smartctlPath, smartctlReadArgs } from "../smartctl.ts";
import { reportPaths, writeJsonFile } from "../state.ts";

export default function main(): Promise<void> {
  return runDiskJob("health", async (context) => {
    const all = await readLsblk();
    const byKname = new Map(all.map((device) => [device.kname, device]));
    const backingFiles = await loopBackingFiles(all);
    const disks = all.filter((device) => device.parents.length === 0 && ["disk", "loop"].includes(device.type));
    const devices = [];
    for (const [index, disk] of disks.entries()) {
      await context.progress(`reading SMART of ${disk.path}`, index, disks.length);
      const { stdout } = await exec(smartctlPath, smartctlReadArgs(disk.path), { okExitCodes: smartctlAnswers, timeoutMs: 60_000 });
      devices.push({ kname: disk.kname, path: disk.path, identity: identityOf(disk, byKname, backingFiles), smart: parseSmartctl(stdout) });
    }
    await writeJsonFile(reportPaths().health, { checkedAt: new Date().toISOString(), devices });
    const without = devices.filter((device) => !device.smart.available).length;
    return `read ${devices.length} disks (${without} without SMART)`;
  });
}
