// Reads the kernel's counters in /proc: uptime, load averages and memory.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Memory } from "./schema.ts";

export interface LoadAverages {
  one: number;
  five: number;
  fifteen: number;
}

/** `/proc/uptime`: "<seconds up> <seconds idle summed over CPUs>". */
export function parseUptime(text: string): number {
  const field = text.trim().split(/\s+/)[0];
  const seconds = Number(field);
  if (!field || !Number.isFinite(seconds) || seconds < 0) throw new Error(`unexpected /proc/uptime: ${JSON.stringify(text)}`);
  return seconds;
}

/** `/proc/loadavg`: "0.10 0.20 0.30 1/123 4567". */
export function parseLoadavg(text: string): LoadAverages {
  const fields = text.trim().split(/\s+/);
  const [one, five, fifteen] = fields.slice(0, 3).map(Number);
  if (fields.length < 3 || ![one, five, fifteen].every((value) => Number.isFinite(value) && value >= 0)) {
    throw new Error(`unexpected /proc/loadavg: ${JSON.stringify(text)}`);
  }
  return { one, five, fifteen };
}

/** `/proc/meminfo`: "MemTotal:  24684084 kB" lines; all sizes are in KiB. */
export function parseMeminfo(text: string): Memory {
  const kib = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([\w()]+):\s+(\d+)(?: kB)?$/.exec(line.trim());
    if (match) kib.set(match[1], Number(match[2]));
  }
  const bytes = (key: string) => {
    const value = kib.get(key);
    if (value === undefined) throw new Error(`/proc/meminfo has no ${key}`);
    return value * 1024;
  };
  const totalBytes = bytes("MemTotal");
  const availableBytes = bytes("MemAvailable");
  return {
    totalBytes,
    availableBytes,
    usedBytes: Math.max(0, totalBytes - availableBytes),
    swapTotalBytes: bytes("SwapTotal"),
    swapFreeBytes: bytes("SwapFree"),
  };
}

export interface ProcReadings {
  uptimeSeconds: number;
  load: LoadAverages;
  memory: Memory;
}

export async function readProc(procRoot = "/proc"): Promise<ProcReadings> {
  const [uptime, loadavg, meminfo] = await Promise.all(
    ["uptime", "loadavg", "meminfo"].map((file) => readFile(join(procRoot, file), "utf8")),
  );
  return { uptimeSeconds: parseUptime(uptime), load: parseLoadavg(loadavg), memory: parseMeminfo(meminfo) };
}
