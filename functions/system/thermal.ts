// Reads the CPU temperature from the kernel's thermal zones (/sys/class/thermal/thermal_zone*).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Temperature } from "./schema.ts";

/** Zone types that measure the CPU itself: cpu-thermal (Raspberry Pi), soc_thermal, x86_pkg_temp, cpu0-thermal… */
const cpuZone = /cpu|soc|x86_pkg_temp/i;

export interface Zone {
  type: string;
  millidegrees: number;
}

/** The CPU's zone when one is named so, otherwise the first zone that answers; null without zones. */
export function pickTemperature(zones: readonly Zone[]): Temperature {
  const zone = zones.find((candidate) => cpuZone.test(candidate.type)) ?? zones[0];
  if (!zone) return null;
  return { celsius: Math.round(zone.millidegrees / 100) / 10, zone: zone.type };
}

async function readZone(directory: string): Promise<Zone | undefined> {
  try {
    const [type, temp] = await Promise.all([readFile(join(directory, "type"), "utf8"), readFile(join(directory, "temp"), "utf8")]);
    const millidegrees = Number(temp.trim());
    return Number.isFinite(millidegrees) && temp.trim() !== "" ? { type: type.trim(), millidegrees } : undefined;
  } catch {
    // a zone whose sensor is asleep or gone answers EIO/ENODATA: it is simply not a reading
    return undefined;
  }
}

export async function readTemperature(thermalRoot = "/sys/class/thermal"): Promise<Temperature> {
  let names: string[];
  try {
    names = await readdir(thermalRoot);
  } catch {
    return null;
  }
  const zoneNames = names
    .filter((name) => /^thermal_zone\d+$/.test(name))
    .sort((a, b) => Number(a.slice(12)) - Number(b.slice(12)));
  const zones = await Promise.all(zoneNames.map((name) => readZone(join(thermalRoot, name))));
  return pickTemperature(zones.filter((zone): zone is Zone => zone !== undefined));
}
