// What every repository job shares: its repository (checked again: the job trusts the function's
// files no more than the function trusts requests), borg's places and passphrase, AIO's lockfile,
// and the run record it leaves whatever happens.
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { bootedMarker } from "../_shared/systemd.ts";
import { borgPlaces, type BorgPlaces } from "./borg.ts";
import { paths, reportsDirectory, stateDirectory } from "./files.ts";
import { updateRecord } from "./record.ts";
import { RepositoryNameSchema, type JobName, type RepositorySettings, type RunRecord } from "./schema.ts";
import { findRepository } from "./settings.ts";

export interface JobContext {
  repository: RepositorySettings;
  state: string;
  reports: string;
  places: BorgPlaces;
}

export interface JobOutcome {
  exitCode: number;
  message: string;
  warnings?: string[];
}

/** Under systemd the passphrase is the unit's credential; dev mode has no service manager to load it. */
export function passphraseFile(state: string, name: string, env = process.env, booted = existsSync(bootedMarker)): string {
  if (env.CREDENTIALS_DIRECTORY && booted) return join(env.CREDENTIALS_DIRECTORY, "passphrase");
  if (booted) throw new Error("no CREDENTIALS_DIRECTORY: run me as my job unit (LoadCredential=passphrase)");
  return paths.passphrase(state, name);
}

export function context(instance: string | undefined, env = process.env): JobContext {
  const name = v.parse(RepositoryNameSchema, instance);
  const state = stateDirectory(env);
  const reports = reportsDirectory(env);
  const repository = findRepository(state, name);
  const cache = env.CACHE_DIRECTORY?.split(":")[0] ?? join(reports, "cache");
  return { repository, state, reports, places: borgPlaces(reports, cache, passphraseFile(state, name, env)) };
}

/** Nextcloud AIO writes aio-lockfile into the repository directory while its own borg runs. */
export function aioBusy(location: string): boolean {
  return location.startsWith("/") && existsSync(join(location, "aio-lockfile"));
}

/** Runs a job's work and records its outcome in the repository's record; a failure also fails the unit. */
export async function runRepositoryJob(job: JobName, instance: string | undefined, work: (context: JobContext) => Promise<JobOutcome>): Promise<void> {
  const jobContext = context(instance);
  const { repository, reports } = jobContext;
  const startedAt = new Date().toISOString();
  let outcome: JobOutcome;
  if (aioBusy(repository.location)) {
    outcome = { exitCode: -1, message: "Nextcloud AIO is using this repository (aio-lockfile): nothing was done, try again later" };
  } else {
    try {
      outcome = await work(jobContext);
    } catch (error) {
      outcome = { exitCode: -1, message: error instanceof Error ? error.message : String(error) };
    }
  }
  const run: RunRecord = {
    job,
    startedAt,
    finishedAt: new Date().toISOString(),
    exitCode: outcome.exitCode,
    ok: outcome.exitCode === 0 || outcome.exitCode === 1,
    message: outcome.message,
    warnings: outcome.warnings ?? [],
  };
  updateRecord(reports, repository.name, (record) => ({ ...record, lastRun: run, runs: { ...record.runs, [job]: run } }));
  console.log(`backups ${job} ${repository.name}: ${run.ok ? "ok" : "failed"}: ${run.message}`);
  if (!run.ok) throw new Error(run.message);
}
