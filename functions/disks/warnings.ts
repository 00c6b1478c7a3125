// Turns the inventory and the last health report into warnings with fixed thresholds, for the
// page and for a later notifications feature (each warning has a stable code).
import type { RaidArray } from "./mdstat.ts";
import type { DeviceHealth } from "./schema-health.ts";
import type { Device, Filesystem, Warning } from "./schema.ts";

export const thresholds = { warningPercent: 90, criticalPercent: 98 };

const percent = (value: number) => `${Math.round(value * 10) / 10}%`;

function filesystemWarnings(filesystem: Filesystem): Warning[] {
  const found: Warning[] = [];
  const at = { device: filesystem.kname, mountpoint: filesystem.mountpoint };
  const usage = filesystem.usage;
  if (usage && usage.usedPercent >= thresholds.warningPercent) {
    const critical = usage.usedPercent >= thresholds.criticalPercent;
    found.push({
      severity: critical ? "critical" : "warning",
      code: critical ? "filesystem_full" : "filesystem_nearly_full",
      ...at,
      message: `${filesystem.mountpoint} is ${percent(usage.usedPercent)} full${critical ? ": programs writing there will fail, often with misleading errors" : ""}.`,
    });
  }
  if (usage && usage.inodesTotal > 0 && usage.inodesUsedPercent >= thresholds.warningPercent) {
    const critical = usage.inodesUsedPercent >= thresholds.criticalPercent;
    found.push({
      severity: critical ? "critical" : "warning",
      code: critical ? "inodes_exhausted" : "inodes_nearly_exhausted",
      ...at,
      message: `${filesystem.mountpoint} has used ${percent(usage.inodesUsedPercent)} of its file entries (inodes): no new files can be made once they run out, however much space is free.`,
    });
  }
  if (filesystem.readOnly) {
    found.push({
      severity: "critical",
      code: "filesystem_read_only",
      ...at,
      message: `${filesystem.mountpoint} is read-only${filesystem.remountsReadOnlyOnError ? ": the kernel switches it to read-only after an error" : ""}; nothing can be saved there.`,
    });
  }
  return found;
}

export interface WarningSources {
  devices: readonly Device[];
  filesystems: readonly Filesystem[];
  arrays: readonly RaidArray[];
  health: readonly DeviceHealth[];
}

export function collectWarnings(sources: WarningSources): Warning[] {
  const warnings: Warning[] = [];
  for (const filesystem of sources.filesystems) warnings.push(...filesystemWarnings(filesystem));
  for (const device of sources.devices) {
    if (device.errors && device.errors > 0) {
      warnings.push({
        severity: "warning",
        code: "filesystem_errors",
        device: device.kname,
        mountpoint: device.mountpoints[0] ?? null,
        message: `The kernel counted ${device.errors} error${device.errors === 1 ? "" : "s"} on the ${device.filesystem?.type ?? ""} filesystem of ${device.path}: check it (fsck or btrfs scrub) and the disk's health.`,
      });
    }
  }
  for (const array of sources.arrays.filter((candidate) => candidate.degraded)) {
    warnings.push({
      severity: "critical",
      code: "array_degraded",
      device: array.name,
      mountpoint: null,
      message: `The RAID array ${array.name} is degraded (${array.working ?? "?"} of ${array.wanted ?? "?"} devices work): one more failure loses data; replace the failed disk.`,
    });
  }
  for (const entry of sources.health) {
    if (!entry.smart.available) continue;
    if (!entry.smart.passed) {
      warnings.push({ severity: "critical", code: "smart_failing", device: entry.kname, mountpoint: null, message: `${entry.path} says it is failing (SMART): copy its data off and replace it.` });
    } else if (entry.smart.concerns.length > 0) {
      warnings.push({ severity: "warning", code: "smart_prefail", device: entry.kname, mountpoint: null, message: `${entry.path} shows signs of wear: ${entry.smart.concerns.join(", ")}.` });
    }
  }
  return warnings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1));
}
