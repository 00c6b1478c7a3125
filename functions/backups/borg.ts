// Everything that knows borg's command line: the environment (passphrase by command, never in argv
// or the environment itself), and the argument lists of each operation, for borg 1.2 and 1.4.
import { join } from "node:path";

export const borgPath = "/usr/bin/borg";

export interface BorgPlaces {
  /** borg's keys, security records and config (BORG_BASE_DIR) */
  baseDir: string;
  /** the chunk and files caches, which can be rebuilt (BORG_CACHE_DIR) */
  cacheDir: string;
  /** a file holding the passphrase: the unit's credential, or the dev stack's copy */
  passphraseFile: string;
}

/** The passcommand is split by borg with shlex, without a shell: only plain path bytes are allowed. */
const plainPath = /^\/[A-Za-z0-9/._@:+-]+$/;

export function borgEnv(places: BorgPlaces): Record<string, string> {
  if (!plainPath.test(places.passphraseFile)) throw new Error(`passphrase file ${places.passphraseFile} is not a plain absolute path`);
  return {
    BORG_PASSCOMMAND: `/usr/bin/cat ${places.passphraseFile}`,
    BORG_BASE_DIR: places.baseDir,
    BORG_CACHE_DIR: places.cacheDir,
    // one box, one hostname: a lock left by a process of ours that is gone is stale and borg removes it
    BORG_HOSTNAME_IS_UNIQUE: "yes",
    // never answer borg's safety questions with yes behind the owner's back
    BORG_RELOCATED_REPO_ACCESS_IS_OK: "no",
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: "no",
    BORG_CHECK_I_KNOW_WHAT_I_AM_DOING: "NO",
    BORG_DELETE_I_KNOW_WHAT_I_AM_DOING: "NO",
    // 1.4 can report detailed exit codes; 0/1/2 (and 128+signal) mean the same in 1.2 and 1.4
    BORG_EXIT_CODES: "legacy",
    // remote repositories: no password prompt, a dead host fails within seconds instead of hanging
    BORG_RSH: "/usr/bin/ssh -o BatchMode=yes -o ConnectTimeout=15 -o ServerAliveInterval=30",
  };
}

/** Where a job keeps borg's own files under its state and cache directories. */
export function borgPlaces(stateDir: string, cacheDir: string, passphraseFile: string): BorgPlaces {
  return { baseDir: join(stateDir, "borg"), cacheDir: join(cacheDir, "borg"), passphraseFile };
}

const common = ["--log-json"] as const;

export const argv = {
  init: (repo: string, appendOnly = false) => ["init", ...common, "--encryption=repokey-blake2", ...(appendOnly ? ["--append-only"] : []), repo],
  /** paths are absolute; `excludes` are borg patterns (sh: style by default, as `--exclude` takes them) */
  create: (repo: string, archive: string, paths: readonly string[], excludes: readonly string[], progress: boolean) => [
    "create", ...common, "--json", ...(progress ? ["--progress"] : []),
    "--compression=zstd,3", "--one-file-system", "--exclude-caches",
    ...excludes.flatMap((pattern) => ["--exclude", pattern]),
    `${repo}::${archive}`, "--", ...paths,
  ],
  listArchives: (repo: string, glob?: string) => ["list", ...common, "--json", ...(glob ? ["--glob-archives", glob] : []), repo],
  /** one JSON object per line, so a large archive is read as a stream */
  listContents: (repo: string, archive: string) => ["list", ...common, "--json-lines", `${repo}::${archive}`],
  infoArchive: (repo: string, archive: string) => ["info", ...common, "--json", `${repo}::${archive}`],
  prune: (repo: string, glob: string, keep: Retention) => [
    "prune", ...common, "--list", "--glob-archives", glob,
    ...(keep.within ? [`--keep-within=${keep.within}`] : []),
    ...(keep.daily ? [`--keep-daily=${keep.daily}`] : []),
    ...(keep.weekly ? [`--keep-weekly=${keep.weekly}`] : []),
    ...(keep.monthly ? [`--keep-monthly=${keep.monthly}`] : []),
    repo,
  ],
  compact: (repo: string) => ["compact", ...common, repo],
  check: (repo: string, verifyData = false) => ["check", ...common, ...(verifyData ? ["--verify-data"] : []), repo],
  /** paths are archive paths (no leading slash, as borg stores them); none extracts everything */
  extract: (repo: string, archive: string, paths: readonly string[]) => ["extract", ...common, `${repo}::${archive}`, "--", ...paths],
  breakLock: (repo: string) => ["break-lock", ...common, repo],
  keyExport: (repo: string, file: string) => ["key", "export", ...common, repo, file],
  withLock: (repo: string, command: readonly string[]) => ["with-lock", ...common, repo, ...command],
};

export interface Retention {
  within?: string;
  daily?: number;
  weekly?: number;
  monthly?: number;
}

/** `borg --version` prints "borg 1.2.4"; 2.x is a different tool with an incompatible repository format. */
export function parseVersion(stdout: string): { major: number; minor: number; patch: number } {
  const match = /^borg (\d+)\.(\d+)\.(\d+)/m.exec(stdout.trim());
  if (!match) throw new Error(`not a borg version: ${stdout.trim().slice(0, 80)}`);
  const [major, minor, patch] = match.slice(1).map(Number);
  if (major !== 1 || minor < 2) throw new Error(`borg ${major}.${minor} is not supported: caretaker needs borg 1.2 or 1.4`);
  return { major, minor, patch };
}

/** Archive names: `<YYYYmmdd_HHMMSS>-<source>`, in UTC, the form Nextcloud AIO uses (source "nextcloud-aio"). */
export function archiveName(source: string, at: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  const stamp = `${at.getUTCFullYear()}${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}_${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}`;
  return `${stamp}-${source}`;
}

/** The glob that selects one source's archives, as AIO's own prune selects '*_*-nextcloud-aio'. */
export const sourceGlob = (source: string) => `*_*-${source}`;
