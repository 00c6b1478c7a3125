// Reads what the jobs left behind (health report, last scan, each job's request, progress and
// result), checked against their schemas: a file that does not fit is treated as absent.
import * as v from "valibot";
import { jobs } from "../_shared/jobs.ts";
import { HealthSchema, JobResultSchema, ProgressSchema, ScanResultSchema, type Health, type JobName, type JobStatus, type ScanResult } from "./schema-health.ts";
import { readJsonFile, reportPaths, requestPath } from "./state.ts";

async function readChecked<S extends v.GenericSchema>(schema: S, path: string): Promise<v.InferOutput<S> | null> {
  const parsed = v.safeParse(schema, await readJsonFile(path));
  return parsed.success ? parsed.output : null;
}

export async function readHealth(): Promise<Health> {
  return (await readChecked(HealthSchema, reportPaths().health)) ?? { checkedAt: null, devices: [] };
}

export async function readScan(): Promise<ScanResult | null> {
  return readChecked(ScanResultSchema, reportPaths().scan);
}

export const jobNames: readonly JobName[] = ["health", "selftest", "grow", "prepare", "scan"];

export async function readJobStatus(job: JobName): Promise<JobStatus> {
  const paths = reportPaths();
  const [state, request, progress, result] = await Promise.all([
    jobs("disks").state(job),
    readJsonFile(requestPath(job)),
    readChecked(ProgressSchema, paths.progress(job)),
    readChecked(JobResultSchema, paths.result(job)),
  ]);
  return {
    job,
    ...state,
    // jobs.ts knows that a noted start ended well, not when: the job's own result says
    ...(state.finishedAt === undefined && state.state !== "running" && result ? { finishedAt: result.finishedAt } : {}),
    request: request && typeof request === "object" ? (request as Record<string, unknown>) : null,
    progress,
    // a result older than the current run belongs to the run before
    result: state.state === "running" ? null : result,
  };
}
