// Measures mounted filesystems with statfs(2), as df does: shared by the system overview and disks.
import { statfs as nodeStatfs } from "node:fs/promises";

export interface StatfsNumbers {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

export interface Usage {
  sizeBytes: number;
  usedBytes: number;
  availableBytes: number;
  usedPercent: number;
  inodesTotal: number;
  inodesUsed: number;
  inodesUsedPercent: number;
}

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/** usedPercent leaves out the blocks reserved for root, as df's Use% does. */
export function usageFrom(stats: StatfsNumbers): Usage {
  const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
  const availableBytes = stats.bavail * stats.bsize;
  const usable = usedBytes + availableBytes;
  const inodesUsed = Math.max(0, stats.files - stats.ffree);
  return {
    sizeBytes: stats.blocks * stats.bsize,
    usedBytes,
    availableBytes,
    usedPercent: usable > 0 ? Math.min(100, oneDecimal((usedBytes / usable) * 100)) : 0,
    inodesTotal: stats.files,
    inodesUsed,
    inodesUsedPercent: stats.files > 0 ? oneDecimal((inodesUsed / stats.files) * 100) : 0,
  };
}

export type Statfs = (path: string) => Promise<StatfsNumbers>;

/** null when the mountpoint cannot be reached from here (ProtectHome=, InaccessiblePaths=). */
export async function measure(mountpoint: string, statfs: Statfs = (path) => nodeStatfs(path)): Promise<Usage | null> {
  try {
    return usageFrom(await statfs(mountpoint));
  } catch {
    return null;
  }
}
