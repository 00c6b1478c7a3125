// Job caretaker-disks-scan: the largest directories of one mounted filesystem, with progress.
import { readMounts } from "../findmnt.ts";
import { readRequest, runDiskJob } from "../job-context.ts";
import { ScanRequestSchema } from "../schema-requests.ts";
import { reportPaths, writeJsonFile } from "../state.ts";
import { walk } from "../walk.ts";

export default function main(): Promise<void> {
  return runDiskJob("scan", async (context) => {
    const request = await readRequest("scan", ScanRequestSchema);
    // only a mounted data filesystem, never an arbitrary path handed in by the request
    if (!(await readMounts()).some((mount) => mount.target === request.mountpoint)) throw new Error(`${request.mountpoint} is not a mounted filesystem`);
    const result = await walk(request.mountpoint, (entries, bytes) => context.progress(`scanning ${request.mountpoint}`, entries, null).then(() => void bytes));
    await writeJsonFile(reportPaths().scan, result);
    return `scanned ${result.files} files (${result.totalBytes} bytes) on ${request.mountpoint}${result.complete ? "" : ", stopped at the scan's limit"}`;
  });
}
