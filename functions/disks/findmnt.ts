// Everything that knows findmnt: the mounted filesystems that hold data, with the superblock's own read-only flag.
import { join } from "node:path";
import { exec as realExec, type Exec } from "../_shared/exec.ts";

const findmntPath = "/usr/bin/findmnt";

export interface Mount {
  source: string;
  target: string;
  fstype: string;
  /** the filesystem (superblock) is read-only: set by `mount -o ro` or by the kernel after an error */
  readOnly: boolean;
  /** errors=remount-ro and friends: what the kernel does on an error */
  options: string[];
  majMin: string;
  fsroot: string;
}

interface FindmntRow {
  source: string;
  target: string;
  fstype: string;
  "vfs-options": string;
  "fs-options": string;
  "maj:min": string;
  fsroot: string;
}

/** Kernel, memory and image filesystems: nothing an owner stores data on. */
const virtualTypes = new Set([
  "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs", "efivarfs",
  "fusectl", "hugetlbfs", "mqueue", "nsfs", "overlay", "proc", "pstore", "ramfs", "rpc_pipefs", "securityfs",
  "selinuxfs", "squashfs", "sysfs", "tmpfs", "tracefs", "erofs", "iso9660",
]);

export function findmntArgs(sysroot?: string): string[] {
  return [
    "--json", "--list", "--output", "SOURCE,TARGET,FSTYPE,VFS-OPTIONS,FS-OPTIONS,MAJ:MIN,FSROOT",
    ...(sysroot ? ["--tab-file", join(sysroot, "proc/self/mountinfo")] : []),
  ];
}

/**
 * The data filesystems: per target only the topmost mount (a sandbox stacks mounts), block-backed
 * types only (btrfs has a 0:N device number), no bind mounts of subdirectories, each filesystem once.
 */
export function parseFindmnt(json: string): Mount[] {
  const rows = (JSON.parse(json) as { filesystems: FindmntRow[] }).filesystems ?? [];
  const topmost = new Map<string, FindmntRow>();
  for (const row of rows) {
    topmost.delete(row.target);
    topmost.set(row.target, row);
  }
  const seen = new Set<string>();
  const mounts: Mount[] = [];
  for (const row of topmost.values()) {
    if (virtualTypes.has(row.fstype) || row.fstype.startsWith("fuse")) continue;
    const blockBacked = row.source.startsWith("/dev/") || !row["maj:min"].startsWith("0:");
    if (!blockBacked && !["btrfs", "zfs", "bcachefs"].includes(row.fstype)) continue;
    if (row.fsroot !== "/" && row.target !== "/") continue;
    const key = `${row["maj:min"]} ${row.fsroot}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const superOptions = row["fs-options"].split(",");
    mounts.push({
      source: row.source,
      target: row.target,
      fstype: row.fstype,
      // ext4 on newer kernels (6.15+) marks an error remount as emergency_ro and leaves "rw"
      readOnly: superOptions.includes("ro") || superOptions.includes("emergency_ro"),
      options: superOptions.filter((option) => !["ro", "rw", "emergency_ro"].includes(option)),
      majMin: row["maj:min"],
      fsroot: row.fsroot,
    });
  }
  return mounts.sort((a, b) => (a.target === "/" ? -1 : b.target === "/" ? 1 : a.target.localeCompare(b.target)));
}

export async function readMounts(options: { sysroot?: string; exec?: Exec } = {}): Promise<Mount[]> {
  const { stdout } = await (options.exec ?? realExec)(findmntPath, findmntArgs(options.sysroot), { timeoutMs: 10_000 });
  return parseFindmnt(stdout);
}
