// Job caretaker-disks-selftest: starts the drive's own self-test on the confirmed disk, follows it
// to the end, and refreshes the health report with its result.
import { exec } from "../../_shared/exec.ts";
import { locateConfirmed, readRequest, runDiskJob } from "../job-context.ts";
import { SelftestRequestSchema } from "../schema-requests.ts";
import { parseSmartctl, smartctlAnswers, smartctlPath, smartctlReadArgs, smartctlTestArgs } from "../smartctl.ts";
import { readJsonFile, reportPaths, writeJsonFile } from "../state.ts";

const pollMs = 10_000;

export default function main(): Promise<void> {
  return runDiskJob("selftest", async (context) => {
    const request = await readRequest("selftest", SelftestRequestSchema);
    const { device, identity } = await locateConfirmed(request.device, request.confirm);
    const read = async () => parseSmartctl((await exec(smartctlPath, smartctlReadArgs(device.path), { okExitCodes: smartctlAnswers, timeoutMs: 60_000 })).stdout);
    const before = await read();
    if (!before.available) throw new Error(`${device.path} has no SMART: ${before.reason}`);
    await exec(smartctlPath, smartctlTestArgs(device.path, request.type), { okExitCodes: smartctlAnswers });
    let smart = await read();
    // a long test takes hours on a big disk; the unit's RuntimeMaxSec= bounds the wait
    while (smart.available && smart.selfTest?.running) {
      await context.progress(`${request.type} self-test of ${device.path}`, 100 - (smart.selfTest.remainingPercent ?? 100), 100);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      smart = await read();
    }
    const report = ((await readJsonFile(reportPaths().health)) as { devices?: { kname: string }[] } | null) ?? { devices: [] };
    const devices = (report.devices ?? []).filter((entry) => entry.kname !== device.kname);
    await writeJsonFile(reportPaths().health, { checkedAt: new Date().toISOString(), devices: [...devices, { kname: device.kname, path: device.path, identity, smart }] });
    const result = smart.available ? smart.selfTest?.lastResult ?? "no result in the self-test log" : smart.reason;
    if (smart.available && smart.selfTest?.lastPassed === false) throw new Error(`the self-test of ${device.path} failed: ${result}`);
    return `the ${request.type} self-test of ${device.path} finished: ${result}`;
  });
}
