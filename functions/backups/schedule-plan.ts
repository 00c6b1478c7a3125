// What the schedule job writes: one drop-in per scheduled job of each repository
// (/etc/systemd/system/caretaker-backups-<job>@<repository>.timer.d/schedule.conf), and the timers it
// enables or disables so that exactly the saved schedules run.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Exec } from "../_shared/exec.ts";
import { scheduledJobs, type ScheduledJob } from "./schedule-schema.ts";

export const timerName = (job: ScheduledJob, repository: string) => `caretaker-backups-${job}@${repository}.timer`;
const ourDropIn = new RegExp(`^caretaker-backups-(${scheduledJobs.join("|")})@([a-z][a-z0-9_]*)\\.timer\\.d$`);
const ourTimer = new RegExp(`^caretaker-backups-(${scheduledJobs.join("|")})@([a-z][a-z0-9_]*)\\.timer$`);

export interface WantedTimer {
  job: ScheduledJob;
  repository: string;
  calendar: string;
}

/** The template's OnCalendar= is cleared first: OnCalendar= adds up, and the default must not fire too. */
export function dropInText(calendar: string): string {
  if (/[\n\0\\]/.test(calendar)) throw new Error(`not a calendar expression: ${JSON.stringify(calendar)}`);
  return `# written by caretaker-backups-schedule.service from the saved schedule; changes here are replaced\n[Timer]\nOnCalendar=\nOnCalendar=${calendar}\n`;
}

export function wantedTimers(repositories: ReadonlyArray<{ name: string; schedule: Record<ScheduledJob, string | null> }>): WantedTimer[] {
  return repositories.flatMap((repository) =>
    scheduledJobs.flatMap((job) => (repository.schedule[job] ? [{ job, repository: repository.name, calendar: repository.schedule[job]! }] : [])),
  );
}

/** Our timers that exist now in `unitDirectory`: a drop-in directory, or an enablement link in timers.target.wants. */
export function presentTimers(unitDirectory: string): string[] {
  const found = new Set<string>();
  for (const entry of existsSync(unitDirectory) ? readdirSync(unitDirectory) : []) {
    const match = ourDropIn.exec(entry);
    if (match) found.add(entry.slice(0, -2));
  }
  const wants = join(unitDirectory, "timers.target.wants");
  for (const entry of existsSync(wants) ? readdirSync(wants) : []) if (ourTimer.test(entry)) found.add(entry);
  return [...found].sort();
}

export interface Applied {
  enabled: string[];
  disabled: string[];
}

/** Writes the wanted drop-ins, removes the others, reloads systemd, then (re)starts and enables or disables the timers. */
export async function applyTimers(wanted: readonly WantedTimer[], unitDirectory: string, exec: Exec): Promise<Applied> {
  const enabled = wanted.map((timer) => timerName(timer.job, timer.repository));
  const disabled = presentTimers(unitDirectory).filter((timer) => !enabled.includes(timer));
  for (const timer of wanted) {
    const directory = join(unitDirectory, `${timerName(timer.job, timer.repository)}.d`);
    mkdirSync(directory, { recursive: true, mode: 0o755 });
    const file = join(directory, "schedule.conf");
    writeFileSync(`${file}.tmp`, dropInText(timer.calendar), { mode: 0o644 });
    renameSync(`${file}.tmp`, file);
  }
  for (const timer of disabled) rmSync(join(unitDirectory, `${timer}.d`), { recursive: true, force: true });
  const systemctl = "/usr/bin/systemctl";
  await exec(systemctl, ["daemon-reload"], { timeoutMs: 30_000 });
  if (disabled.length) await exec(systemctl, ["disable", "--now", "--", ...disabled], { timeoutMs: 30_000 });
  if (enabled.length) {
    await exec(systemctl, ["enable", "--", ...enabled], { timeoutMs: 30_000 });
    // a restart computes the next elapse from the new calendar; Persistent= keeps its stamp file
    await exec(systemctl, ["restart", "--", ...enabled], { timeoutMs: 30_000 });
  }
  return { enabled, disabled };
}
