// Fills in what lsblk leaves empty on a box without udev (containers, this project's dev host):
// blkid probes the device itself, which only works where the device node can be read (root, jobs).
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import type { LsblkDevice } from "./lsblk.ts";

const blkidPath = "/usr/sbin/blkid";

/** `blkid -p -o export` blocks: KEY=value lines, a blank line between devices. */
export function parseBlkidExport(text: string): Map<string, Record<string, string>> {
  const byDevice = new Map<string, Record<string, string>>();
  for (const block of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    for (const line of block.split("\n")) {
      const at = line.indexOf("=");
      if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1);
    }
    if (fields.DEVNAME) byDevice.set(fields.DEVNAME, fields);
  }
  return byDevice;
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Devices lsblk knew nothing about get blkid's answer; udev's data, when there is any, always wins. */
export async function completeWithBlkid(devices: LsblkDevice[], exec: Exec = realExec): Promise<LsblkDevice[]> {
  const unknown = devices.filter((device) => !device.filesystem && !device.partitionTable && device.type !== "rom");
  const probeable = (await Promise.all(unknown.map(async (device) => ((await readable(device.path)) ? device.path : null)))).filter(
    (path): path is string => path !== null,
  );
  if (probeable.length === 0) return devices;
  // one device per call: `blkid -p` stops at the first device that holds nothing it knows (exit 2);
  // a device it cannot open (EPERM, a busy or vanished node) is simply left as lsblk saw it
  const outputs = await Promise.all(
    probeable.map((path) => exec(blkidPath, ["-p", "-o", "export", "--", path], { okExitCodes: [2], timeoutMs: 15_000 }).then((result) => result.stdout, () => "")),
  );
  const found = parseBlkidExport(outputs.join("\n\n"));
  return devices.map((device) => {
    const fields = found.get(device.path);
    if (!fields) return device;
    return {
      ...device,
      partitionTable: device.partitionTable ?? fields.PTTYPE ?? null,
      partitionTableUuid: device.partitionTableUuid ?? fields.PTUUID ?? null,
      partitionUuid: device.partitionUuid ?? fields.PART_ENTRY_UUID ?? null,
      partitionLabel: device.partitionLabel ?? fields.PART_ENTRY_NAME ?? null,
      filesystem:
        device.filesystem ??
        (fields.TYPE ? { type: fields.TYPE, version: fields.VERSION ?? null, label: fields.LABEL ?? null, uuid: fields.UUID ?? null } : null),
    };
  });
}
