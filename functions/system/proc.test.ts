import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseLoadavg, parseMeminfo, parseUptime, readProc } from "./proc.ts";

const fixtures = join(import.meta.dirname, "fixtures");

describe("parseUptime(text): number", () => {
  it("takes the first field", () => expect(parseUptime("272.11 433.89\n")).toBe(272.11));
  it("rejects what is not /proc/uptime", () => expect(() => parseUptime("")).toThrow(/proc\/uptime/));
});

describe("parseLoadavg(text): LoadAverages", () => {
  it("reads the three averages", () => expect(parseLoadavg("1.02 0.41 0.16 2/101 14182\n")).toEqual({ one: 1.02, five: 0.41, fifteen: 0.16 }));
  it("rejects garbage", () => expect(() => parseLoadavg("a b c")).toThrow(/loadavg/));
});

describe("parseMeminfo(text): Memory", () => {
  it("reads a captured /proc/meminfo in bytes", () => {
    const memory = parseMeminfo(readFileSync(join(fixtures, "meminfo-vm.txt"), "utf8"));
    expect(memory).toEqual({
      totalBytes: 24684084 * 1024,
      availableBytes: 24092868 * 1024,
      usedBytes: (24684084 - 24092868) * 1024,
      swapTotalBytes: 0,
      swapFreeBytes: 0,
    });
  });
  it("reads a Raspberry Pi's with swap", () => {
    const text = "MemTotal:         929520 kB\nMemFree:          311492 kB\nMemAvailable:     650064 kB\nSwapTotal:        102396 kB\nSwapFree:          98556 kB\n";
    expect(parseMeminfo(text)).toMatchObject({ totalBytes: 929520 * 1024, usedBytes: (929520 - 650064) * 1024, swapFreeBytes: 98556 * 1024 });
  });
  it("names a missing field", () => expect(() => parseMeminfo("MemTotal: 1 kB\n")).toThrow(/MemAvailable/));
});

describe("readProc(procRoot)", () => {
  it("reads this machine's /proc", async () => {
    const proc = await readProc();
    expect(proc.uptimeSeconds).toBeGreaterThan(0);
    expect(proc.memory.totalBytes).toBeGreaterThan(proc.memory.availableBytes);
    expect(proc.load.one).toBeGreaterThanOrEqual(0);
  });
});
