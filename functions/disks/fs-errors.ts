// Filesystem errors the kernel has counted, read from sysfs without privileges: ext4's errors_count
// (the same errors "EXT4-fs error" lines in the kernel log report) and btrfs's per-device error stats.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LsblkDevice } from "./lsblk.ts";

async function readNumber(path: string): Promise<number | null> {
  try {
    const value = Number((await readFile(path, "utf8")).trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** `write_errs 0\nread_errs 2\n...`: every counter summed. */
export function sumErrorStats(text: string): number {
  return text
    .split("\n")
    .map((line) => Number(line.trim().split(/\s+/)[1]))
    .filter(Number.isFinite)
    .reduce((sum, value) => sum + value, 0);
}

async function btrfsErrors(sysroot: string, uuid: string): Promise<number | null> {
  const devinfo = join(sysroot, "sys/fs/btrfs", uuid, "devinfo");
  try {
    const ids = await readdir(devinfo);
    const counts = await Promise.all(ids.map((id) => readFile(join(devinfo, id, "error_stats"), "utf8").then(sumErrorStats, () => 0)));
    return counts.reduce((sum, value) => sum + value, 0);
  } catch {
    return null;
  }
}

/** Error count per device kernel name; a filesystem the kernel keeps no counter for is left out. */
export async function readFilesystemErrors(devices: readonly LsblkDevice[], sysroot = "/"): Promise<Map<string, number>> {
  const entries = await Promise.all(
    devices.map(async (device): Promise<[string, number | null]> => {
      if (device.filesystem?.type === "ext4") return [device.kname, await readNumber(join(sysroot, "sys/fs/ext4", device.kname, "errors_count"))];
      if (device.filesystem?.type === "btrfs" && device.filesystem.uuid) return [device.kname, await btrfsErrors(sysroot, device.filesystem.uuid)];
      return [device.kname, null];
    }),
  );
  return new Map(entries.filter((entry): entry is [string, number] => entry[1] !== null));
}
