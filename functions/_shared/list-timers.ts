// Timers as `systemctl list-timers --all --output=json` shows them: the unit each starts, its next and
// last run; shared by every function that shows schedules (services, backups).
import type { Exec } from "./exec.ts";

export interface ListedTimer {
  name: string;
  unit: string;
  next: string | null;
  last: string | null;
}

const microsecondsToIso = (value: unknown) => (typeof value === "number" && value > 0 ? new Date(Math.floor(value / 1000)).toISOString() : null);

/**
 * `systemctl list-timers --all --output=json`: systemctl reads each timer's Unit,
 * NextElapseUSecRealtime, NextElapseUSecMonotonic and LastTriggerUSec over D-Bus and turns a
 * monotonic next elapse into wall-clock time (as the table shows it), in microseconds.
 */
export function parseListTimers(stdout: string): ListedTimer[] {
  const rows = JSON.parse(stdout) as Array<{ unit?: unknown; activates?: unknown; next?: unknown; last?: unknown }>;
  if (!Array.isArray(rows)) throw new Error("systemctl list-timers did not answer a JSON array");
  return rows.map((row) => ({ name: String(row.unit), unit: String(row.activates ?? ""), next: microsecondsToIso(row.next), last: microsecondsToIso(row.last) }));
}

/** Every loaded timer, or those matching `patterns` (globs as systemctl takes them). */
export async function listTimers(exec: Exec, patterns: readonly string[] = []): Promise<ListedTimer[]> {
  const { stdout } = await exec("/usr/bin/systemctl", ["list-timers", "--all", "--output=json", "--no-pager", ...(patterns.length ? ["--", ...patterns] : [])], { timeoutMs: 8_000 });
  return parseListTimers(stdout);
}
