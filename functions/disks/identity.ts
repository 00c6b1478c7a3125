// The stable identity an action's confirmation must name, so a request never hits another disk after a re-plug.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LsblkDevice } from "./lsblk.ts";

/**
 * wwn: the World Wide Name the drive reports (unique per drive, survives re-plugging);
 * serial: the drive's serial number when there is no WWN (USB sticks, SD cards, NVMe without EUI);
 * loop-file: a loop device has neither, so it is named by the file it reads (lsblk shows no serial
 * or WWN for loop devices): detaching it and attaching another file changes the identity.
 */
export interface Identity {
  kind: "wwn" | "serial" | "loop-file";
  value: string;
}

/** /sys/block/loopN/loop/backing_file, readable without privileges (and inside a sysroot dump). */
export async function loopBackingFiles(devices: readonly LsblkDevice[], sysroot = "/"): Promise<Map<string, string>> {
  const loops = devices.filter((device) => device.type === "loop");
  const files = await Promise.all(
    loops.map((device) =>
      readFile(join(sysroot, "sys/block", device.kname, "loop/backing_file"), "utf8").then(
        (text) => text.trim(),
        () => "",
      ),
    ),
  );
  return new Map(loops.map((device, index): [string, string] => [device.kname, files[index]]).filter(([, file]) => file !== ""));
}

/** The device at the top of a device's chain (a partition's disk); undefined when it has several (LVM, RAID). */
export function wholeDisk(device: LsblkDevice, byKname: ReadonlyMap<string, LsblkDevice>): LsblkDevice | undefined {
  let current = device;
  for (let depth = 0; depth < 16; depth++) {
    if (current.parents.length === 0) return current;
    if (current.parents.length > 1) return undefined;
    const parent = byKname.get(current.parents[0]);
    if (!parent) return undefined;
    current = parent;
  }
  return undefined;
}

export function identityOf(device: LsblkDevice, byKname: ReadonlyMap<string, LsblkDevice>, backingFiles: ReadonlyMap<string, string>): Identity | null {
  const disk = wholeDisk(device, byKname);
  if (!disk) return null;
  if (disk.wwn) return { kind: "wwn", value: disk.wwn };
  if (disk.serial) return { kind: "serial", value: disk.serial };
  const file = backingFiles.get(disk.kname);
  if (disk.type === "loop" && file) return { kind: "loop-file", value: file };
  return null;
}

/** A confirmation is the identity's value typed out exactly (case and spaces as the drive reports them). */
export function confirms(identity: Identity | null, confirmation: string): boolean {
  return identity !== null && identity.value === confirmation;
}
