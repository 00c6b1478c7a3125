// The function's side of the schedules: starting the schedule job after a change, and each
// repository's timers with their next runs (from systemd, through the shared list-timers reader).
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { HttpError } from "../_shared/errors.ts";
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import type { Jobs } from "../_shared/jobs.ts";
import { listTimers, type ListedTimer } from "../_shared/list-timers.ts";
import { bootedMarker } from "../_shared/systemd.ts";
import { readJson } from "./files.ts";
import { ScheduleRecordSchema, scheduledJobs, type ScheduleRecord, type ScheduleStatus } from "./schedule-schema.ts";

export const schedulePath = (reports: string) => join(reports, "schedule.json");
const timerName = (job: string, repository: string) => `caretaker-backups-${job}@${repository}.timer`;

export function readSchedule(reports: string): ScheduleRecord | null {
  const parsed = v.safeParse(ScheduleRecordSchema, readJson(schedulePath(reports)));
  return parsed.success ? parsed.output : null;
}

/**
 * Starts the schedule job; when one is running already (it may have read the settings before this
 * change), waits for it and starts another, so the last change is always the one applied.
 */
export async function startScheduleJob(jobs: Jobs, waitMs = 10_000): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      await jobs.start("schedule");
      return;
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 409 || Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

type Scheduled = { name: string; schedule: Record<(typeof scheduledJobs)[number], string | null> };

/** Each repository's timers: one list-timers call for all of them under systemd; in dev mode, what would run. */
export async function scheduleStatuses(repositories: readonly Scheduled[], reports: string, options: { exec?: Exec; booted?: boolean } = {}): Promise<Map<string, ScheduleStatus>> {
  const booted = options.booted ?? existsSync(bootedMarker);
  const record = readSchedule(reports);
  const listed: ListedTimer[] = booted && repositories.length
    ? await listTimers(options.exec ?? realExec, scheduledJobs.map((job) => `caretaker-backups-${job}@*.timer`))
    : [];
  return new Map(repositories.map((repository) => [repository.name, statusOf(repository, record, booted, listed)]));
}

export function statusOf(repository: Scheduled, record: ScheduleRecord | null, booted: boolean, listed: readonly ListedTimer[]): ScheduleStatus {
  const timers = scheduledJobs.flatMap((job) => {
    const calendar = repository.schedule[job];
    if (!calendar) return [];
    const found = listed.find((timer) => timer.name === timerName(job, repository.name));
    return [{ job, timer: timerName(job, repository.name), calendar, next: found?.next ?? null, last: found?.last ?? null }];
  });
  const recorded = record?.repositories[repository.name];
  const current = recorded !== undefined && scheduledJobs.every((job) => recorded[job] === repository.schedule[job]);
  const refused = record?.refused.find((entry) => entry.repository === repository.name);
  if (!booted) {
    return { state: "needs-systemd", message: `timers need systemd: ${current ? "the schedule job recorded this schedule but" : "nothing"} can write timers in dev mode`, timers };
  }
  if (!current) return { state: "pending", message: refused ? `the schedule job refused it: ${refused.message}` : "the schedule job has not applied this schedule yet", timers };
  const idle = timers.filter((timer) => timer.next === null).map((timer) => timer.timer);
  return { state: "applied", message: idle.length ? `applied, but ${idle.join(" and ")} has no next run` : timers.length ? "the timers run the saved schedule" : "no schedule: backups run only when started", timers };
}

/** After a save or a forget: the settings are kept either way; a schedule job that cannot start shows as "pending" in the status. */
export async function applySchedule(jobs: Jobs): Promise<void> {
  await startScheduleJob(jobs).catch((error) => console.error(`backups: the schedule job did not start: ${error instanceof Error ? error.message : error}`));
}
