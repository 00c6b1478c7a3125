// The update job's memory between runs (status.json): what the provider holds, when it was asked,
// the backoff and a stop, and a bounded history. Written only by the job, read by the function.
import * as v from "valibot";
import { JobRecordSchema, type HistoryEntry, type JobRecord } from "./schema.ts";
import { readJson, writeJson } from "./state-files.ts";

const recordFile = "status.json";
export const historyLimit = 50;

export function emptyRecord(revision = 0): JobRecord {
  return {
    revision,
    lastCheck: null,
    lastAttempt: null,
    lastSuccess: null,
    record: { ipv4: null, ipv6: null, confirmedAt: null },
    failures: 0,
    retryAt: null,
    retryRevision: null,
    stopped: null,
    lastError: null,
    history: [],
  };
}

/** A missing or unreadable file is a fresh start, never a crash: the next update rewrites it. */
export function readRecord(dir: string): JobRecord {
  try {
    const parsed = v.safeParse(JobRecordSchema, readJson(dir, recordFile));
    return parsed.success ? parsed.output : emptyRecord();
  } catch {
    return emptyRecord();
  }
}

export function writeRecord(dir: string, record: JobRecord): void {
  writeJson(dir, recordFile, record);
}

export function withHistory(record: JobRecord, entry: HistoryEntry): JobRecord {
  return { ...record, history: [entry, ...record.history].slice(0, historyLimit) };
}
