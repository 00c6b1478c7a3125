// The audit's jobs and their reports: a job writes <job>.json into the state directory it shares with
// the function (same DynamicUser= name); the function starts it and reads the report it wrote.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HttpError } from "../_shared/errors.ts";
import type { Jobs } from "../_shared/jobs.ts";

/** StateDirectory=caretaker-audit as systemd announces it (dev mode: the stack's folder). */
export function stateDirectory(): string {
  const directory = process.env.STATE_DIRECTORY?.split(":")[0];
  if (!directory) throw new HttpError(503, "no state directory (STATE_DIRECTORY is not set)", { code: "no_state_directory" });
  return directory;
}

export function writeReport(job: string, report: unknown): void {
  const path = join(stateDirectory(), `${job}.json`);
  writeFileSync(`${path}.partial`, JSON.stringify(report));
  renameSync(`${path}.partial`, path);
}

function reportAfter<T>(job: string, after: number): T | undefined {
  try {
    const report = JSON.parse(readFileSync(join(stateDirectory(), `${job}.json`), "utf8")) as { writtenAt: number; report: T };
    return report.writtenAt >= after ? report.report : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const running = (error: unknown) => error instanceof HttpError && error.code === "job_running";

/** Runs the job and answers its fresh report; a run already going is waited for, then run again if it began too early. */
export async function runForReport<T>(jobs: Jobs, job: string, timeoutMs = 15_000): Promise<T> {
  const askedAt = Date.now();
  const start = () => jobs.start(job).catch((error) => {
    if (!running(error)) throw error;
  });
  await start();
  for (;;) {
    const state = await jobs.state(job);
    if (state.state !== "running") {
      const report = reportAfter<T>(job, askedAt);
      if (report !== undefined) return report;
      // a failure recorded before this ask (timestamps are whole seconds) is an older run's
      const failedNow = state.state === "failed" && Date.parse(state.finishedAt ?? "") >= Math.floor(askedAt / 1000) * 1000;
      if (failedNow) throw new HttpError(502, `${state.unit} failed; see its journal`, { code: "job_failed" });
      await start();
    }
    if (Date.now() - askedAt > timeoutMs) throw new HttpError(504, `${state.unit} did not finish in ${timeoutMs} ms`, { code: "job_timeout" });
    await sleep(50);
  }
}

/** What a job's main writes: the report and the moment, so the function can tell it from an older one. */
export function recordReport(job: string, report: unknown): void {
  writeReport(job, { writtenAt: Date.now(), report });
}
