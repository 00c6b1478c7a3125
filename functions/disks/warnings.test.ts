import { describe, expect, test } from "vitest";
import type { Filesystem } from "./schema.ts";
import { collectWarnings } from "./warnings.ts";

const filesystem = (mountpoint: string, usedPercent: number, inodesUsedPercent = 1): Filesystem => ({
  mountpoint, source: "/dev/sdb1", kname: "sdb1", type: "ext4", readOnly: false, remountsReadOnlyOnError: true,
  usage: { sizeBytes: 100, usedBytes: usedPercent, availableBytes: 100 - usedPercent, usedPercent, inodesTotal: 1000, inodesUsed: inodesUsedPercent * 10, inodesUsedPercent },
});

describe("collectWarnings(sources): Warning[]", () => {
  test("90 % is a warning, 98 % critical, and critical ones come first", () => {
    const warnings = collectWarnings({ devices: [], arrays: [], health: [], filesystems: [filesystem("/srv/a", 89.9), filesystem("/srv/b", 90), filesystem("/srv/c", 98)] });
    expect(warnings.map((warning) => [warning.mountpoint, warning.severity, warning.code])).toEqual([
      ["/srv/c", "critical", "filesystem_full"],
      ["/srv/b", "warning", "filesystem_nearly_full"],
    ]);
  });
  test("inodes run out independently of space", () => {
    const [warning] = collectWarnings({ devices: [], arrays: [], health: [], filesystems: [filesystem("/srv/mail", 10, 99)] });
    expect(warning).toMatchObject({ code: "inodes_exhausted", severity: "critical", device: "sdb1" });
  });
  test("a degraded array and a failing drive are critical; a worn one a warning; no SMART is no warning", () => {
    const smart = (passed: boolean, concerns: string[]) => ({ available: true as const, passed, model: null, temperatureCelsius: null, powerOnHours: null, attributes: [], concerns, selfTest: null });
    const warnings = collectWarnings({
      devices: [],
      filesystems: [],
      arrays: [{ name: "md0", state: "active", level: "raid1", members: [], wanted: 2, working: 1, degraded: true, sync: null }],
      health: [
        { kname: "sda", path: "/dev/sda", identity: null, smart: smart(false, []) },
        { kname: "sdb", path: "/dev/sdb", identity: null, smart: smart(true, ["8 reallocated sectors"]) },
        { kname: "mmcblk0", path: "/dev/mmcblk0", identity: null, smart: { available: false, reason: "no SMART" } },
      ],
    });
    expect(warnings.map((warning) => [warning.device, warning.code, warning.severity])).toEqual([
      ["md0", "array_degraded", "critical"],
      ["sda", "smart_failing", "critical"],
      ["sdb", "smart_prefail", "warning"],
    ]);
  });
});
