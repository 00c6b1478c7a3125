// healthOf: a repository's health follows its last init, create, check or verify run, never a restore, a listing or a break-lock.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { Jobs } from "../_shared/jobs.ts";
import { emptyRecord, updateRecord } from "./record.ts";
import { RecordSchema, type JobRecord, type RepositorySettings } from "./schema.ts";
import { healthOf, repositoryStatus } from "./status.ts";

const repository = { name: "usb", maxAgeHours: 26 } as RepositorySettings;
const now = Date.parse("2025-03-10T12:00:00.000Z");
const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
const run = (job: JobRecord["runs"][string]["job"], hoursAgo: number, ok: boolean) => ({
  job, startedAt: at(hoursAgo + 0.1), finishedAt: at(hoursAgo), exitCode: ok ? 0 : 2, ok, message: ok ? `${job}: ok` : `${job}: failed`, warnings: [],
});
/** The record as the jobs leave it: each run is also the last run, in the order given. */
function record(runs: ReturnType<typeof run>[], lastGoodHoursAgo: number | null = 30): JobRecord {
  const base = emptyRecord();
  for (const entry of runs) Object.assign(base, { lastRun: entry, runs: { ...base.runs, [entry.job]: entry } });
  const lastGood = lastGoodHoursAgo === null ? null : { name: "20250309-files", time: at(lastGoodHoursAgo), durationSeconds: 1, files: 3, originalBytes: 10, compressedBytes: 8, deduplicatedBytes: 5 };
  return v.parse(RecordSchema, { ...base, lastGood });
}

describe("healthOf(repository, record, now)", () => {
  it("a successful restore after a failed backup leaves the repository failed (and so flagged)", () => {
    const restored = record([run("create", 2, false), run("restore", 1, true)]);
    expect(restored.lastRun?.job, "the restore is the last run").toBe("restore");
    expect(healthOf(repository, restored, now)).toBe("failed");
  });
  it("…and the status built from the jobs' record flags it", async () => {
    const reports = mkdtempSync(join(tmpdir(), "backups-status-"));
    try {
      updateRecord(reports, "usb", () => record([run("create", 2, false), run("restore", 1, true)]));
      const idle = { state: async (job: string) => ({ unit: `caretaker-backups-${job}@usb.service`, state: "succeeded" }) } as unknown as Jobs;
      expect(await repositoryStatus(repository, reports, idle, now)).toMatchObject({ health: "failed", flagged: true, lastRun: { job: "restore", ok: true } });
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  });
  it("neither a listing nor a break-lock hides a failed check", () => {
    expect(healthOf(repository, record([run("check", 3, false), run("list", 2, true), run("break-lock", 1, true)], 1), now)).toBe("failed");
  });
  it("a failed restore does not fail a repository whose backups work", () => {
    expect(healthOf(repository, record([run("create", 2, true), run("restore", 1, false)], 2), now)).toBe("ok");
  });
  it("the newest of create, check and verify decides: a backup that works again clears an older failure", () => {
    expect(healthOf(repository, record([run("create", 5, false), run("create", 1, true)], 1), now)).toBe("ok");
    expect(healthOf(repository, record([run("check", 5, false), run("create", 1, true)], 1), now)).toBe("ok");
    expect(healthOf(repository, record([run("create", 5, true), run("check", 1, false)], 5), now)).toBe("failed");
  });
  it("stale when the last good archive is older than maxAgeHours; never-run before any job that counts", () => {
    expect(healthOf(repository, record([run("create", 30, true)], 30), now)).toBe("stale");
    expect(healthOf(repository, record([run("init", 1, true)], null), now)).toBe("stale");
    expect(healthOf(repository, record([run("list", 1, true)], null), now)).toBe("never-run");
    expect(healthOf(repository, record([run("init", 1, false)], null), now), "a repository that could not be made").toBe("failed");
  });
});
