// The files the function and its jobs share: a job's request (written by the function in its own
// state directory), and its progress, result and reports (health, scan) in the jobs' directory.
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { HttpError } from "../_shared/errors.ts";

/**
 * Under systemd the function (a dynamic user) writes requests into its StateDirectory= and the
 * root jobs write reports into theirs (caretaker-disks-jobs); each unit names the other's
 * directory in an Environment= line. In dev mode both are the function's STATE_DIRECTORY.
 */
function directory(variable: "CARETAKER_DISKS_REQUESTS" | "CARETAKER_DISKS_REPORTS"): string {
  const found = process.env[variable] ?? process.env.STATE_DIRECTORY?.split(":")[0];
  if (!found) throw new HttpError(503, `no state directory (${variable} and STATE_DIRECTORY are not set)`, { code: "no_state_directory" });
  return found;
}

export const requestPath = (job: string) => join(directory("CARETAKER_DISKS_REQUESTS"), "requests", `${job}.json`);

export const reportPaths = () => {
  const root = directory("CARETAKER_DISKS_REPORTS");
  return {
    progress: (job: string) => join(root, "progress", `${job}.json`),
    result: (job: string) => join(root, "results", `${job}.json`),
    health: join(root, "health.json"),
    scan: join(root, "scan.json"),
  };
};

export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    // a half-written or foreign file is no answer either: the writer renames whole files into place
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/**
 * Written to a temporary name and renamed, so a reader never sees half a file. Readable by all
 * (chmod, which the unit's UMask=0077 does not narrow): the function and the jobs are different
 * users, and the jobs hold no CAP_DAC_OVERRIDE; nothing in these files is secret.
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await chmod(dirname(path), 0o755);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value)}\n`);
  await chmod(temporary, 0o644);
  await rename(temporary, path);
}
