// Job caretaker-disks-grow: grows the confirmed partition and its filesystem to the end of the disk.
import { grow } from "../grow.ts";
import { locateConfirmed, readRequest, runDiskJob } from "../job-context.ts";
import { GrowRequestSchema } from "../schema-requests.ts";

export default function main(): Promise<void> {
  return runDiskJob("grow", async (context) => {
    const request = await readRequest("grow", GrowRequestSchema);
    return grow(await locateConfirmed(request.device, request.confirm), context);
  });
}
