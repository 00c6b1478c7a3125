// Prepares a new data disk: one GPT partition over the whole disk, a labelled filesystem, and a
// mount that comes back at every boot (a systemd mount unit; mounted at once).
import { existsSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import { bootedMarker, escapeInstance } from "../_shared/systemd.ts";
import { parseBlkidExport } from "./blkid.ts";
import { descendants, type JobContext, type Located } from "./job-context.ts";
import type { PrepareRequest } from "./schema-requests.ts";

const tools = {
  wipefs: "/usr/sbin/wipefs",
  sfdisk: "/usr/sbin/sfdisk",
  partx: "/usr/bin/partx",
  blkid: "/usr/sbin/blkid",
  mount: "/usr/bin/mount",
  systemctl: "/usr/bin/systemctl",
  mkfs: { ext4: "/usr/sbin/mkfs.ext4", btrfs: "/usr/sbin/mkfs.btrfs", xfs: "/usr/sbin/mkfs.xfs" },
};

const systemMountpoints = new Set(["/", "/boot", "/boot/efi", "/efi", "/usr", "/var", "[SWAP]"]);

/** A disk may be prepared only when nothing of it is in use: not mounted, no swap, no volume or array on it. */
export function prepareProblem(located: Located, mountpoint: string): string | null {
  const { device, all } = located;
  if (device.parents.length > 0 || !["disk", "loop"].includes(device.type)) return `${device.path} is a ${device.type}, not a whole disk`;
  const below = [device, ...descendants(device.kname, all)];
  const system = below.find((entry) => entry.mountpoints.some((point) => systemMountpoints.has(point)));
  if (system) return `${device.path} holds the system (${system.path} at ${system.mountpoints.join(", ")}): it is never erased`;
  const mounted = below.find((entry) => entry.mountpoints.length > 0);
  if (mounted) return `${mounted.path} is mounted at ${mounted.mountpoints.join(", ")}: unmount it first`;
  const holder = below.find((entry) => entry !== device && entry.type !== "part");
  if (holder) return `${device.path} is in use by ${holder.path} (${holder.type})`;
  if (existsSync(mountpoint) && readdirSync(mountpoint).length > 0) return `${mountpoint} exists and is not empty`;
  return null;
}

/** The partition device the kernel made; without udev (containers) its node can lag a moment behind. */
async function waitForNode(path: string): Promise<void> {
  for (let tries = 0; tries < 100 && !existsSync(path); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!existsSync(path)) throw new Error(`${path} did not appear after partitioning`);
}

/** `/srv/data` → `srv-data.mount`, as systemd-escape --path --suffix=mount names it. */
export const mountUnitName = (mountpoint: string) => `${escapeInstance(mountpoint.replace(/^\/+/, ""))}.mount`;

export function mountUnit(request: PrepareRequest, uuid: string, identity: string): string {
  return `# Written by caretaker when it prepared this data disk (${identity}).
[Unit]
Description=caretaker data disk ${request.label}

[Mount]
What=/dev/disk/by-uuid/${uuid}
Where=${request.mountpoint}
Type=${request.filesystem}
# nofail: a missing data disk must not stop the box from booting
Options=nofail,noatime

[Install]
WantedBy=local-fs.target
`;
}

export interface PrepareOptions {
  exec?: Exec;
  /** where mount units go; tests point it at a temporary directory */
  unitDirectory?: string;
  booted?: boolean;
}

export async function prepare(located: Located, request: PrepareRequest, context: JobContext, options: PrepareOptions = {}): Promise<string> {
  const exec = options.exec ?? realExec;
  const problem = prepareProblem(located, request.mountpoint);
  if (problem) throw new Error(problem);
  const disk = located.device;
  await context.progress(`erasing and partitioning ${disk.path}`, 1, 4);
  for (const entry of descendants(disk.kname, located.all).reverse()) await exec(tools.wipefs, ["--all", "--quiet", entry.path]);
  await exec(tools.wipefs, ["--all", "--quiet", disk.path]);
  // one partition from the first MiB to the end, type "Linux filesystem"
  await exec(tools.sfdisk, ["--quiet", "--wipe", "always", "--wipe-partitions", "always", disk.path], { input: "label: gpt\n,,L\n", timeoutMs: 60_000 });
  await exec(tools.partx, ["--update", disk.path]).catch(() => exec(tools.partx, ["--add", disk.path]));
  const partition = /\d$/.test(disk.path) ? `${disk.path}p1` : `${disk.path}1`;
  await waitForNode(partition);
  await context.progress(`making a ${request.filesystem} filesystem labelled ${request.label}`, 2, 4);
  const force = request.filesystem === "ext4" ? "-F" : "-f";
  await exec(tools.mkfs[request.filesystem], ["-q", force, "-L", request.label, partition], { timeoutMs: 600_000 });
  const probed = parseBlkidExport((await exec(tools.blkid, ["-p", "-o", "export", partition])).stdout).get(partition);
  const uuid = probed?.UUID;
  if (!uuid) throw new Error(`${partition} shows no filesystem UUID after mkfs`);
  await context.progress(`mounting it at ${request.mountpoint}`, 3, 4);
  await mkdir(request.mountpoint, { recursive: true, mode: 0o755 });
  const unitDirectory = options.unitDirectory ?? process.env.CARETAKER_DISKS_MOUNT_UNITS ?? "/etc/systemd/system";
  const unit = mountUnitName(request.mountpoint);
  await writeFile(join(unitDirectory, unit), mountUnit(request, uuid, `${located.identity?.kind} ${located.identity?.value}`), { mode: 0o644 });
  if (options.booted ?? existsSync(bootedMarker)) {
    await exec(tools.systemctl, ["daemon-reload"]);
    await exec(tools.systemctl, ["enable", "--now", unit], { timeoutMs: 60_000 });
  } else {
    // no systemd to start the unit (dev mode): mount directly; the unit file is what a boot would use
    await exec(tools.mount, ["-t", request.filesystem, "-o", "noatime", "--", partition, request.mountpoint]);
  }
  return `${disk.path} now holds one ${request.filesystem} filesystem labelled ${request.label} (UUID ${uuid}), mounted at ${request.mountpoint} by ${unit}`;
}
