// The DynDNS state directory: settings.json (written by the function), provider-secret (written by
// the function, read by the update job as a systemd credential) and status.json (written by the job).
// The function unit and the job unit share User=caretaker-dyndns and StateDirectory=caretaker-dyndns:
// systemd hands each DynamicUser= unit that directory as its own (252 chowns it to the UID, which
// units of one User= share; 257 id-maps it, so on disk it belongs to nobody; test/dyndns/guest-job.ts).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HttpError } from "../_shared/errors.ts";

/** The credential id of the provider's password or token, and the file it is loaded from. */
export const secretName = "provider-secret";

export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.STATE_DIRECTORY;
  if (!dir) throw new HttpError(503, "the dyndns state directory is missing (StateDirectory= of the unit)", { code: "no_state" });
  // StateDirectory= may list several; ours lists one
  return dir.split(":")[0];
}

export function readJson(dir: string, file: string): unknown {
  const path = join(dir, file);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Write-then-rename: a reader never sees half a file, a crash never leaves one. */
export function writeFileAtomic(dir: string, file: string, text: string): void {
  const path = join(dir, file);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

export function writeJson(dir: string, file: string, value: unknown): void {
  writeFileAtomic(dir, file, JSON.stringify(value, null, 1) + "\n");
}
