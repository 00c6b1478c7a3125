import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseMdstat } from "./mdstat.ts";

describe("parseMdstat(text): RaidArray[]", () => {
  // composed in the kernel's /proc/mdstat format (md(4)): a healthy RAID5 under check, a RAID1 with a failed member
  const arrays = parseMdstat(readFileSync(join(import.meta.dirname, "fixtures/mdstat-degraded.txt"), "utf8"));
  test("reads each array's level, members and counts", () => {
    expect(arrays.map((array) => [array.name, array.level, array.wanted, array.working, array.degraded])).toEqual([
      ["md1", "raid5", 3, 3, false],
      ["md0", "raid1", 2, 1, true],
    ]);
    expect(arrays[1].members).toEqual([
      { device: "sdb2", role: 1, failed: false, spare: false },
      { device: "sda2", role: 0, failed: true, spare: false },
    ]);
  });
  test("reads a running check with its share done", () => {
    expect(arrays[0].sync).toEqual({ action: "check", percent: 8.4 });
  });
  test("no arrays: only the personalities line", () => {
    expect(parseMdstat("Personalities : \nunused devices: <none>\n")).toEqual([]);
  });
});
