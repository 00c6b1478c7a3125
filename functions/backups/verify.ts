// Verified restores: which files of an archive to restore (a deterministic-random sample, bounded in
// count and bytes) and how each restored file compares with the sha256 borg recorded for it.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { join } from "node:path";

export interface SampleFile {
  path: string;
  size: number;
  sha256: string;
}

export interface SampleBounds {
  files: number;
  bytes: number;
}

export const defaultSample: SampleBounds = { files: 50, bytes: 200 * 1024 * 1024 };

/**
 * `borg list --json-lines` of the given paths with each file's sha256 (borg 1.2 and 1.4 add format keys
 * to the JSON). borg computes it by reading the file's chunks, each checked against the id recorded at
 * backup time, so it is asked for the sample's paths only: for a whole archive it would read everything.
 */
export const listWithChecksums = (repo: string, archive: string, paths: readonly string[]) => ["list", "--log-json", "--json-lines", "--format", "{sha256}{size}{path}", `${repo}::${archive}`, "--", ...paths];

/**
 * Keeps the files whose sha256(archive, path) is smallest: random-looking, the same for the same
 * archive (a failure can be reproduced), another sample for next week's archive. Only a few times
 * the sample's count is held, however many files the archive has.
 */
export function sampler(archive: string, bounds: SampleBounds = defaultSample) {
  const pool: Array<SampleFile & { key: string }> = [];
  const poolSize = bounds.files * 4;
  let candidates = 0;
  return {
    offer(file: SampleFile) {
      candidates++;
      const key = createHash("sha256").update(archive).update("\0").update(file.path).digest("hex");
      if (pool.length >= poolSize && key >= pool[pool.length - 1].key) return;
      const at = pool.findIndex((other) => other.key > key);
      pool.splice(at === -1 ? pool.length : at, 0, { ...file, key });
      if (pool.length > poolSize) pool.pop();
    },
    /** in key order, as many as the bounds allow; a file larger than the byte budget left is passed over */
    chosen(): { files: SampleFile[]; candidates: number } {
      const files: SampleFile[] = [];
      let bytes = 0;
      for (const { key: _key, ...file } of pool) {
        if (files.length >= bounds.files) break;
        if (bytes + file.size > bounds.bytes) continue;
        files.push(file);
        bytes += file.size;
      }
      return { files, candidates };
    },
  };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Each sampled file as restored below `scratch`: its size and checksum against what the archive recorded. */
export async function compareRestored(scratch: string, files: readonly SampleFile[]): Promise<Array<{ path: string; reason: string }>> {
  const mismatches: Array<{ path: string; reason: string }> = [];
  for (const file of files) {
    const restored = join(scratch, file.path);
    if (!existsSync(restored)) {
      mismatches.push({ path: file.path, reason: "not restored" });
      continue;
    }
    const size = statSync(restored).size;
    if (size !== file.size) mismatches.push({ path: file.path, reason: `size differs: ${size} bytes restored, ${file.size} recorded` });
    else if ((await sha256File(restored)) !== file.sha256) mismatches.push({ path: file.path, reason: "checksum differs from the one recorded in the archive" });
  }
  return mismatches;
}
