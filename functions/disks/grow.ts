// Grows a partition to the end of its disk (sfdisk, then partx tells the kernel even while it is
// mounted) and its filesystem to fill it: ext4 (resize2fs), btrfs and xfs (through a mount).
import { mkdtemp, readFile, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import type { JobContext, Located } from "./job-context.ts";
import type { LsblkDevice } from "./lsblk.ts";

const tools = {
  sfdisk: "/usr/sbin/sfdisk",
  partx: "/usr/bin/partx",
  e2fsck: "/usr/sbin/e2fsck",
  resize2fs: "/usr/sbin/resize2fs",
  btrfs: "/usr/bin/btrfs",
  xfsGrowfs: "/usr/sbin/xfs_growfs",
  mount: "/usr/bin/mount",
  umount: "/usr/bin/umount",
};

export const growableFilesystems = ["ext4", "btrfs", "xfs"];

async function partitionNumber(kname: string): Promise<number> {
  return Number((await readFile(`/sys/class/block/${kname}/partition`, "utf8")).trim());
}

/** "major:minor" of a device number as Linux encodes it (new_encode_dev). */
const majorMinor = (rdev: number) => `${Math.floor(rdev / 256) & 0xfff}:${(rdev & 0xff) | (Math.floor(rdev / 4096) & 0xfff00)}`;

/**
 * partx re-adds an unmounted partition (BLKPG delete, then add) under a new minor number. devtmpfs
 * remakes its node before partx returns; a container's /dev (a tmpfs its manager fills) follows a
 * moment later, and until then the old node opens nothing (ENXIO). Wait for the node the kernel has now.
 */
async function waitForCurrentNode(device: LsblkDevice): Promise<void> {
  let current = "";
  for (let tries = 0; tries < 100; tries++) {
    current = (await readFile(`/sys/class/block/${device.kname}/dev`, "utf8").catch(() => "")).trim();
    const node = await stat(device.path).catch(() => null);
    if (current !== "" && node?.isBlockDevice() && majorMinor(node.rdev) === current) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${device.path} does not open the partition the kernel has after partx (${current || "gone"}); nothing more was changed`);
}

/** Refusals come before anything is written, so a refused grow changes nothing. */
export function growProblem(device: LsblkDevice, byKname: ReadonlyMap<string, LsblkDevice>): string | null {
  const type = device.filesystem?.type;
  if (!type || !growableFilesystems.includes(type)) return `${device.path} holds ${type ?? "no filesystem"}; only ext4, btrfs and xfs can be grown`;
  if (device.type === "part") {
    const disk = byKname.get(device.parents[0]);
    if (!disk || disk.parents.length > 0) return `${device.path} is not a partition of a whole disk`;
    return null;
  }
  if (device.parents.length === 0) return null; // a filesystem on the whole disk: only the filesystem grows
  return `${device.path} is a ${device.type}; grow its volume with the tools that made it`;
}

/** The filesystem's own tool; btrfs and xfs grow only while mounted, so an unmounted one is mounted for the moment. */
async function growFilesystem(device: LsblkDevice, exec: Exec, scratch: string): Promise<void> {
  const type = device.filesystem!.type;
  if (type === "ext4") {
    if (device.mountpoints.length === 0) {
      // resize2fs refuses an unmounted filesystem that was not checked since its last mount; exit 1 = errors corrected
      await exec(tools.e2fsck, ["-f", "-p", device.path], { okExitCodes: [1], timeoutMs: 600_000 });
    }
    await exec(tools.resize2fs, [device.path], { timeoutMs: 600_000 });
    return;
  }
  const mounted = device.mountpoints[0];
  const target = mounted ?? (await mkdtemp(join(scratch, "grow-")));
  if (!mounted) await exec(tools.mount, ["-t", type, "--", device.path, target]);
  try {
    if (type === "btrfs") await exec(tools.btrfs, ["filesystem", "resize", "max", target], { timeoutMs: 600_000 });
    else await exec(tools.xfsGrowfs, [target], { timeoutMs: 600_000 });
  } finally {
    if (!mounted) {
      await exec(tools.umount, [target]);
      await rmdir(target);
    }
  }
}


export async function grow(located: Located, context: JobContext, options: { exec?: Exec; scratch?: string } = {}): Promise<string> {
  const exec = options.exec ?? realExec;
  const { device, byKname } = located;
  const problem = growProblem(device, byKname);
  if (problem) throw new Error(problem);
  const before = device.sizeBytes;
  if (device.type === "part") {
    const disk = byKname.get(device.parents[0])!;
    const number = await partitionNumber(device.kname);
    await context.progress(`growing partition ${number} of ${disk.path}`, 1, 3);
    // --no-reread: a mounted disk is "in use", and growing is exactly what we may do to it;
    // partx then updates the kernel's view of this one partition (BLKPG), which works while mounted
    if (disk.partitionTable === "gpt") await exec(tools.sfdisk, ["--quiet", "--no-reread", "--no-tell-kernel", "--relocate", "gpt-bak-std", disk.path]);
    await exec(tools.sfdisk, ["--quiet", "--no-reread", "--no-tell-kernel", "-N", String(number), disk.path], { input: ",+\n" });
    await exec(tools.partx, ["--update", "--nr", String(number), disk.path]);
    await waitForCurrentNode(device);
  }
  await context.progress(`growing the ${device.filesystem!.type} filesystem on ${device.path}`, 2, 3);
  await growFilesystem(device, exec, options.scratch ?? process.env.RUNTIME_DIRECTORY ?? "/tmp");
  const after = Number((await readFile(`/sys/class/block/${device.kname}/size`, "utf8")).trim()) * 512;
  return `${device.path} and its ${device.filesystem!.type} filesystem now fill ${after} bytes (before: ${before})`;
}
