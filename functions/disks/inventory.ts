// Gathers the disk inventory from every source at once (lsblk, findmnt, statfs, /proc/mdstat, sysfs,
// the health job's report); each source is injectable, and a sysroot reads a dump of another machine.
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import { completeWithBlkid } from "./blkid.ts";
import { readFilesystemErrors } from "./fs-errors.ts";
import { readMounts } from "./findmnt.ts";
import { identityOf, loopBackingFiles } from "./identity.ts";
import { readLsblk, type LsblkDevice } from "./lsblk.ts";
import { readMdstat } from "./mdstat.ts";
import { readHealth } from "./reports.ts";
import type { Device, Filesystem, Inventory } from "./schema.ts";
import { transportOf } from "./transport.ts";
import { measure, type Statfs } from "../_shared/statfs.ts";
import { collectWarnings } from "./warnings.ts";

export interface InventorySources {
  exec?: Exec;
  /** a directory holding another machine's /sys and /proc (lsblk --sysroot); usage is then unknown */
  sysroot?: string;
  statfs?: Statfs;
  now?: () => Date;
}

const systemMountpoints = new Set(["/", "/boot", "/boot/efi", "/efi", "/usr", "/var", "[SWAP]"]);

/** The disks at the bottom of a device's chain (all of them under an LVM volume or an array). */
function rootsOf(device: LsblkDevice, byKname: ReadonlyMap<string, LsblkDevice>, depth = 0): string[] {
  if (device.parents.length === 0 || depth > 16) return [device.kname];
  return device.parents.flatMap((parent) => {
    const found = byKname.get(parent);
    return found ? rootsOf(found, byKname, depth + 1) : [];
  });
}

export async function collectInventory(sources: InventorySources = {}): Promise<Inventory> {
  const exec = sources.exec ?? realExec;
  const sysroot = sources.sysroot;
  const [listed, mounts, arrays, health] = await Promise.all([
    readLsblk({ sysroot, exec }),
    readMounts({ sysroot, exec }),
    readMdstat(sysroot ? `${sysroot}/proc` : "/proc"),
    sysroot ? Promise.resolve({ checkedAt: null, devices: [] }) : readHealth(),
  ]);
  // probing the devices themselves only makes sense for this machine's devices
  const lsblk = sysroot ? listed : await completeWithBlkid(listed, exec);
  const byKname = new Map(lsblk.map((device) => [device.kname, device]));
  const [backingFiles, errors] = await Promise.all([loopBackingFiles(lsblk, sysroot), readFilesystemErrors(lsblk, sysroot)]);

  const systemRoots = new Set(lsblk.filter((device) => device.mountpoints.some((mountpoint) => systemMountpoints.has(mountpoint))).flatMap((device) => rootsOf(device, byKname)));
  const devices: Device[] = lsblk.map((device) => {
    const roots = rootsOf(device, byKname);
    const disk = roots.length === 1 ? byKname.get(roots[0]) : undefined;
    return {
      name: device.name,
      kname: device.kname,
      path: device.path,
      majMin: device.majMin,
      type: device.type,
      parents: device.parents,
      sizeBytes: device.sizeBytes,
      readOnly: device.readOnly,
      removable: device.removable,
      rotational: device.rotational,
      transport: transportOf(disk && disk.type !== "loop" && device.type === "part" ? disk : device),
      model: device.model,
      vendor: device.vendor,
      serial: device.serial,
      wwn: device.wwn,
      identity: identityOf(device, byKname, backingFiles),
      partitionTable: device.partitionTable,
      partitionUuid: device.partitionUuid,
      partitionLabel: device.partitionLabel,
      filesystem: device.filesystem,
      mountpoints: device.mountpoints,
      system: roots.some((root) => systemRoots.has(root)),
      errors: errors.get(device.kname) ?? null,
    };
  });

  const filesystems: Filesystem[] = await Promise.all(
    mounts.map(async (mount) => {
      const holder = lsblk.find((device) => device.mountpoints.includes(mount.target)) ?? lsblk.find((device) => device.path === mount.source);
      return {
        mountpoint: mount.target,
        source: mount.source,
        kname: holder?.kname ?? null,
        type: mount.fstype,
        readOnly: mount.readOnly,
        remountsReadOnlyOnError: mount.options.includes("errors=remount-ro"),
        usage: sysroot ? null : await measure(mount.target, sources.statfs),
      };
    }),
  );
  return {
    collectedAt: (sources.now ?? (() => new Date()))().toISOString(),
    devices,
    filesystems,
    arrays,
    warnings: collectWarnings({ devices, filesystems, arrays, health: health.devices }),
  };
}
