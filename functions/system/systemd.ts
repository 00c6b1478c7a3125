// Asks systemd, over its D-Bus API (busctl), for the state of every caretaker socket and function unit.
import { access } from "node:fs/promises";
import type { Exec } from "../_shared/exec.ts";
import type { Systemd, Unit } from "./schema.ts";

export interface SystemdSources {
  exec: Exec;
  /** present only when systemd is PID 1, as sd_booted(3) checks */
  bootedMarker?: string;
  busctl?: string;
}

/** One row of ListUnits*: (name, description, load, active, sub, following, path, job id, job type, job path). */
export interface LoadedUnit {
  name: string;
  load: string;
  active: string;
  sub: string;
}

const manager = ["org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager"];
const unitPatterns = ["caretaker-*.socket", "caretaker-*@*.service"];
const unitFilePatterns = ["caretaker-*.socket", "caretaker-*@.service"];
const noValue = "-";

/** `busctl --json=short call` prints `{"type":"<signature>","data":[<return values>]}`. */
function replyData(stdout: string, method: string): unknown[] {
  const reply = JSON.parse(stdout) as { type?: string; data?: unknown[] };
  if (!Array.isArray(reply.data) || !Array.isArray(reply.data[0])) throw new Error(`unexpected reply to ${method}: ${stdout.slice(0, 200)}`);
  return reply.data[0] as unknown[];
}

export function parseListUnits(stdout: string): LoadedUnit[] {
  return replyData(stdout, "ListUnits").map((row) => {
    const [name, , load, active, sub] = row as string[];
    return { name, load, active, sub };
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

const socketName = /^caretaker-(.+)\.socket$/;
const serviceName = /^caretaker-(.+)@(.*)\.service$/;

/**
 * Sockets, the templates of their function units and the running instances, sorted by name (a
 * socket, then its template, then its instances). Services without a socket of the same name
 * (job units such as caretaker-backups-run@.service) are not function units and are left out.
 */
export function mergeUnits(loaded: readonly LoadedUnit[], fileStates: ReadonlyMap<string, string>): Unit[] {
  const loadedByName = new Map(loaded.map((unit) => [unit.name, unit]));
  const names = new Set([...fileStates.keys(), ...loadedByName.keys()]);
  const functions = new Set([...names].map((name) => socketName.exec(name)?.[1]).filter((fn): fn is string => fn !== undefined));
  const units: Unit[] = [];
  for (const name of names) {
    const socket = socketName.exec(name);
    const service = serviceName.exec(name);
    if (!socket && !(service && functions.has(service[1]))) continue;
    const template = service ? `caretaker-${service[1]}@.service` : name;
    const enabled = fileStates.get(name) ?? fileStates.get(template) ?? noValue;
    const state = loadedByName.get(name);
    units.push({
      name,
      kind: socket ? "socket" : "service",
      load: state?.load ?? noValue,
      active: state?.active ?? noValue,
      sub: state?.sub ?? noValue,
      enabled,
    });
  }
  return units.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function readSystemd(sources: SystemdSources): Promise<Systemd> {
  const { exec, bootedMarker = "/run/systemd/system", busctl = "/usr/bin/busctl" } = sources;
  try {
    await access(bootedMarker);
  } catch {
    return { available: false, reason: "systemd is not running as PID 1 (dev mode)" };
  }
  const call = async (method: string, signature: string, ...args: string[]) =>
    (await exec(busctl, ["--json=short", "call", ...manager, method, signature, ...args], { timeoutMs: 5_000 })).stdout;
  const patterns = (list: string[]) => ["0", String(list.length), ...list];
  try {
    const [unitsReply, filesReply] = await Promise.all([
      call("ListUnitsByPatterns", "asas", ...patterns(unitPatterns)),
      call("ListUnitFilesByPatterns", "asas", ...patterns(unitFilePatterns)),
    ]);
    const loaded = parseListUnits(unitsReply);
    const fileStates = parseListUnitFiles(filesReply);
    // a socket that is neither enabled nor started is not in memory; ListUnitsByNames loads it to report it truthfully
    const notLoaded = [...fileStates.keys()].filter((name) => socketName.test(name) && !loaded.some((unit) => unit.name === name));
    if (notLoaded.length > 0) loaded.push(...parseListUnits(await call("ListUnitsByNames", "as", String(notLoaded.length), ...notLoaded)));
    return { available: true, units: mergeUnits(loaded, fileStates) };
  } catch (error) {
    return { available: false, reason: `systemd did not answer over D-Bus: ${error instanceof Error ? error.message : String(error)}` };
  }
}
