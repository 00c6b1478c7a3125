// The schedule job (caretaker-backups-schedule.service, started by the function after a repository is
// saved or forgotten): checks the saved schedules again, writes each repository's timer drop-ins and
// enables its timers, removes those of forgotten repositories; without systemd it only records them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { exec } from "../../_shared/exec.ts";
import { bootedMarker } from "../../_shared/systemd.ts";
import { checkCalendar } from "../calendar.ts";
import { reportsDirectory, stateDirectory, writeJson } from "../files.ts";
import { applyTimers, wantedTimers, type WantedTimer } from "../schedule-plan.ts";
import { scheduledJobs, type ScheduleRecord } from "../schedule-schema.ts";
import { SettingsFileSchema } from "../schema.ts";
import { schedulePath } from "../schedule.ts";

/** Under systemd PID 1 hands the function's settings over as a credential (the job keeps no capability to read them). */
function readSettings(env = process.env) {
  const file = env.CREDENTIALS_DIRECTORY ? join(env.CREDENTIALS_DIRECTORY, "settings") : join(stateDirectory(env), "settings.json");
  return existsSync(file) ? v.parse(SettingsFileSchema, JSON.parse(readFileSync(file, "utf8"))).repositories : [];
}

export default async function main(): Promise<void> {
  const repositories = readSettings();
  const refused: ScheduleRecord["refused"] = [];
  const valid: WantedTimer[] = [];
  // the function checked these before saving; the job trusts its files no more than the function trusts requests
  await Promise.all(
    wantedTimers(repositories).map(async (timer) => {
      try {
        await checkCalendar(timer.calendar, `${timer.repository}.schedule.${timer.job}`);
        valid.push(timer);
      } catch (error) {
        refused.push({ repository: timer.repository, job: timer.job, message: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  valid.sort((a, b) => (a.repository + a.job).localeCompare(b.repository + b.job));
  const systemd = existsSync(bootedMarker);
  const applied = systemd ? await applyTimers(valid, process.env.CARETAKER_BACKUPS_UNIT_DIRECTORY ?? "/etc/systemd/system", exec) : undefined;
  const record: ScheduleRecord = {
    appliedAt: new Date().toISOString(),
    systemd,
    repositories: Object.fromEntries(
      repositories.map((repository) => [
        repository.name,
        Object.fromEntries(scheduledJobs.map((job) => [job, valid.find((timer) => timer.repository === repository.name && timer.job === job)?.calendar ?? null])) as Record<(typeof scheduledJobs)[number], string | null>,
      ]),
    ),
    refused,
  };
  writeJson(schedulePath(reportsDirectory()), record, 0o644);
  console.log(
    applied
      ? `backups schedule: ${applied.enabled.length} timer(s) enabled (${applied.enabled.join(", ") || "none"}), ${applied.disabled.length} disabled (${applied.disabled.join(", ") || "none"})`
      : `backups schedule: no systemd, recorded ${valid.length} schedule(s) without writing timers`,
  );
  if (refused.length) throw new Error(`refused: ${refused.map((entry) => `${entry.repository} ${entry.job}: ${entry.message}`).join("; ")}`);
}
