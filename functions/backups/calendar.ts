// Checks a systemd calendar expression with systemd-analyze itself and returns its next runs.
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import { HttpError } from "../_shared/errors.ts";

/**
 * `systemd-analyze calendar --iterations=3`, run with TZ=UTC, prints "Normalized form:", then
 * "Next elapse:" and "Iter. #n:" (252; "Iteration #n:" elsewhere) lines with times in UTC.
 */
export function parseCalendar(stdout: string): { normalized: string; nextRuns: string[] } {
  const normalized = /Normalized form: (.+)/.exec(stdout)?.[1].trim() ?? "";
  const nextRuns = [...stdout.matchAll(/(?:Next elapse|Iter\. #\d+|Iteration #\d+): \w{3} (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC/g)].map((match) => new Date(`${match[1].replace(" ", "T")}Z`).toISOString());
  return { normalized, nextRuns };
}

export async function checkCalendar(expression: string, field: string, exec: Exec = realExec) {
  try {
    const { stdout } = await exec("/usr/bin/systemd-analyze", ["calendar", "--iterations=3", "--", expression], { env: { TZ: "UTC" } });
    return { expression, ...parseCalendar(stdout) };
  } catch {
    throw new HttpError(422, `${field}: "${expression}" is not a systemd calendar expression (see systemd.time(7))`);
  }
}
