// The parts of borg's --json answers caretaker uses (create, list, info), with borg's names mapped to ours.
// borg 1.2 and 1.4 print the same keys for these; times are local and without a zone, as borg prints them.

export interface ArchiveSummary {
  name: string;
  /** when the archive was started, ISO 8601 in UTC */
  time: string;
}

export interface ArchiveStats {
  name: string;
  time: string;
  durationSeconds: number;
  files: number;
  originalBytes: number;
  compressedBytes: number;
  deduplicatedBytes: number;
}

/** borg prints "2026-11-30T04:38:07.000000" in the local zone of the machine that ran it. */
export function borgTime(text: string): string {
  const parsed = new Date(text.replace(/(\.\d{3})\d*$/, "$1"));
  return Number.isNaN(parsed.getTime()) ? text : parsed.toISOString();
}

interface RawArchive {
  name: string;
  start?: string;
  time?: string;
  duration?: number;
  stats?: { nfiles?: number; original_size?: number; compressed_size?: number; deduplicated_size?: number };
}

function statsOf(archive: RawArchive): ArchiveStats {
  return {
    name: archive.name,
    time: borgTime(archive.start ?? archive.time ?? ""),
    durationSeconds: archive.duration ?? 0,
    files: archive.stats?.nfiles ?? 0,
    originalBytes: archive.stats?.original_size ?? 0,
    compressedBytes: archive.stats?.compressed_size ?? 0,
    deduplicatedBytes: archive.stats?.deduplicated_size ?? 0,
  };
}

/** `borg create --json`: the new archive and its statistics. */
export function parseCreate(json: { archive: RawArchive }): ArchiveStats {
  return statsOf(json.archive);
}

/** `borg info --json repo::archive`: one archive's statistics. */
export function parseInfo(json: { archives: RawArchive[] }): ArchiveStats | undefined {
  return json.archives[0] ? statsOf(json.archives[0]) : undefined;
}

/** `borg list --json repo`: the archives, oldest first, as borg lists them. */
export function parseArchiveList(json: { archives: RawArchive[] }): ArchiveSummary[] {
  return json.archives.map((archive) => ({ name: archive.name, time: borgTime(archive.start ?? archive.time ?? "") }));
}

export interface ContentEntry {
  path: string;
  type: "file" | "directory" | "link" | "other";
  size: number;
  mtime: string;
}

const types: Record<string, ContentEntry["type"]> = { "-": "file", d: "directory", l: "link" };

/** One line of `borg list --json-lines repo::archive`. */
export function parseContentLine(line: string): ContentEntry | undefined {
  if (!line.trim()) return undefined;
  const item = JSON.parse(line) as { type: string; path: string; size?: number; mtime?: string };
  return { path: item.path, type: types[item.type] ?? "other", size: item.size ?? 0, mtime: borgTime(item.mtime ?? "") };
}
