// Finds the largest directories of one mounted filesystem, like `du -x`, within a time and entry
// budget: only the first two levels are kept in memory, deeper sizes roll up into them.
import { lstat, opendir } from "node:fs/promises";
import { join } from "node:path";
import type { ScanResult } from "./schema-health.ts";

export interface WalkLimits {
  maxSeconds: number;
  maxEntries: number;
  /** how many directories to keep per level */
  keep: number;
}

export const defaultLimits: WalkLimits = { maxSeconds: 300, maxEntries: 5_000_000, keep: 12 };

interface Totals {
  bytes: number;
  files: number;
}

export async function walk(
  mountpoint: string,
  onProgress: (entries: number, bytes: number) => Promise<void>,
  limits: WalkLimits = defaultLimits,
): Promise<ScanResult> {
  const startedAt = new Date();
  const deadline = Date.now() + limits.maxSeconds * 1000;
  const device = (await lstat(mountpoint)).dev;
  // "top" and "top/child" → totals; anything deeper is added to its two-level ancestor
  const sizes = new Map<string, Totals>();
  const add = (key: string, bytes: number, files: number) => {
    const totals = sizes.get(key) ?? { bytes: 0, files: 0 };
    totals.bytes += bytes;
    totals.files += files;
    sizes.set(key, totals);
  };
  let entries = 0;
  let totalBytes = 0;
  let unreadable = 0;
  let complete = true;
  let lastReport = Date.now();
  // depth-first with an explicit stack: no recursion limit on deep trees
  const stack: { path: string; parts: string[] }[] = [{ path: mountpoint, parts: [] }];
  while (stack.length > 0) {
    if (entries >= limits.maxEntries || Date.now() > deadline) {
      complete = false;
      break;
    }
    const { path, parts } = stack.pop()!;
    let directory;
    try {
      directory = await opendir(path, { bufferSize: 256 });
    } catch {
      unreadable += 1;
      continue;
    }
    for await (const entry of directory) {
      entries += 1;
      const child = join(path, entry.name);
      let stats;
      try {
        stats = await lstat(child);
      } catch {
        continue;
      }
      // -x: other filesystems mounted below are not this mount's usage
      if (stats.dev !== device) continue;
      const bytes = stats.blocks * 512;
      totalBytes += bytes;
      // a file counts for the directory it is in, a directory for itself: both cut to two levels
      const ownerParts = entry.isDirectory() ? [...parts, entry.name] : parts;
      add(ownerParts.length === 0 ? "(files)" : ownerParts.slice(0, 2).join("/"), bytes, entry.isDirectory() ? 0 : 1);
      if (entry.isDirectory()) stack.push({ path: child, parts: ownerParts });
    }
    if (Date.now() - lastReport > 500) {
      lastReport = Date.now();
      await onProgress(entries, totalBytes);
    }
  }
  return summarize(mountpoint, sizes, { startedAt, complete, totalBytes, unreadable, keep: limits.keep });
}

function summarize(mountpoint: string, sizes: Map<string, Totals>, info: { startedAt: Date; complete: boolean; totalBytes: number; unreadable: number; keep: number }): ScanResult {
  const top = new Map<string, { totals: Totals; children: { name: string; totals: Totals }[] }>();
  for (const [key, totals] of sizes) {
    const [first, second] = key.split("/");
    const node = top.get(first) ?? { totals: { bytes: 0, files: 0 }, children: [] };
    node.totals.bytes += totals.bytes;
    node.totals.files += totals.files;
    if (second !== undefined) node.children.push({ name: second, totals });
    top.set(first, node);
  }
  const absolute = (...names: string[]) => (names[0] === "(files)" ? "(files)" : join(mountpoint, ...names));
  const largest = [...top.entries()]
    .sort((a, b) => b[1].totals.bytes - a[1].totals.bytes)
    .slice(0, info.keep)
    .map(([name, node]) => ({
      path: absolute(name),
      bytes: node.totals.bytes,
      files: node.totals.files,
      children: node.children
        .sort((a, b) => b.totals.bytes - a.totals.bytes)
        .slice(0, info.keep)
        .map((child) => ({ path: absolute(name, child.name), bytes: child.totals.bytes, files: child.totals.files })),
    }));
  return {
    mountpoint,
    startedAt: info.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    complete: info.complete,
    totalBytes: info.totalBytes,
    files: [...sizes.values()].reduce((sum, totals) => sum + totals.files, 0),
    unreadable: info.unreadable,
    largest,
  };
}
