// Asking systemd's manager over D-Bus with busctl (--json=short), and reading its replies; shared by
// every function that lists units (system, services).
import type { Exec } from "./exec.ts";

/** One row of ListUnits*: (name, description, load, active, sub, following, path, job id, job type, job path). */
export interface LoadedUnit {
  name: string;
  description: string;
  load: string;
  active: string;
  sub: string;
}

export const busctl = "/usr/bin/busctl";
const manager = ["org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager"];

/** `busctl --json=short call` prints `{"type":"<signature>","data":[<return values>]}`. */
export function replyData(stdout: string, method: string): unknown[] {
  const reply = JSON.parse(stdout) as { type?: string; data?: unknown[] };
  if (!Array.isArray(reply.data) || !Array.isArray(reply.data[0])) throw new Error(`unexpected reply to ${method}: ${stdout.slice(0, 200)}`);
  return reply.data[0] as unknown[];
}

export function parseListUnits(stdout: string): LoadedUnit[] {
  return replyData(stdout, "ListUnits").map((row) => {
    const [name, description, load, active, sub] = row as string[];
    return { name, description, load, active, sub };
  });
}

/** ListUnitFilesByPatterns answers a(ss): (unit file path, unit file state); keyed here by unit name. */
export function parseListUnitFiles(stdout: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const row of replyData(stdout, "ListUnitFiles")) {
    const [path, state] = row as string[];
    states.set(path.slice(path.lastIndexOf("/") + 1), state);
  }
  return states;
}

/** Calls a method of org.freedesktop.systemd1.Manager; `args` follow busctl's signature syntax. */
export async function callManager(exec: Exec, method: string, signature: string, args: readonly string[], timeoutMs = 5_000): Promise<string> {
  return (await exec(busctl, ["--json=short", "call", ...manager, method, signature, ...args], { timeoutMs })).stdout;
}

/** busctl's form of an `as` argument: its length, then the strings. */
export function stringArray(list: readonly string[]): string[] {
  return [String(list.length), ...list];
}
