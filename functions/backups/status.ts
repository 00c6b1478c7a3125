// Each repository's status as the page and API clients see it: health, last good archive and its
// age, the last run, and the job that runs now with its progress.
import { jobs as realJobs, type JobState, type Jobs } from "../_shared/jobs.ts";
import { readProgress, readRecord } from "./record.ts";
import { jobNames, type RepositorySettings, type RepositoryStatus } from "./schema.ts";

/**
 * The jobs that say whether the repository is healthy: making it, backing up, checking, verifying. A restore,
 * a listing or a break-lock that went well says nothing about the backups, so it must not hide a failed one.
 */
export const healthJobs = ["init", "create", "check", "verify"] as const;

export function healthOf(repository: RepositorySettings, record: ReturnType<typeof readRecord>, now: number): RepositoryStatus["health"] {
  const last = healthJobs.flatMap((job) => (record.runs[job] ? [record.runs[job]] : [])).sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  if (last && !last.ok) return "failed";
  // a sample that did not come back intact makes every archive suspect until a verification passes
  if (record.verification && !record.verification.ok) return "failed";
  if (!record.lastGood) return last ? "stale" : "never-run";
  const ageHours = (now - Date.parse(record.lastGood.time)) / 3_600_000;
  return ageHours > repository.maxAgeHours ? "stale" : "ok";
}

/** The job of this repository that runs now, if any: at most one, because the function starts no second. */
export async function runningJob(jobs: Jobs, name: string): Promise<JobState | null> {
  const states = await Promise.all(jobNames.map((job) => jobs.state(job, name)));
  return states.find((state) => state.state === "running") ?? null;
}

export async function repositoryStatus(repository: RepositorySettings, reports: string, jobs: Jobs = realJobs("backups"), now = Date.now()): Promise<RepositoryStatus> {
  const record = readRecord(reports, repository.name);
  const running = await runningJob(jobs, repository.name);
  const health = healthOf(repository, record, now);
  return {
    name: repository.name,
    settings: repository,
    health,
    flagged: health === "stale" || health === "failed",
    lastGood: record.lastGood ? { ...record.lastGood, ageHours: Math.round(((now - Date.parse(record.lastGood.time)) / 3_600_000) * 10) / 10 } : null,
    lastRun: record.lastRun,
    runs: record.runs,
    archives: record.archives.length,
    running,
    progress: running ? readProgress(reports, repository.name) : null,
    verification: record.verification ?? null,
  };
}
