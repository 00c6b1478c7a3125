// Names how a device is attached, from lsblk's TRAN or, where that is empty, the kernel's subsystem chain.
import type { LsblkDevice } from "./lsblk.ts";
import type { Transport } from "./schema.ts";

const byTran: Record<string, Transport> = { nvme: "nvme", sata: "sata", ata: "sata", sas: "sas", usb: "usb", mmc: "mmc", spi: "other", iscsi: "scsi", fc: "scsi", virtio: "virtio" };

/** A partition is attached the way its disk is, so callers pass the whole disk when they know it. */
export function transportOf(device: LsblkDevice): Transport {
  if (device.type === "loop") return "loop";
  if (device.tran && byTran[device.tran]) return byTran[device.tran];
  if (device.type === "lvm" || device.type === "crypt" || device.kname.startsWith("dm-")) return "device-mapper";
  if (device.type.startsWith("raid") || device.kname.startsWith("md")) return "raid";
  const subsystems = (device.subsystems ?? "").split(":");
  // SD cards and eMMC have no TRAN in lsblk 2.38: the kernel's mmc subsystem says it
  if (subsystems.includes("mmc") || device.kname.startsWith("mmcblk")) return "mmc";
  if (subsystems.includes("usb")) return "usb";
  if (subsystems.includes("nvme") || device.kname.startsWith("nvme")) return "nvme";
  if (subsystems.includes("virtio") || device.kname.startsWith("vd")) return "virtio";
  // libata disks say "ATA" in the SCSI vendor field when TRAN is missing (older lsblk, sysfs dumps)
  if (device.vendor === "ATA") return "sata";
  if (subsystems.includes("scsi")) return "scsi";
  return "other";
}
