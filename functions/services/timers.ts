// Every timer as `systemctl list-timers --all` shows it (next, last, the unit it starts), and whether
// "run now" may start that unit from here.
import type { Exec } from "../_shared/exec.ts";
import { callManager, parseListUnits, stringArray } from "../_shared/systemd-bus.ts";
import type { Timer, Timers } from "./schema.ts";
import { listTimers, type ListedTimer } from "./systemctl.ts";

/** caretaker-<fn>-<job>.service: a job unit a caretaker timer starts (polkit lets this function start it). */
const caretakerJob = /^caretaker-[a-z0-9]+-[a-z0-9]+(-[a-z0-9]+)*(@[A-Za-z0-9:_.\\-]+)?\.service$/;

/**
 * Run now starts the timer's unit: allowed when that unit is on the owner's allow-list, or when a
 * caretaker timer starts a caretaker job, which is made to run at any moment (its timer does so
 * unattended). Anything else would let this page start units nobody chose.
 */
export function runNowPolicy(timer: Pick<ListedTimer, "name" | "unit">, allowed: ReadonlySet<string>): { runNow: boolean; runNowReason: string } {
  if (allowed.has(timer.unit)) return { runNow: true, runNowReason: `${timer.unit} is on the allow-list` };
  if (timer.name.startsWith("caretaker-") && caretakerJob.test(timer.unit)) {
    return { runNow: true, runNowReason: `${timer.unit} is a caretaker job that its timer runs anyway` };
  }
  return { runNow: false, runNowReason: `${timer.unit || "its unit"} is not on the allow-list` };
}

export function composeTimers(listed: readonly ListedTimer[], loaded: ReadonlyMap<string, { description: string; active: string }>, allowed: ReadonlySet<string>): Timer[] {
  return listed
    .map((timer) => ({
      name: timer.name,
      description: loaded.get(timer.name)?.description ?? "",
      unit: timer.unit,
      active: loaded.get(timer.name)?.active ?? "",
      next: timer.next,
      last: timer.last,
      ...runNowPolicy(timer, allowed),
    }))
    // soonest first; timers with nothing scheduled last
    .sort((a, b) => (a.next ?? "\uffff") < (b.next ?? "\uffff") ? -1 : (a.next ?? "\uffff") > (b.next ?? "\uffff") ? 1 : a.name < b.name ? -1 : 1);
}

export async function readTimers(exec: Exec, allowedList: readonly string[]): Promise<Timers> {
  const [listed, loadedReply] = await Promise.all([
    listTimers(exec),
    callManager(exec, "ListUnitsByPatterns", "asas", ["0", ...stringArray(["*.timer"])]),
  ]);
  const loaded = new Map(parseListUnits(loadedReply).map((unit) => [unit.name, unit]));
  return { available: true, timers: composeTimers(listed, loaded, new Set(allowedList)) };
}
