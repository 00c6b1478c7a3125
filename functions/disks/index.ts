// The disks function: inventory, health and warnings of every disk and filesystem (read-only), and
// the actions (grow, prepare a data disk, self-test, largest-directories scan) as confirmed job units.
import * as v from "valibot";
import { defineFunction, route } from "../_shared/define.ts";
import { HttpError } from "../_shared/errors.ts";
import { pollEvents } from "../_shared/sse.ts";
import { startDeviceAction, startJob, startScan } from "./actions.ts";
import { collectInventory } from "./inventory.ts";
import { jobNames, readHealth, readJobStatus, readScan } from "./reports.ts";
import { HealthSchema, JobNameSchema, JobsSchema, JobStatusSchema, ScanResultSchema } from "./schema-health.ts";
import { GrowRequestSchema, HealthRequestSchema, PrepareRequestSchema, ScanRequestSchema, SelftestRequestSchema } from "./schema-requests.ts";
import { InventorySchema, WarningsSchema } from "./schema.ts";
import { thresholds } from "./warnings.ts";

function jobParameter(value: string | undefined) {
  const parsed = v.safeParse(JobNameSchema, value);
  if (!parsed.success) throw new HttpError(404, `no job "${value}"; the jobs are ${jobNames.join(", ")}`);
  return parsed.output;
}

export default defineFunction({
  name: "disks",
  summary: "Disks and storage: every device and filesystem, SMART health and warnings; grow, prepare, self-test and scan as confirmed jobs",
  routes: [
    route({
      method: "GET",
      path: "/inventory",
      summary: "Block devices, filesystems with their use, RAID arrays and current warnings, read fresh",
      response: InventorySchema,
      handle: () => collectInventory(),
    }),
    route({
      method: "GET",
      path: "/warnings",
      summary: "Only the warnings (full, inodes, read-only, filesystem errors, degraded arrays, SMART), for notifications",
      response: WarningsSchema,
      handle: async () => {
        const inventory = await collectInventory();
        return { checkedAt: inventory.collectedAt, thresholds, warnings: inventory.warnings };
      },
    }),
    route({
      method: "GET",
      path: "/health",
      summary: "SMART health of every disk as the health job last read it",
      response: HealthSchema,
      handle: () => readHealth(),
    }),
    route({
      method: "GET",
      path: "/scan",
      summary: "The result of the last largest-directories scan",
      response: ScanResultSchema,
      handle: () => readScan(),
    }),
    route({
      method: "GET",
      path: "/jobs",
      summary: "State, progress and last result of every disk job",
      response: JobsSchema,
      handle: async () => ({ jobs: await Promise.all(jobNames.map((job) => readJobStatus(job))) }),
    }),
    route({
      method: "GET",
      path: "/jobs/:job/events",
      summary: "Server-sent `status` events of one job while it runs, then `end`",
      response: { stream: "text/event-stream" },
      handle: ({ params, signal }) => {
        const job = jobParameter(params.job);
        return pollEvents(() => readJobStatus(job), (status) => status.state === "running", signal);
      },
    }),
    route({
      method: "POST",
      path: "/jobs/health",
      summary: "Read SMART of every disk now (needs raw device access: a job)",
      body: HealthRequestSchema,
      response: JobStatusSchema,
      handle: () => startJob("health", {}),
    }),
    route({
      method: "POST",
      path: "/jobs/selftest",
      summary: "Start the drive's own SMART self-test on the confirmed disk and follow it to its result",
      body: SelftestRequestSchema,
      response: JobStatusSchema,
      handle: ({ body }) => startDeviceAction("selftest", body),
    }),
    route({
      method: "POST",
      path: "/jobs/grow",
      summary: "Grow the confirmed partition and its ext4, btrfs or xfs filesystem to the end of the disk (allowed on the system disk)",
      body: GrowRequestSchema,
      response: JobStatusSchema,
      handle: ({ body }) => startDeviceAction("grow", body),
    }),
    route({
      method: "POST",
      path: "/jobs/prepare",
      summary: "Erase the confirmed disk, make one labelled filesystem on it and mount it at every boot (never a system disk)",
      body: PrepareRequestSchema,
      response: JobStatusSchema,
      handle: ({ body }) => startDeviceAction("prepare", body),
    }),
    route({
      method: "POST",
      path: "/jobs/scan",
      summary: "Find the largest directories of a mounted filesystem, within a time and entry budget",
      body: ScanRequestSchema,
      response: JobStatusSchema,
      handle: ({ body }) => startScan(body.mountpoint),
    }),
  ],
});
