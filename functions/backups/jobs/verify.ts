// The verify job (caretaker-backups-verify@<repository>.service, weekly by its timer or on request):
// restores a sample of the newest archive into a scratch folder, compares each file's sha256 with
// the one borg recorded at backup time, records the verdict, and removes the scratch folder.
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { refreshArchives } from "../archives.ts";
import { argv } from "../borg.ts";
import { streamBorgLines } from "../borg-lines.ts";
import { runBorg } from "../borg-run.ts";
import { runRepositoryJob, type JobContext } from "../job-context.ts";
import { readRecord, updateRecord } from "../record.ts";
import type { Verification } from "../schema-verify.ts";
import { compareRestored, listWithChecksums, sampler } from "../verify.ts";

async function verify(context: JobContext) {
  const { repository, reports, places } = context;
  const began = Date.now();
  const verdict = (fields: Omit<Verification, "checkedAt" | "durationSeconds">) => {
    const verification: Verification = { ...fields, checkedAt: new Date(began).toISOString(), durationSeconds: Math.round((Date.now() - began) / 100) / 10 };
    updateRecord(reports, repository.name, (record) => ({ ...record, verification }));
    return { exitCode: verification.ok ? 0 : 2, message: verification.message };
  };
  await refreshArchives(context).catch(() => undefined);
  const newest = readRecord(reports, repository.name).archives.at(-1)?.name;
  if (!newest) return { exitCode: 0, message: "no archive yet: nothing to verify" };
  // first the metadata only (cheap), to draw the sample; then borg's checksums of the sample alone
  const sample = sampler(newest);
  const listed = await streamBorgLines(argv.listContents(repository.location, newest), places, (line) => {
    const item = JSON.parse(line) as { type: string; path: string; size?: number };
    if (item.type === "-") sample.offer({ path: item.path, size: item.size ?? 0, sha256: "" });
  });
  const failed = (message: string, files = 0, bytes = 0, candidates = 0) =>
    verdict({ archive: newest, ok: false, files, bytes, candidates, mismatches: [], message: `verification of ${newest} failed: ${message}` });
  if (!listed.ok) return failed(listed.message);
  const { files, candidates } = sample.chosen();
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  if (files.length) {
    const byPath = new Map(files.map((file) => [file.path, file]));
    const summed = await streamBorgLines(listWithChecksums(repository.location, newest, files.map((file) => file.path)), places, (line) => {
      const item = JSON.parse(line) as { path: string; sha256?: string };
      const file = byPath.get(item.path);
      if (file && item.sha256) file.sha256 = item.sha256;
    });
    if (!summed.ok) return failed(`borg could not read the sample: ${summed.message}`, files.length, bytes, candidates);
  }
  // the jobs' cache directory is on disk (a tmpfs /tmp would put 200 MB in a Pi's RAM); emptied before and after
  const scratch = join(dirname(places.cacheDir), "verify-scratch", repository.name);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true, mode: 0o700 });
  try {
    if (files.length) {
      const extracted = await runBorg(argv.extract(repository.location, newest, files.map((file) => file.path)), places, { cwd: scratch, timeoutMs: 6 * 3600_000 });
      if (extracted.outcome === "error" || extracted.outcome === "killed") return failed(`borg could not restore the sample: ${extracted.message}`, files.length, bytes, candidates);
    }
    const mismatches = await compareRestored(scratch, files);
    const megabytes = (bytes / 1048576).toFixed(1);
    const ok = mismatches.length === 0;
    const message = ok
      ? `verified ${files.length} of ${candidates} files (${megabytes} MB) of ${newest}: every checksum matches`
      : `verification of ${newest} failed: ${mismatches.length} of ${files.length} restored files differ from the archive (${mismatches[0].path}: ${mismatches[0].reason})`;
    return verdict({ archive: newest, ok, files: files.length, bytes, candidates, mismatches: mismatches.slice(0, 50), message });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export default function main(instance: string | undefined): Promise<void> {
  return runRepositoryJob("verify", instance, verify);
}
