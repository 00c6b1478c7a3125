// Schemas of what the jobs leave for the function to read: SMART health, job state, progress, scan results.
import * as v from "valibot";
import { IdentitySchema } from "./schema.ts";

export const SmartSchema = v.variant("available", [
  v.strictObject({
    available: v.literal(true),
    passed: v.pipe(v.boolean(), v.description("the drive's own overall verdict (smartctl -H)")),
    model: v.nullable(v.string()),
    temperatureCelsius: v.nullable(v.number()),
    powerOnHours: v.nullable(v.number()),
    attributes: v.pipe(
      v.array(v.strictObject({ id: v.number(), name: v.string(), value: v.nullable(v.number()), threshold: v.nullable(v.number()), raw: v.number(), prefail: v.boolean(), failed: v.pipe(v.nullable(v.string()), v.description('"now" or "past" when the value is or was at its threshold')) })),
      v.description("key attributes: wear, reallocated, pending and uncorrectable sectors, CRC errors (ATA); NVMe health log as pseudo-attributes"),
    ),
    concerns: v.pipe(v.array(v.string()), v.description("what looks like a drive about to fail, in words; empty when nothing does")),
    selfTest: v.pipe(v.nullable(v.strictObject({ running: v.boolean(), remainingPercent: v.nullable(v.number()), lastResult: v.nullable(v.string()), lastPassed: v.nullable(v.boolean()) })), v.description("the self-test log's newest entry")),
  }),
  v.strictObject({
    available: v.literal(false),
    reason: v.pipe(v.string(), v.description("smartctl's own words: SD cards, many USB bridges, loop and virtual disks have no SMART")),
  }),
]);

export const DeviceHealthSchema = v.strictObject({
  kname: v.string(),
  path: v.string(),
  identity: IdentitySchema,
  smart: SmartSchema,
});

export const HealthSchema = v.strictObject({
  checkedAt: v.pipe(v.nullable(v.pipe(v.string(), v.isoTimestamp())), v.description("when the health job last read the drives; null if it never ran (POST /api/disks/jobs/health)")),
  devices: v.array(DeviceHealthSchema),
});

export const JobNameSchema = v.picklist(["health", "selftest", "grow", "prepare", "scan"]);

export const ProgressSchema = v.strictObject({
  phase: v.pipe(v.string(), v.description("what the job is doing now, in words")),
  done: v.pipe(v.nullable(v.number()), v.description("work done, in the unit of `total`")),
  total: v.nullable(v.number()),
  updatedAt: v.pipe(v.string(), v.isoTimestamp()),
});

export const JobResultSchema = v.strictObject({
  ok: v.boolean(),
  message: v.pipe(v.string(), v.description("the outcome in one sentence (the reason, when it failed)")),
  finishedAt: v.pipe(v.string(), v.isoTimestamp()),
});

export const JobStatusSchema = v.strictObject({
  job: JobNameSchema,
  unit: v.string(),
  state: v.picklist(["never-run", "running", "succeeded", "failed"]),
  startedAt: v.optional(v.string()),
  finishedAt: v.optional(v.string()),
  exitCode: v.optional(v.number()),
  request: v.pipe(v.nullable(v.record(v.string(), v.unknown())), v.description("the last request the job was started with")),
  progress: v.nullable(ProgressSchema),
  result: v.nullable(JobResultSchema),
});

export const JobsSchema = v.strictObject({ jobs: v.array(JobStatusSchema) });

const ScanLeafSchema = v.strictObject({ path: v.string(), bytes: v.number(), files: v.number() });
const ScanDirectorySchema = v.strictObject({
  path: v.pipe(v.string(), v.description("absolute path; '(files)' for the files directly in the parent, '(other)' for the rest")),
  bytes: v.pipe(v.number(), v.description("disk usage (allocated blocks) of everything below")),
  files: v.number(),
  children: v.pipe(v.array(ScanLeafSchema), v.description("its largest subdirectories (one level)")),
});

export const ScanResultSchema = v.pipe(
  v.nullable(
    v.strictObject({
      mountpoint: v.string(),
      startedAt: v.pipe(v.string(), v.isoTimestamp()),
      finishedAt: v.pipe(v.string(), v.isoTimestamp()),
      complete: v.pipe(v.boolean(), v.description("false when the scan stopped at its time or entry limit: the sizes are then lower bounds")),
      totalBytes: v.number(),
      files: v.number(),
      unreadable: v.pipe(v.number(), v.description("directories that could not be read")),
      largest: v.pipe(v.array(ScanDirectorySchema), v.description("the mount's largest top-level directories, largest first")),
    }),
  ),
  v.description("the last largest-directories scan; null if none ran"),
);

export type Smart = v.InferOutput<typeof SmartSchema>;
export type DeviceHealth = v.InferOutput<typeof DeviceHealthSchema>;
export type Health = v.InferOutput<typeof HealthSchema>;
export type JobName = v.InferOutput<typeof JobNameSchema>;
export type Progress = v.InferOutput<typeof ProgressSchema>;
export type JobResult = v.InferOutput<typeof JobResultSchema>;
export type JobStatus = v.InferOutput<typeof JobStatusSchema>;
export type ScanResult = NonNullable<v.InferOutput<typeof ScanResultSchema>>;
