// contentsIndexer(archive, bounds) and pageOf(index, path, cursor, limit) fed by real `borg list --json-lines`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { argv, borgPlaces, type BorgPlaces } from "./borg.ts";
import { parseContentLine } from "./borg-json.ts";
import { streamBorgLines } from "./borg-lines.ts";
import { runBorg } from "./borg-run.ts";
import { contentsIndexer, pageOf, type ContentsIndex } from "./contents.ts";

let dir: string;
let places: BorgPlaces;
let index: ContentsIndex;
let top: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "backups-contents-"));
  writeFileSync(join(dir, "passphrase"), "contents passphrase\n", { mode: 0o600 });
  places = borgPlaces(join(dir, "state"), join(dir, "cache"), join(dir, "passphrase"));
  mkdirSync(join(dir, "data/many"), { recursive: true });
  mkdirSync(join(dir, "data/deep/er"), { recursive: true });
  for (let file = 0; file < 12; file++) writeFileSync(join(dir, "data/many", `file-${String(file).padStart(2, "0")}.txt`), `file ${file}\n`);
  writeFileSync(join(dir, "data/deep/er/leaf.bin"), Buffer.alloc(4096, 7));
  const repo = join(dir, "repo");
  expect((await runBorg(argv.init(repo), places)).outcome).toBe("ok");
  expect((await runBorg(argv.create(repo, "a", [join(dir, "data")], [], false), places)).outcome).toBe("ok");
  const indexer = contentsIndexer("a", { perDirectory: 5, total: 1000 });
  const outcome = await streamBorgLines(argv.listContents(repo, "a"), places, (line) => indexer.add(parseContentLine(line)!));
  expect(outcome).toEqual({ ok: true, message: "" });
  index = indexer.done();
  top = join(dir, "data").slice(1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the archive's top shows the made-up ancestors of what was backed up, down to the backed-up folder", () => {
  const first = top.split("/")[0];
  expect(pageOf(index, "", 0, 100)!.entries.map((entry) => entry.path)).toEqual([first]);
  const data = pageOf(index, top, 0, 100)!;
  expect(data.entries.map((entry) => `${entry.name}:${entry.type}`).sort()).toEqual(["deep:directory", "many:directory"]);
  expect(pageOf(index, `${top}/deep/er`, 0, 100)!.entries).toMatchObject([{ name: "leaf.bin", path: `${top}/deep/er/leaf.bin`, type: "file", size: 4096 }]);
  expect(index.entries).toBe(17);
});

test("a directory over the bound keeps the first entries, counts all, says truncated, and pages by cursor", () => {
  const first = pageOf(index, `${top}/many`, 0, 3)!;
  expect(first).toMatchObject({ total: 12, kept: 5, truncated: true, nextCursor: "3" });
  expect(first.entries.map((entry) => entry.name)).toEqual(["file-00.txt", "file-01.txt", "file-02.txt"]);
  const second = pageOf(index, `${top}/many`, 3, 3)!;
  expect(second.entries.map((entry) => entry.name)).toEqual(["file-03.txt", "file-04.txt"]);
  expect(second.nextCursor).toBeNull();
  expect(pageOf(index, `${top}/nothing`, 0, 3)).toBeUndefined();
});

test("a wrong passphrase while listing is borg's reason in words, not an exit code", async () => {
  writeFileSync(join(dir, "wrong"), "nope nope nope\n");
  const outcome = await streamBorgLines(argv.listContents(join(dir, "repo"), "a"), { ...places, passphraseFile: join(dir, "wrong") }, () => undefined);
  expect(outcome).toEqual({ ok: false, message: "the passphrase is wrong: the repository was not changed" });
});
