// Real block devices for the disk tests: image files attached as loop devices, partitioned and
// formatted with the real tools; every device and mount is remembered so cleanUp() undoes all.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

const attached: string[] = [];
const mounted: string[] = [];
/** mountpoints the code under test made: removed once unmounted */
const madeDirectories: string[] = [];
const scratch: string[] = [];

const run = (file: string, args: string[], input?: string) => execFileSync(file, args, { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });

export function scratchDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "caretaker-disks-"));
  scratch.push(directory);
  return directory;
}

/** A sparse image file of `megabytes`, attached with partition scanning; returns /dev/loopN. */
export function attachImage(file: string, megabytes: number): string {
  run("/usr/bin/truncate", ["-s", `${megabytes}M`, file]);
  const device = run("/usr/sbin/losetup", ["--find", "--show", "--partscan", file]).trim();
  attached.push(device);
  return device;
}

/** Writes a partition table from an sfdisk script and waits for the partition nodes (no udev here). */
export function partition(device: string, script: string, count: number): string[] {
  run("/usr/sbin/sfdisk", ["--quiet", device], script);
  try {
    run("/usr/bin/partx", ["--add", device]);
  } catch {
    // the kernel already knows them (partscan worked)
  }
  const nodes = Array.from({ length: count }, (_, index) => `${device}p${index + 1}`);
  const deadline = Date.now() + 5000;
  while (!nodes.every((node) => existsSync(node)) && Date.now() < deadline) execFileSync("/usr/bin/sleep", ["0.05"]);
  if (!nodes.every((node) => existsSync(node))) throw new Error(`partitions of ${device} did not appear`);
  return nodes;
}

export function mount(device: string, target: string, options = "rw"): void {
  run("/usr/bin/mount", ["-o", options, device, target]);
  mounted.push(target);
}

export function unmount(target: string): void {
  run("/usr/bin/umount", [target]);
  mounted.splice(mounted.indexOf(target), 1);
}

/** Remembers a mount made by the code under test, so cleanUp() also removes it. */
export function adoptMount(target: string): void {
  mounted.push(target);
  madeDirectories.push(target);
}

/** Enlarges the image and tells the loop device, as a grown VM disk or a bigger SD card looks. */
export function growImage(file: string, device: string, megabytes: number): void {
  run("/usr/bin/truncate", ["-s", `${megabytes}M`, file]);
  run("/usr/sbin/losetup", ["--set-capacity", device]);
}

export const sizeOf = (device: string) => Number(readFileSync(`/sys/class/block/${basename(device)}/size`, "utf8").trim()) * 512;

export function blkid(device: string): Record<string, string> {
  const text = run("/usr/sbin/blkid", ["-p", "-o", "export", device]);
  return Object.fromEntries(text.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

/** Undoes everything, each step on its own so one failure does not leave the rest behind. */
export function cleanUp(): string[] {
  const problems: string[] = [];
  for (const target of mounted.splice(0).reverse()) {
    try {
      run("/usr/bin/umount", ["--lazy", target]);
    } catch (error) {
      problems.push(`umount ${target}: ${(error as Error).message}`);
    }
  }
  for (const device of attached.splice(0)) {
    try {
      run("/usr/sbin/losetup", ["--detach", device]);
    } catch (error) {
      problems.push(`losetup -d ${device}: ${(error as Error).message}`);
    }
  }
  for (const directory of [...madeDirectories.splice(0), ...scratch.splice(0)]) rmSync(directory, { recursive: true, force: true });
  return problems;
}
