// Job caretaker-disks-prepare: partitions, formats and persistently mounts the confirmed new disk.
import { locateConfirmed, readRequest, runDiskJob } from "../job-context.ts";
import { prepare } from "../prepare.ts";
import { PrepareRequestSchema } from "../schema-requests.ts";

export default function main(): Promise<void> {
  return runDiskJob("prepare", async (context) => {
    const request = await readRequest("prepare", PrepareRequestSchema);
    return prepare(await locateConfirmed(request.device, request.confirm), request, context);
  });
}
