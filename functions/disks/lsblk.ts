// Everything that knows lsblk: the argv (with an optional sysroot) and its JSON turned into a flat device list.
import { exec as realExec, type Exec } from "../_shared/exec.ts";

const lsblkPath = "/usr/bin/lsblk";

/** The columns the inventory needs; -b gives sizes in bytes, so nothing is parsed from "223.6G". */
export const lsblkColumns = [
  "NAME", "KNAME", "PATH", "MAJ:MIN", "TYPE", "SIZE", "RO", "RM", "ROTA", "HOTPLUG", "TRAN", "SUBSYSTEMS",
  "MODEL", "VENDOR", "SERIAL", "WWN", "PTTYPE", "PTUUID", "PARTUUID", "PARTLABEL", "FSTYPE", "FSVER", "LABEL",
  "UUID", "MOUNTPOINTS", "PKNAME",
] as const;

export function lsblkArgs(sysroot?: string, device?: string): string[] {
  return [
    "--json", "--bytes", "--output", lsblkColumns.join(","),
    ...(sysroot ? ["--sysroot", sysroot] : []),
    ...(device ? ["--", device] : []),
  ];
}

/** One node of `lsblk --json` as util-linux 2.38 (bookworm) and 2.41 (trixie) print it. */
interface LsblkNode {
  name: string;
  kname: string;
  path: string | null;
  "maj:min": string;
  type: string;
  size: number | string | null;
  ro: boolean | string;
  rm: boolean | string;
  rota: boolean | string;
  hotplug: boolean | string;
  tran: string | null;
  subsystems: string | null;
  model: string | null;
  vendor: string | null;
  serial: string | null;
  wwn: string | null;
  pttype: string | null;
  ptuuid: string | null;
  partuuid: string | null;
  partlabel: string | null;
  fstype: string | null;
  fsver: string | null;
  label: string | null;
  uuid: string | null;
  mountpoints: (string | null)[] | null;
  pkname: string | null;
  children?: LsblkNode[];
}

/** A block device as lsblk reports it, once per kernel name, with every parent it hangs under. */
export interface LsblkDevice {
  name: string;
  kname: string;
  path: string;
  majMin: string;
  type: string;
  parents: string[];
  sizeBytes: number;
  readOnly: boolean;
  removable: boolean;
  rotational: boolean;
  hotplug: boolean;
  tran: string | null;
  subsystems: string | null;
  model: string | null;
  vendor: string | null;
  serial: string | null;
  wwn: string | null;
  partitionTable: string | null;
  partitionTableUuid: string | null;
  partitionUuid: string | null;
  partitionLabel: string | null;
  filesystem: { type: string; version: string | null; label: string | null; uuid: string | null } | null;
  mountpoints: string[];
}

/** lsblk pads some sysfs strings ("ATA     "); an empty value is no value. */
const text = (value: string | null | undefined) => (value == null || value.trim() === "" ? null : value.trim());
/** 2.38 prints JSON booleans, older versions "0"/"1". */
const flag = (value: boolean | string | null | undefined) => value === true || value === "1";

function toDevice(node: LsblkNode, parent: string | null): LsblkDevice {
  const fstype = text(node.fstype);
  return {
    name: node.name,
    kname: node.kname,
    path: node.path ?? `/dev/${node.name}`,
    majMin: node["maj:min"].trim(),
    type: node.type,
    parents: parent ? [parent] : [],
    sizeBytes: Number(node.size ?? 0),
    readOnly: flag(node.ro),
    removable: flag(node.rm),
    rotational: flag(node.rota),
    hotplug: flag(node.hotplug),
    tran: text(node.tran),
    subsystems: text(node.subsystems),
    model: text(node.model),
    vendor: text(node.vendor),
    serial: text(node.serial),
    wwn: text(node.wwn),
    partitionTable: text(node.pttype),
    partitionTableUuid: text(node.ptuuid),
    partitionUuid: text(node.partuuid),
    partitionLabel: text(node.partlabel),
    filesystem: fstype ? { type: fstype, version: text(node.fsver), label: text(node.label), uuid: text(node.uuid) } : null,
    mountpoints: (node.mountpoints ?? []).filter((mountpoint): mountpoint is string => typeof mountpoint === "string"),
  };
}

/**
 * Flattens lsblk's tree: a device under several parents (an LVM volume over four disks) is listed
 * once, with all of them; the order is lsblk's (parents before their children).
 */
export function parseLsblk(json: string): LsblkDevice[] {
  const { blockdevices } = JSON.parse(json) as { blockdevices: LsblkNode[] };
  const byKname = new Map<string, LsblkDevice>();
  const visit = (node: LsblkNode, parent: string | null) => {
    const known = byKname.get(node.kname);
    if (known) {
      if (parent && !known.parents.includes(parent)) known.parents.push(parent);
    } else {
      byKname.set(node.kname, toDevice(node, parent));
    }
    for (const child of node.children ?? []) visit(child, node.kname);
  };
  for (const node of blockdevices ?? []) visit(node, null);
  return [...byKname.values()];
}

export async function readLsblk(options: { sysroot?: string; device?: string; exec?: Exec } = {}): Promise<LsblkDevice[]> {
  const { stdout } = await (options.exec ?? realExec)(lsblkPath, lsblkArgs(options.sysroot, options.device), { timeoutMs: 15_000 });
  return parseLsblk(stdout);
}
