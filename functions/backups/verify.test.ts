// sampler(archive, bounds), listWithChecksums and compareRestored against real borg: the archive's own
// sha256 of each file matches what comes back from `borg extract`, and a changed file is caught.
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { argv, borgPlaces } from "./borg.ts";
import { streamBorgLines } from "./borg-lines.ts";
import { runBorg } from "./borg-run.ts";
import { compareRestored, listWithChecksums, sampler, type SampleFile } from "./verify.ts";

const dir = mkdtempSync(join(tmpdir(), "backups-verify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("sampler picks the same files for the same archive, others for another, within count and bytes", () => {
  const files = Array.from({ length: 500 }, (_, index) => ({ path: `srv/f${index}`, size: 1000, sha256: "x" }));
  const pick = (archive: string, bounds = { files: 10, bytes: 1_000_000 }) => {
    const sample = sampler(archive, bounds);
    files.forEach((file) => sample.offer(file));
    return sample.chosen();
  };
  expect(pick("a").files).toEqual(pick("a").files);
  expect(pick("a").files).not.toEqual(pick("b").files);
  expect(pick("a")).toMatchObject({ candidates: 500 });
  expect(pick("a").files).toHaveLength(10);
  const tight = pick("a", { files: 10, bytes: 3500 }).files;
  expect(tight.length).toBe(3);
  expect(tight.reduce((sum, file) => sum + file.size, 0)).toBeLessThanOrEqual(3500);
});

test("the archive's recorded sha256 matches the restored files; a changed restored file is a mismatch", async () => {
  writeFileSync(join(dir, "passphrase"), "verify passphrase\n", { mode: 0o600 });
  const places = borgPlaces(join(dir, "state"), join(dir, "cache"), join(dir, "passphrase"));
  mkdirSync(join(dir, "data"));
  for (let index = 0; index < 8; index++) writeFileSync(join(dir, "data", `part-${index}.bin`), randomBytes(100_000 * (index + 1)));
  const repo = join(dir, "repo");
  expect((await runBorg(argv.init(repo), places)).outcome).toBe("ok");
  expect((await runBorg(argv.create(repo, "a", [join(dir, "data")], [], false), places)).outcome).toBe("ok");
  const sample = sampler("a", { files: 5, bytes: 10_000_000 });
  const listed = await streamBorgLines(argv.listContents(repo, "a"), places, (line) => {
    const item = JSON.parse(line);
    if (item.type === "-") sample.offer({ path: item.path, size: item.size, sha256: "" });
  });
  expect(listed.ok, listed.message).toBe(true);
  const { files, candidates } = sample.chosen();
  expect(candidates).toBe(8);
  expect(files).toHaveLength(5);
  // borg's checksums of the sample's paths only: exactly those five come back
  const summed: Record<string, string> = {};
  const checked = await streamBorgLines(listWithChecksums(repo, "a", files.map((file) => file.path)), places, (line) => {
    const item = JSON.parse(line);
    summed[item.path] = item.sha256;
  });
  expect(checked.ok, checked.message).toBe(true);
  expect(Object.keys(summed).sort()).toEqual(files.map((file) => file.path).sort());
  for (const file of files) file.sha256 = summed[file.path];
  const scratch = join(dir, "scratch");
  mkdirSync(scratch);
  const extracted = await runBorg(argv.extract(repo, "a", files.map((file: SampleFile) => file.path)), places, { cwd: scratch });
  expect(extracted.outcome, extracted.message).toBe("ok");
  expect(await compareRestored(scratch, files)).toEqual([]);
  // the recorded checksum is of the file's bytes, not of borg's chunks
  expect(files[0].sha256).toBe(createHash("sha256").update(readFileSync(join(scratch, files[0].path))).digest("hex"));
  appendFileSync(join(scratch, files[1].path), "x");
  writeFileSync(join(scratch, files[2].path), Buffer.alloc(files[2].size, 1));
  rmSync(join(scratch, files[3].path));
  expect(await compareRestored(scratch, files)).toEqual([
    { path: files[1].path, reason: expect.stringMatching(/^size differs/) },
    { path: files[2].path, reason: "checksum differs from the one recorded in the archive" },
    { path: files[3].path, reason: "not restored" },
  ]);
});
