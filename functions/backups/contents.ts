// An archive's contents as a bounded, paged index: the list job feeds it `borg list --json-lines`
// one line at a time and keeps at most a bound of entries per directory (and in all), so a huge
// archive costs the job and the function a bounded amount of memory; the route reads pages of it.
import { join } from "node:path";
import type { ContentEntry, ContentsPage } from "./schema-verify.ts";

export interface ContentsIndex {
  archive: string;
  listedAt: string;
  /** every entry the archive holds, counted even when not kept */
  entries: number;
  /** directory path ("" is the top) → kept entries and how many it has in all */
  directories: Record<string, { total: number; kept: ContentEntry[] }>;
  /** set when listing failed: the reason in words */
  error?: string;
}

export interface Bounds {
  perDirectory: number;
  total: number;
}

// 50 000 kept entries are a few MB of JSON: the function (MemoryMax=128M) reads the index whole
export const defaultBounds: Bounds = { perDirectory: 1000, total: 50_000 };

const parentOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
const nameOf = (path: string) => path.slice(path.lastIndexOf("/") + 1);

export function contentsIndexer(archive: string, bounds: Bounds = defaultBounds) {
  const index: ContentsIndex = { archive, listedAt: new Date().toISOString(), entries: 0, directories: { "": { total: 0, kept: [] } } };
  let kept = 0;
  const place = (entry: ContentEntry) => {
    const parent = parentOf(entry.path);
    // borg lists /srv/data as srv/data without an entry for srv: its ancestors are made up here
    if (!index.directories[parent]) place({ name: nameOf(parent), path: parent, type: "directory", size: 0, mtime: "" });
    const directory = index.directories[parent];
    directory.total++;
    if (directory.kept.length < bounds.perDirectory && kept < bounds.total) {
      directory.kept.push(entry);
      kept++;
    }
    if (entry.type === "directory" && !index.directories[entry.path]) index.directories[entry.path] = { total: 0, kept: [] };
  };
  return {
    add(entry: Omit<ContentEntry, "name">) {
      index.entries++;
      const existing = index.directories[entry.path];
      // a directory made up for a deeper entry before borg listed it: fill in what borg says of it
      if (existing && entry.type === "directory") {
        const shown = index.directories[parentOf(entry.path)]?.kept.find((other) => other.path === entry.path);
        if (shown) return void Object.assign(shown, { mtime: entry.mtime });
      }
      place({ name: nameOf(entry.path), ...entry });
    },
    done: (): ContentsIndex => index,
  };
}

/** One page of a directory of the index; 404 words when the directory is not in it. */
export function pageOf(index: ContentsIndex, path: string, cursor: number, limit: number): ContentsPage | undefined {
  const directory = index.directories[path];
  if (!directory) return undefined;
  const entries = directory.kept.slice(cursor, cursor + limit);
  const next = cursor + limit;
  return {
    state: "listed",
    archive: index.archive,
    path,
    entries,
    total: directory.total,
    kept: directory.kept.length,
    truncated: directory.total > directory.kept.length,
    nextCursor: next < directory.kept.length ? String(next) : null,
    listedAt: index.listedAt,
  };
}

/** Where the list job leaves an archive's index: the jobs' records folder, readable by the function. */
export const contentsPath = (reports: string, repository: string, archive: string) => join(reports, "contents", repository, `${archive}.json`);
export const contentsRequestPath = (state: string, repository: string) => join(state, "requests", `${repository}-list.json`);
