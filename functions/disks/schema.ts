// The disk inventory's response schemas (also its OpenAPI description) and the types inferred from them.
import * as v from "valibot";

const bytes = (what: string) => v.pipe(v.number(), v.integer(), v.minValue(0), v.description(what));
const nullableText = (what: string) => v.pipe(v.nullable(v.string()), v.description(what));

export const IdentitySchema = v.pipe(
  v.nullable(
    v.strictObject({
      kind: v.pipe(v.picklist(["wwn", "serial", "loop-file"]), v.description("wwn if the drive has one, else its serial; loop devices have neither and are named by their backing file")),
      value: v.pipe(v.string(), v.description("what a confirmation must repeat exactly")),
    }),
  ),
  v.description("the whole disk's stable identity; null when there is none to confirm with (LVM, RAID, a disk without serial)"),
);

export const TransportSchema = v.pipe(
  v.picklist(["nvme", "sata", "sas", "scsi", "usb", "mmc", "virtio", "loop", "device-mapper", "raid", "other"]),
  v.description("how the device is attached: lsblk's TRAN, else the kernel subsystems (SD cards: mmc, VMs: virtio)"),
);

export const DeviceSchema = v.strictObject({
  name: v.pipe(v.string(), v.description("lsblk NAME, e.g. sda1 or vg0-data")),
  kname: v.pipe(v.string(), v.description("kernel name, e.g. sda1 or dm-0: what action requests name")),
  path: v.pipe(v.string(), v.description("device node, e.g. /dev/sda1")),
  majMin: v.pipe(v.string(), v.description("major:minor")),
  type: v.pipe(v.string(), v.description("lsblk TYPE: disk, part, loop, lvm, crypt, raid1, rom, …")),
  parents: v.pipe(v.array(v.string()), v.description("knames this device sits on: a partition's disk, every disk under an LVM volume")),
  sizeBytes: bytes("size of the device"),
  readOnly: v.boolean(),
  removable: v.boolean(),
  rotational: v.pipe(v.boolean(), v.description("spinning disk (loop devices report true)")),
  transport: TransportSchema,
  model: nullableText("drive model"),
  vendor: nullableText("drive vendor"),
  serial: nullableText("serial number"),
  wwn: nullableText("World Wide Name"),
  identity: IdentitySchema,
  partitionTable: nullableText("gpt or dos, on a disk that has a partition table"),
  partitionUuid: nullableText("PARTUUID of a partition"),
  partitionLabel: nullableText("GPT partition name"),
  filesystem: v.pipe(
    v.nullable(v.strictObject({ type: v.string(), version: v.nullable(v.string()), label: v.nullable(v.string()), uuid: v.nullable(v.string()) })),
    v.description("what the device holds (filesystem, swap, RAID or LVM member), null when nothing is recognised"),
  ),
  mountpoints: v.pipe(v.array(v.string()), v.description("where it is mounted, [SWAP] for active swap")),
  system: v.pipe(v.boolean(), v.description("part of the disk that holds /, /boot, /usr, /var or swap: only growing is allowed")),
  errors: v.pipe(v.nullable(v.number()), v.description("filesystem errors counted by the kernel (ext4 errors_count, btrfs error stats); null when not counted")),
});

export const FilesystemSchema = v.strictObject({
  mountpoint: v.string(),
  source: v.pipe(v.string(), v.description("mount source, e.g. /dev/sda1")),
  kname: v.pipe(v.nullable(v.string()), v.description("the device in `devices` that holds it")),
  type: v.pipe(v.string(), v.description("ext4, btrfs, xfs, vfat, …")),
  readOnly: v.pipe(v.boolean(), v.description("the filesystem itself is read-only (mounted ro, or remounted ro by the kernel after an error)")),
  remountsReadOnlyOnError: v.boolean(),
  usage: v.pipe(
    v.nullable(
      v.strictObject({
        sizeBytes: bytes("total size"),
        usedBytes: bytes("size - free, as df counts it"),
        availableBytes: bytes("free space for unprivileged users"),
        usedPercent: v.pipe(v.number(), v.minValue(0), v.maxValue(100), v.description("used / (used + available) * 100, one decimal, as df")),
        inodesTotal: v.pipe(v.number(), v.integer(), v.minValue(0)),
        inodesUsed: v.pipe(v.number(), v.integer(), v.minValue(0)),
        inodesUsedPercent: v.pipe(v.number(), v.minValue(0), v.maxValue(100), v.description("0 where the filesystem has no fixed inode count (btrfs)")),
      }),
    ),
    v.description("statfs(2) of the mountpoint; null when it cannot be measured from here (hidden by the sandbox, or a sysroot dump)"),
  ),
});

export const RaidArraySchema = v.strictObject({
  name: v.pipe(v.string(), v.description("md0, …")),
  state: v.pipe(v.string(), v.description("active, inactive, …")),
  level: v.nullable(v.string()),
  members: v.array(v.strictObject({ device: v.string(), role: v.number(), failed: v.boolean(), spare: v.boolean() })),
  wanted: v.pipe(v.nullable(v.number()), v.description("devices the array should have")),
  working: v.pipe(v.nullable(v.number()), v.description("devices that work")),
  degraded: v.boolean(),
  sync: v.nullable(v.strictObject({ action: v.string(), percent: v.number() })),
});

export const WarningSchema = v.strictObject({
  severity: v.picklist(["warning", "critical"]),
  code: v.pipe(
    v.picklist(["filesystem_nearly_full", "filesystem_full", "inodes_nearly_exhausted", "inodes_exhausted", "filesystem_read_only", "filesystem_errors", "array_degraded", "smart_failing", "smart_prefail"]),
    v.description("stable machine-readable reason, for notifications"),
  ),
  device: nullableText("the device concerned (kname), if any"),
  mountpoint: nullableText("the mountpoint concerned, if any"),
  message: v.pipe(v.string(), v.description("one sentence for the owner")),
});

export const WarningsSchema = v.strictObject({
  checkedAt: v.pipe(v.string(), v.isoTimestamp()),
  thresholds: v.strictObject({ warningPercent: v.number(), criticalPercent: v.number() }),
  warnings: v.pipe(v.array(WarningSchema), v.description("critical first; empty when all is well")),
});

export const InventorySchema = v.strictObject({
  collectedAt: v.pipe(v.string(), v.isoTimestamp()),
  devices: v.pipe(v.array(DeviceSchema), v.description("every block device once, parents before their children")),
  filesystems: v.pipe(v.array(FilesystemSchema), v.description("mounted data filesystems, / first")),
  arrays: v.pipe(v.array(RaidArraySchema), v.description("software RAID arrays from /proc/mdstat")),
  warnings: v.array(WarningSchema),
});

export type Identity = v.InferOutput<typeof IdentitySchema>;
export type Transport = v.InferOutput<typeof TransportSchema>;
export type Device = v.InferOutput<typeof DeviceSchema>;
export type Filesystem = v.InferOutput<typeof FilesystemSchema>;
export type Warning = v.InferOutput<typeof WarningSchema>;
export type Inventory = v.InferOutput<typeof InventorySchema>;
