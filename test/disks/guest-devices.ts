// The host's half of the guest disk test: loop devices for the booted guest (ext4 and btrfs
// partitions holding data on disks then enlarged, and a blank disk), and the plan that tells the
// guest program which is which, as an overlay file for test/system/run.mjs.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checksums, planPath, writeData, type GrowCase, type GuestPlan } from "./guest-data.ts";
import { attachImage, growImage, mount, partition, sizeOf, unmount } from "./loop-devices.ts";

const mebibyte = 1024 * 1024;

/** A GPT disk with one partition holding a filesystem and data, then enlarged as a grown VM disk looks. */
function growCase(scratch: string, filesystem: "ext4" | "btrfs", megabytes: number, partitionMegabytes: number, grownMegabytes: number): GrowCase {
  const image = join(scratch, `grow-${filesystem}.img`);
  const disk = attachImage(image, megabytes);
  const [part] = partition(disk, `label: gpt\n,${partitionMegabytes}M,L\n`, 1);
  if (filesystem === "ext4") execFileSync("/usr/sbin/mkfs.ext4", ["-q", "-b", "4096", "-L", "guest-ext4", part]);
  else execFileSync("/usr/sbin/mkfs.btrfs", ["-q", "-f", "-L", "guest-btrfs", part]);
  const target = join(scratch, `${filesystem}-mount`);
  mkdirSync(target);
  mount(part, target);
  writeData(target);
  const sums = checksums(target);
  unmount(target);
  const sizeBefore = sizeOf(part);
  growImage(image, disk, grownMegabytes);
  return { disk: disk.replace("/dev/", ""), partition: part.replace("/dev/", ""), image, filesystem, sizeBefore, diskBytes: grownMegabytes * mebibyte, checksums: sums };
}

/** Makes the devices (cleanUp() of loop-devices.ts detaches them); returns the overlay and the nodes to bind. */
export function prepareGuestDisks(scratch: string): { plan: GuestPlan; overlay: string; devices: string[] } {
  const prepareImage = join(scratch, "blank.img");
  const plan: GuestPlan = {
    growExt4: growCase(scratch, "ext4", 64, 40, 128),
    // btrfs needs about 114 MiB at least
    growBtrfs: growCase(scratch, "btrfs", 160, 120, 320),
    prepare: { disk: attachImage(prepareImage, 64).replace("/dev/", ""), image: prepareImage },
  };
  const overlay = join(scratch, "overlay");
  mkdirSync(join(overlay, "etc/caretaker-test"), { recursive: true });
  writeFileSync(join(overlay, planPath), JSON.stringify(plan));
  // whole disks only: growing re-adds a partition (partx: BLKPG delete + add) under a new minor, so a
  // bound partition node would go stale; the guest's udev stand-in makes partition nodes as devtmpfs would
  const devices = [plan.growExt4.disk, plan.growBtrfs.disk, plan.prepare.disk].map((name) => `/dev/${name}`);
  return { plan, overlay, devices };
}
