// Asks systemd, over its D-Bus API (busctl), for the state of every caretaker socket and function unit.
import { access } from "node:fs/promises";
import type { Exec } from "../_shared/exec.ts";
import { parseListUnitFiles, parseListUnits as parseLoadedUnits, type LoadedUnit } from "../_shared/systemd-bus.ts";
import type { Systemd, Unit } from "./schema.ts";

export { parseListUnitFiles };

/** The overview leaves descriptions out. */
export function parseListUnits(stdout: string): Omit<LoadedUnit, "description">[] {
  return parseLoadedUnits(stdout).map(({ name, load, active, sub }) => ({ name, load, active, sub }));
}

export interface SystemdSources {
  exec: Exec;
  /** present only when systemd is PID 1, as sd_booted(3) checks */
  bootedMarker?: string;
  busctl?: string;
}

const manager = ["org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager"];
const unitPatterns = ["caretaker-*.socket", "caretaker-*@*.service"];
const unitFilePatterns = ["caretaker-*.socket", "caretaker-*@.service"];
const noValue = "-";

const socketName = /^caretaker-(.+)\.socket$/;
const serviceName = /^caretaker-(.+)@(.*)\.service$/;

/**
 * Sockets, the templates of their function units and the running instances, sorted by name (a
 * socket, then its template, then its instances). Services without a socket of the same name
 * (job units such as caretaker-backups-run@.service) are not function units and are left out.
 */
export function mergeUnits(loaded: readonly Omit<LoadedUnit, "description">[], fileStates: ReadonlyMap<string, string>): Unit[] {
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
