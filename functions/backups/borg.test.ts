// argv, runBorg(args, places) and the JSON parsers against real borg: a repokey-blake2 repository
// made here, archives created, listed, pruned with Nextcloud AIO's own expressions and extracted.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { archiveName, argv, borgPlaces, parseVersion, sourceGlob, type BorgPlaces } from "./borg.ts";
import { jsonOf, runBorg } from "./borg-run.ts";
import { parseArchiveList, parseContentLine, parseCreate, parseInfo } from "./borg-json.ts";

let dir: string;
let places: BorgPlaces;
let repo: string;
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "backups-borg-"));
  writeFileSync(join(dir, "passphrase"), "correct horse battery staple\n", { mode: 0o600 });
  places = borgPlaces(join(dir, "state"), join(dir, "cache"), join(dir, "passphrase"));
  repo = join(dir, "repo");
  mkdirSync(join(dir, "data/sub"), { recursive: true });
  writeFileSync(join(dir, "data/random.bin"), randomBytes(1_500_000));
  writeFileSync(join(dir, "data/sub/notes.txt"), "the quick brown fox\n");
  writeFileSync(join(dir, "data/sub/skip.tmp"), "excluded\n");
  const init = await runBorg(argv.init(repo), places);
  expect(init.outcome, init.message).toBe("ok");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("parseVersion accepts the installed borg (1.2 on bookworm, 1.4 on trixie) and refuses 2.x", () => {
  const version = parseVersion(execFileSync("/usr/bin/borg", ["--version"], { encoding: "utf8" }));
  expect(version.major).toBe(1);
  expect([2, 4]).toContain(version.minor);
  expect(() => parseVersion("borg 2.0.0b14")).toThrow(/not supported/);
});

test("archiveName(source, at) is AIO's %Y%m%d_%H%M%S-<source> in UTC and matches its glob", () => {
  const name = archiveName("nextcloud-aio", new Date("2025-03-04T05:06:07Z"));
  expect(name).toBe("20250304_050607-nextcloud-aio");
  expect(sourceGlob("nextcloud-aio")).toBe("*_*-nextcloud-aio");
});

test("the passphrase never appears in argv or in the environment borg is given", async () => {
  const seen: Array<readonly string[] | Record<string, string> | undefined> = [];
  await runBorg(argv.listArchives(repo), places, {
    exec: async (file, args, options) => {
      seen.push(args, options?.env);
      return { stdout: '{"archives":[]}', stderr: "", exitCode: 0 };
    },
  });
  expect(JSON.stringify(seen)).not.toContain("correct horse");
  expect(JSON.stringify(seen)).toContain(`/usr/bin/cat ${join(dir, "passphrase")}`);
});

describe("a round trip through a real repository", () => {
  test("create with excludes and progress, list, info, extract: the files come back byte for byte", async () => {
    const name = archiveName("files", new Date());
    let progressSeen = 0;
    const created = await runBorg(argv.create(repo, name, [join(dir, "data")], ["*.tmp"], true), places, {
      onEvent: (event) => (progressSeen += event.kind === "archive" ? 1 : 0),
    });
    expect(created.outcome, created.message).toBe("ok");
    expect(progressSeen).toBeGreaterThan(0);
    const stats = parseCreate(jsonOf(created));
    expect(stats).toMatchObject({ name, files: 2 });
    expect(stats.originalBytes).toBeGreaterThan(1_500_000);

    const archives = parseArchiveList(jsonOf(await runBorg(argv.listArchives(repo), places)));
    expect(archives.map((archive) => archive.name)).toContain(name);
    const info = parseInfo(jsonOf(await runBorg(argv.infoArchive(repo, name), places)));
    expect(info?.files).toBe(2);

    const listing = await runBorg(argv.listContents(repo, name), places);
    const entries = listing.stdout.split("\n").map(parseContentLine).filter((entry) => entry !== undefined);
    const stored = join(dir, "data").slice(1);
    expect(entries.map((entry) => entry.path).sort()).toEqual([stored, `${stored}/random.bin`, `${stored}/sub`, `${stored}/sub/notes.txt`]);
    expect(entries.find((entry) => entry.path.endsWith("random.bin"))).toMatchObject({ type: "file", size: 1_500_000 });

    const target = join(dir, "restored");
    mkdirSync(target);
    const extracted = await runBorg(argv.extract(repo, name, []), places, { cwd: target });
    expect(extracted.outcome, extracted.message).toBe("ok");
    for (const file of ["random.bin", "sub/notes.txt"]) expect(sha256(join(target, stored, file))).toBe(sha256(join(dir, "data", file)));
  });

  test("a wrong passphrase is a clear error and leaves the repository as it was", async () => {
    writeFileSync(join(dir, "wrong"), "not the passphrase\n");
    const wrong = await runBorg(argv.listArchives(repo), { ...places, passphraseFile: join(dir, "wrong") });
    expect(wrong.outcome).toBe("error");
    expect(wrong.exitCode).toBe(2);
    expect(wrong.message).toBe("the passphrase is wrong: the repository was not changed");
    expect((await runBorg(argv.check(repo), places)).outcome).toBe("ok");
  });

  test("a missing repository says so", async () => {
    const missing = await runBorg(argv.listArchives(join(dir, "nowhere")), places);
    expect(missing.message).toBe("there is no borg repository at this location");
  });

  test("prune with AIO's expressions keeps what AIO keeps and never touches another source's archives", async () => {
    const day = 86_400_000;
    const now = Date.now();
    // two within 7 days, then one a week for six weeks, then one a month for eight months
    const ages = [0, 2, 9, 16, 23, 30, 37, 44, 60, 90, 120, 150, 180, 210, 240].map((days) => now - days * day);
    for (const at of ages) {
      const name = archiveName("nextcloud-aio", new Date(at));
      const stamp = new Date(at).toISOString().slice(0, 19);
      const made = await runBorg(["create", "--log-json", `--timestamp=${stamp}`, `${repo}::${name}`, join(dir, "data/sub/notes.txt")], places);
      expect(made.outcome, made.message).toBe("ok");
    }
    const before = parseArchiveList(jsonOf(await runBorg(argv.listArchives(repo), places)));
    const pruned = await runBorg(argv.prune(repo, sourceGlob("nextcloud-aio"), { within: "7d", weekly: 4, monthly: 6 }), places);
    expect(pruned.outcome, pruned.message).toBe("ok");
    const after = parseArchiveList(jsonOf(await runBorg(argv.listArchives(repo), places)));
    const aio = after.filter((archive) => archive.name.endsWith("-nextcloud-aio"));
    // AIO's listing glob selects exactly these; the "files" archive from above survives untouched
    expect(parseArchiveList(jsonOf(await runBorg(argv.listArchives(repo, "*_*-nextcloud-aio"), places))).length).toBe(aio.length);
    expect(after.filter((archive) => archive.name.endsWith("-files"))).toEqual(before.filter((archive) => archive.name.endsWith("-files")));
    expect(aio.length).toBeLessThan(ages.length);
    // 2 within 7 days + 4 weekly + up to 6 monthly
    expect(aio.length).toBeGreaterThanOrEqual(8);
    expect(aio.length).toBeLessThanOrEqual(12);
    expect(aio.some((archive) => Date.parse(archive.time) < now - 200 * day)).toBe(true);
    expect((await runBorg(argv.compact(repo), places)).outcome).toBe("ok");
  });
});
