// The data written onto the test disks before they are grown, and its checksums, in node and bun
// alike (the host writes it, the guest checks it), plus the plan the host hands to the guest.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface GrowCase {
  disk: string;
  partition: string;
  image: string;
  filesystem: "ext4" | "btrfs";
  /** partition size in bytes before the job */
  sizeBefore: number;
  /** disk size the image was enlarged to */
  diskBytes: number;
  checksums: Record<string, string>;
}

export interface GuestPlan {
  growExt4: GrowCase;
  growBtrfs: GrowCase;
  prepare: { disk: string; image: string };
}

export const planPath = "/etc/caretaker-test/disks-plan.json";

export function writeData(directory: string): void {
  mkdirSync(join(directory, "photos/2024"), { recursive: true });
  for (let index = 0; index < 6; index++) {
    writeFileSync(join(directory, "photos/2024", `img-${index}.bin`), createHash("sha512").update(String(index)).digest("hex").repeat(2000));
  }
  writeFileSync(join(directory, "notes.txt"), "the data must survive growing\n");
}

/** sha256 of every regular file under a directory, by relative path (lost+found left out). */
export function checksums(directory: string): Record<string, string> {
  const sums: Record<string, string> = {};
  const visit = (path: string) => {
    for (const entry of readdirSync(path).sort()) {
      const full = join(path, entry);
      if (full === join(directory, "lost+found")) continue;
      const stat = statSync(full);
      if (stat.isDirectory()) visit(full);
      else if (stat.isFile()) sums[relative(directory, full)] = createHash("sha256").update(readFileSync(full)).digest("hex");
    }
  };
  visit(directory);
  return sums;
}
