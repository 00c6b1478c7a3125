// Request bodies of the actions, checked by the function and checked again by the job that reads them.
import * as v from "valibot";

const kname = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9_-]{0,31}$/, "a kernel device name such as sdb, sdb1, nvme0n1p2, mmcblk0p2 or loop3"),
  v.description("the device's kernel name (kname in the inventory)"),
);
const confirm = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(512),
  v.regex(/^[^\u0000-\u001f\u007f]+$/, "no control characters"),
  v.description("the disk's identity (its WWN, else its serial; a loop device's backing file) typed out, as a guard against a re-plugged disk"),
);

export const GrowRequestSchema = v.strictObject({
  device: v.pipe(kname, v.description("the partition (or a whole-disk filesystem) to grow to the end of its disk")),
  confirm,
});

export const PrepareRequestSchema = v.strictObject({
  device: v.pipe(kname, v.description("the whole disk to prepare: everything on it is erased")),
  confirm,
  filesystem: v.optional(v.picklist(["ext4", "btrfs", "xfs"]), "ext4"),
  label: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,12}$/, "1 to 12 letters, digits, - or _ (XFS allows no more)")),
  mountpoint: v.pipe(
    v.string(),
    v.regex(/^\/(srv|mnt|media)\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/, "a new folder directly under /srv, /mnt or /media, e.g. /srv/data"),
  ),
});

export const SelftestRequestSchema = v.strictObject({
  device: v.pipe(kname, v.description("the whole disk to test")),
  confirm,
  type: v.optional(v.picklist(["short", "long"]), "short"),
});

export const ScanRequestSchema = v.strictObject({
  mountpoint: v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description("a mountpoint from the inventory's filesystems")),
});

export const HealthRequestSchema = v.strictObject({});

export type GrowRequest = v.InferOutput<typeof GrowRequestSchema>;
export type PrepareRequest = v.InferOutput<typeof PrepareRequestSchema>;
export type SelftestRequest = v.InferOutput<typeof SelftestRequestSchema>;
export type ScanRequest = v.InferOutput<typeof ScanRequestSchema>;
