// Start, stop and restart over systemd's D-Bus API as this function's own user (polkit decides),
// enable and disable through the root job caretaker-services-unitfile@.service, and timers' "run now".
import { HttpError } from "../_shared/errors.ts";
import type { Exec } from "../_shared/exec.ts";
import { runJob } from "./job-wait.ts";
import { busctl } from "../_shared/systemd-bus.ts";
import type { Action, Unit } from "./schema.ts";
import { listTimers, showUnits } from "./systemctl.ts";
import { runNowPolicy } from "./timers.ts";
import { describeUnits } from "./units.ts";
import { protectedReason } from "./unit-name.ts";

const methods = { start: "StartUnit", stop: "StopUnit", restart: "RestartUnit" } as const;
const manager = ["org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ActionContext {
  exec: Exec;
  allowed: readonly string[];
  /** how long to wait for systemd to finish before answering done: false */
  waitMs?: number;
}

/** The function's own refusal, before systemd or polkit is asked at all. */
export function refusal(unit: string, action: Action, allowed: readonly string[]): HttpError | undefined {
  const reason = protectedReason(unit);
  if (reason) return new HttpError(403, reason, { code: "protected_unit" });
  if (!allowed.includes(unit)) return new HttpError(403, `${unit} is not on the allow-list: add it there first to ${action} it from here`, { code: "not_allowed" });
  return undefined;
}

/** Asks PID 1 for a job as this function's user; polkit's refusal becomes a 403 in its own words. */
async function enqueue(exec: Exec, unit: string, action: keyof typeof methods): Promise<void> {
  const { exitCode, stderr } = await exec(busctl, ["--json=short", "call", ...manager, methods[action], "ss", unit, "replace"], { timeoutMs: 10_000, okExitCodes: [1] });
  if (exitCode === 0) return;
  const said = stderr.trim().replace(/^Call failed:\s*/, "");
  if (/access denied|interactive authentication required|not authorized/i.test(said)) {
    throw new HttpError(403, `polkit refused to ${action} ${unit} for this function's user: ${said}`, { code: "polkit_refused" });
  }
  throw new HttpError(502, `systemd refused to ${action} ${unit}: ${said}`, { code: "systemd_refused" });
}

async function settled(exec: Exec, unit: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [shown] = await showUnits(exec, [unit]);
    const pending = /^\d+$/.test(shown?.Job ?? "") && shown?.Job !== "0";
    if (!pending && !/ing$/.test(shown?.ActiveState ?? "")) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}

export async function perform(unit: string, action: Action, context: ActionContext) {
  const refused = refusal(unit, action, context.allowed);
  if (refused) throw refused;
  const waitMs = context.waitMs ?? 8_000;
  let done: boolean;
  let job: string | null = null;
  if (action === "enable" || action === "disable") {
    // unit files: polkit's manage-unit-files names no unit, so only a root job that checks the list again may do it
    const outcome = await runJob(context.exec, "unitfile", `${action}:${unit}`, 60_000);
    if (!outcome.ok) throw new HttpError(502, `${outcome.unit} did not ${action} ${unit}: see journalctl -u '${outcome.unit}'`, { code: "job_failed" });
    job = outcome.unit;
    done = true;
  } else {
    await enqueue(context.exec, unit, action);
    done = await settled(context.exec, unit, waitMs);
  }
  const [status] = await describeUnits(context.exec, [unit], new Set(context.allowed));
  return { unit, action, done, job, status: status as Unit };
}

/** Run now: the timer's unit is started as the timer would start it. */
export async function runTimer(timer: string, context: ActionContext) {
  const listed = (await listTimers(context.exec)).find((entry) => entry.name === timer);
  if (!listed) throw new HttpError(404, `no timer ${timer}`);
  const policy = runNowPolicy(listed, new Set(context.allowed));
  if (!policy.runNow) throw new HttpError(403, `run now is not allowed for ${timer}: ${policy.runNowReason}`, { code: "not_allowed" });
  await enqueue(context.exec, listed.unit, "start");
  const [status] = await describeUnits(context.exec, [listed.unit], new Set(context.allowed));
  return { timer, unit: listed.unit, started: true, status: status ?? null };
}
