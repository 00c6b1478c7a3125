// Finds the root and data filesystems in /proc/self/mountinfo and measures each with statfs(2).
import { readFile, statfs } from "node:fs/promises";
import { usageFrom, type StatfsNumbers } from "../_shared/statfs.ts";
import type { Filesystem } from "./schema.ts";

export interface Mount {
  device: string;
  mountpoint: string;
  type: string;
  /** major:minor of the backing device; 0:x for filesystems without one (and btrfs) */
  deviceNumber: string;
  /** the directory of the filesystem that is mounted here; not "/" for bind mounts of a subdirectory */
  root: string;
}

/** Kernel filesystems, memory and image filesystems: nothing an owner stores data on. */
const virtualTypes = new Set([
  "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs", "efivarfs",
  "fuse.lxcfs", "fusectl", "hugetlbfs", "mqueue", "nsfs", "overlay", "proc", "pstore", "ramfs", "rpc_pipefs",
  "securityfs", "selinuxfs", "squashfs", "sysfs", "tmpfs", "tracefs",
  // the image's read-only /usr (dm-verity) is the system, not a place for data
  "erofs",
]);

/** Boot and firmware partitions are block-backed but hold no data of the owner's. */
const bootMountpoints = /^\/(boot|efi)(\/|$)/;

/** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue` (proc(5)). */
export function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const fields = line.split(" ");
    const separator = fields.indexOf("-", 6);
    if (separator < 0 || fields.length < separator + 3) continue;
    mounts.push({
      deviceNumber: fields[2],
      root: unescape(fields[3]),
      mountpoint: unescape(fields[4]),
      type: fields[separator + 1],
      device: unescape(fields[separator + 2]),
    });
  }
  return mounts;
}

/**
 * The filesystems worth showing: per mountpoint only the topmost mount (a unit's sandbox stacks
 * mounts), real block-backed types only, no bind mounts of subdirectories, each device once.
 */
export function selectFilesystems(mounts: readonly Mount[]): Mount[] {
  const topmost = new Map<string, Mount>();
  for (const mount of mounts) {
    topmost.delete(mount.mountpoint);
    topmost.set(mount.mountpoint, mount);
  }
  const seenDevices = new Set<string>();
  const kept: Mount[] = [];
  const candidates = [...topmost.values()].sort((a, b) => rank(a) - rank(b) || a.mountpoint.localeCompare(b.mountpoint));
  for (const mount of candidates) {
    // "/" is always shown, whatever backs it (a live or volatile system runs from tmpfs or overlay)
    if (mount.mountpoint !== "/" && !isDataFilesystem(mount)) continue;
    const identity = `${mount.deviceNumber} ${mount.root}`;
    if (seenDevices.has(identity)) continue;
    seenDevices.add(identity);
    kept.push(mount);
  }
  return kept;
}

function isDataFilesystem(mount: Mount): boolean {
  if (virtualTypes.has(mount.type) || mount.type.startsWith("fuse.")) return false;
  if (bootMountpoints.test(mount.mountpoint)) return false;
  // a bind mount of a subdirectory (PrivateTmp, a sandbox's /usr) repeats a filesystem shown elsewhere
  if (mount.root !== "/") return false;
  // network filesystems (statfs can hang on a lost server) and other deviceless ones, except ZFS datasets
  return mount.device.startsWith("/dev/") || !mount.deviceNumber.startsWith("0:") || mount.type === "zfs";
}

function rank(mount: Mount): number {
  return mount.mountpoint === "/" ? 0 : 1;
}

/** Sizes as df(1) computes them (see _shared/statfs.ts), with what the overview says of the mount. */
export function measure(mount: Mount, stats: StatfsNumbers): Filesystem {
  const usage = usageFrom(stats);
  return {
    mountpoint: mount.mountpoint,
    role: mount.mountpoint === "/" ? "root" : "data",
    device: mount.device,
    type: mount.type,
    sizeBytes: usage.sizeBytes,
    usedBytes: usage.usedBytes,
    availableBytes: usage.availableBytes,
    usedPercent: usage.usedPercent,
    inodesTotal: usage.inodesTotal,
    inodesFree: stats.ffree,
  };
}

export interface FilesystemSources {
  mountinfoPath?: string;
  statfs?: (path: string) => Promise<StatfsNumbers>;
}

export async function readFilesystems(sources: FilesystemSources = {}): Promise<Filesystem[]> {
  const { mountinfoPath = "/proc/self/mountinfo", statfs: statfsOf = (path: string) => statfs(path) } = sources;
  const mounts = selectFilesystems(parseMountinfo(await readFile(mountinfoPath, "utf8")));
  const measured = await Promise.all(
    mounts.map(async (mount) => {
      try {
        return measure(mount, await statfsOf(mount.mountpoint));
      } catch {
        // a mount hidden by the unit's sandbox (InaccessiblePaths, ProtectHome) cannot be measured from here
        return undefined;
      }
    }),
  );
  return measured.filter((filesystem): filesystem is Filesystem => filesystem !== undefined);
}
