// What every disk job shares: its request (checked again: the function is less trusted than the job),
// its progress and result files, and the re-check that the device still is the one confirmed.
import * as v from "valibot";
import { exec, type Exec } from "../_shared/exec.ts";
import { completeWithBlkid } from "./blkid.ts";
import { confirms, identityOf, loopBackingFiles, type Identity } from "./identity.ts";
import { readLsblk, type LsblkDevice } from "./lsblk.ts";
import type { JobName } from "./schema-health.ts";
import { readJsonFile, reportPaths, requestPath, writeJsonFile } from "./state.ts";

export interface JobContext {
  progress(phase: string, done?: number | null, total?: number | null): Promise<void>;
}

export async function readRequest<S extends v.GenericSchema>(job: JobName, schema: S): Promise<v.InferOutput<S>> {
  const raw = await readJsonFile(requestPath(job));
  // the function stamps when it asked; the rest is the request body it already checked once
  const { requestedAt: _, ...request } = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const parsed = v.safeParse(schema, raw ? request : null);
  if (!parsed.success) throw new Error(`the ${job} request is missing or invalid: ${parsed.issues.map((issue) => issue.message).join("; ")}`);
  return parsed.output;
}

/** Runs a job's work and leaves its outcome in results/<job>.json, whatever happens. */
export async function runDiskJob(job: JobName, work: (context: JobContext) => Promise<string>): Promise<void> {
  const paths = reportPaths();
  const context: JobContext = {
    progress: (phase, done = null, total = null) => writeJsonFile(paths.progress(job), { phase, done, total, updatedAt: new Date().toISOString() }),
  };
  await context.progress("starting");
  try {
    const message = await work(context);
    await writeJsonFile(paths.result(job), { ok: true, message, finishedAt: new Date().toISOString() });
    await context.progress("done");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await writeJsonFile(paths.result(job), { ok: false, message, finishedAt: new Date().toISOString() });
    await context.progress("failed");
    throw error;
  }
}

export interface Located {
  device: LsblkDevice;
  /** every device, as found just now */
  all: LsblkDevice[];
  byKname: Map<string, LsblkDevice>;
  identity: Identity | null;
}

/** Reads the devices afresh (as root, so blkid can probe) and finds one by kernel name. */
export async function locate(kname: string, run: Exec = exec): Promise<Located> {
  const all = await completeWithBlkid(await readLsblk({ exec: run }), run);
  const byKname = new Map(all.map((device) => [device.kname, device]));
  const device = byKname.get(kname);
  if (!device) throw new Error(`there is no block device ${kname} (any more)`);
  return { device, all, byKname, identity: identityOf(device, byKname, await loopBackingFiles(all)) };
}

/** The guard of every action: the device under this name must still be the disk the owner confirmed. */
export async function locateConfirmed(kname: string, confirmation: string, run: Exec = exec): Promise<Located> {
  const located = await locate(kname, run);
  if (!confirms(located.identity, confirmation)) {
    const now = located.identity ? `${located.identity.kind} ${located.identity.value}` : "a disk without serial or WWN";
    throw new Error(`refused: ${located.device.path} is ${now}, not "${confirmation}"; nothing was changed`);
  }
  return located;
}

/** Everything below a device (partitions, volumes on them), for "is any of it mounted?". */
export function descendants(kname: string, all: readonly LsblkDevice[]): LsblkDevice[] {
  const children = all.filter((device) => device.parents.includes(kname));
  return children.flatMap((child) => [child, ...descendants(child.kname, all)]);
}
