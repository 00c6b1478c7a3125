// Where the function and its jobs keep things. Under systemd the function (a dynamic user) writes
// settings.json, the 0600 passphrases and restore requests into its StateDirectory=; the root jobs
// write their records and progress (no secrets, 0644) into theirs, caretaker-backups-jobs, which
// the function names with CARETAKER_BACKUPS_REPORTS. In dev mode both are the STATE_DIRECTORY.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync } from "node:fs";
import { dirname, join } from "node:path";
import { HttpError } from "../_shared/errors.ts";

export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.CARETAKER_BACKUPS_STATE ?? env.STATE_DIRECTORY?.split(":")[0];
  if (!dir) throw new HttpError(503, "the backups state directory is missing (StateDirectory= of the unit)", { code: "no_state" });
  return dir;
}

export function reportsDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.CARETAKER_BACKUPS_REPORTS ?? stateDirectory(env);
}

export const paths = {
  settings: (state: string) => join(state, "settings.json"),
  passphrase: (state: string, repository: string) => join(state, "passphrases", repository),
  restoreRequest: (state: string, repository: string) => join(state, "requests", `${repository}-restore.json`),
  record: (reports: string, repository: string) => join(reports, "runs", `${repository}.json`),
  progress: (reports: string, repository: string) => join(reports, "progress", `${repository}.json`),
  key: (reports: string, repository: string) => join(reports, "keys", `${repository}.txt`),
};

export function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    // a foreign or damaged file is no answer; writers rename whole files into place
    return undefined;
  }
}

/** Write-then-rename, so a reader never sees half a file; `mode` 0644 for what the other user reads. */
export function writeFileAtomic(path: string, text: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: mode === 0o600 ? 0o700 : 0o755 });
  if (mode !== 0o600) chmodSync(dirname(path), 0o755);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

export const writeJson = (path: string, value: unknown, mode = 0o600) => writeFileAtomic(path, JSON.stringify(value) + "\n", mode);
