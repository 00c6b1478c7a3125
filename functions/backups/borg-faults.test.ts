// Faults with real borg: kill -9 in the middle of a backup, then the next backup and `borg check`
// succeed; a full target filesystem (a 24 MiB tmpfs) fails with a clear message and stays intact.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { archiveName, argv, borgEnv, borgPath, borgPlaces, type BorgPlaces } from "./borg.ts";
import { jsonOf, runBorg } from "./borg-run.ts";
import { parseArchiveList } from "./borg-json.ts";

let dir: string;
let places: BorgPlaces;
let mounted = false;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "backups-faults-"));
  writeFileSync(join(dir, "passphrase"), "fault-passphrase\n", { mode: 0o600 });
  places = borgPlaces(join(dir, "state"), join(dir, "cache"), join(dir, "passphrase"));
  mkdirSync(join(dir, "data"));
  // incompressible, so the tmpfs fills and borg has work to be killed in
  for (let index = 0; index < 24; index++) writeFileSync(join(dir, "data", `part-${index}.bin`), randomBytes(2 * 1024 * 1024));
});
afterAll(() => {
  if (mounted) execFileSync("/usr/bin/umount", [join(dir, "small")]);
  rmSync(dir, { recursive: true, force: true });
});

test("kill -9 during a backup: the next backup succeeds (stale lock removed) and borg check passes", async () => {
  const repo = join(dir, "repo");
  expect((await runBorg(argv.init(repo), places)).outcome).toBe("ok");
  const child = spawn(borgPath, argv.create(repo, archiveName("killed", new Date()), [join(dir, "data")], [], true), {
    env: { PATH: "/usr/bin:/bin", ...borgEnv(places) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  // killed once borg has written data into the repository, i.e. holds its lock mid-transaction
  await new Promise<void>((resolve) => {
    child.stderr.on("data", (chunk: Buffer) => {
      if (/"original_size": [1-9]/.test(chunk.toString())) child.kill("SIGKILL");
    });
    child.on("exit", () => resolve());
  });
  expect(child.signalCode).toBe("SIGKILL");

  const next = await runBorg(argv.create(repo, archiveName("after-kill", new Date()), [join(dir, "data")], [], false), places);
  expect(next.outcome, next.message).toBe("ok");
  const check = await runBorg(argv.check(repo), places);
  expect(check.outcome, check.message).toBe("ok");
  const names = parseArchiveList(jsonOf(await runBorg(argv.listArchives(repo), places))).map((archive) => archive.name);
  expect(names.some((name) => name.endsWith("-after-kill"))).toBe(true);
  expect(names.some((name) => name.endsWith("-killed"))).toBe(false);
});

test("a full target fails cleanly: a clear message, and the repository still checks and lists", async () => {
  const small = join(dir, "small");
  mkdirSync(small);
  execFileSync("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", small]);
  mounted = true;
  const repo = join(small, "repo");
  expect((await runBorg(argv.init(repo), places)).outcome).toBe("ok");
  const full = await runBorg(argv.create(repo, archiveName("too-big", new Date()), [join(dir, "data")], [], false), places);
  expect(full.outcome).toBe("error");
  expect(full.message).toMatch(/target disk is full/);
  const check = await runBorg(argv.check(repo), places);
  expect(check.outcome, check.message).toBe("ok");
  expect(parseArchiveList(jsonOf(await runBorg(argv.listArchives(repo), places)))).toEqual([]);
});
