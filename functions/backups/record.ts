// The jobs' memory per repository (runs/<repository>.json): the last run of each job, the last good
// archive and the archive list. Written only by the jobs (0644: no secrets in it), read by the function.
import * as v from "valibot";
import { paths, readJson, writeJson } from "./files.ts";
import { RecordSchema, type JobRecord, type Progress } from "./schema.ts";

export const emptyRecord = (): JobRecord => ({ lastRun: null, lastGood: null, runs: {}, archives: [], keyExported: false });

export function readRecord(reports: string, repository: string): JobRecord {
  const parsed = v.safeParse(RecordSchema, readJson(paths.record(reports, repository)));
  return parsed.success ? parsed.output : emptyRecord();
}

export function updateRecord(reports: string, repository: string, change: (record: JobRecord) => JobRecord): JobRecord {
  const next = change(readRecord(reports, repository));
  writeJson(paths.record(reports, repository), next, 0o644);
  return next;
}

export function readProgress(reports: string, repository: string): Progress | null {
  const raw = readJson(paths.progress(reports, repository));
  return raw === undefined ? null : (raw as Progress);
}

export function writeProgress(reports: string, repository: string, progress: Progress): void {
  writeJson(paths.progress(reports, repository), progress, 0o644);
}
