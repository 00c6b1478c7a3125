// Browsing archives (the list job's paged index), verified restores (a clean archive verifies, a
// corrupted segment fails and flags the repository) and Nextcloud AIO's layout (a repository made by
// plain borg as AIO makes it is listed, checked, browsed and restored; its lockfile gets 409) under
// the dev stack, with real borg.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startStack } from "../../functions/_build/stack.mjs";
import { RepositoryStatusSchema, type RepositoryInput, type RepositoryStatus } from "../../functions/backups/schema.ts";
import { freePort } from "../support/processes.mjs";

type Api = (path: string, init?: { method?: string; body?: unknown }) => Promise<Response>;
let stack: { api: Api; stop(): Promise<void> };
let data: string;
let srv: string;
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const passphrase = "browse and verify passphrase";

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "backups-browse-"));
  mkdirSync(join(data, "photos"));
  for (let index = 0; index < 4; index++) writeFileSync(join(data, `blob-${index}.bin`), randomBytes(3 * 1024 * 1024));
  for (let index = 0; index < 30; index++) writeFileSync(join(data, "photos", `img-${String(index).padStart(2, "0")}.jpg`), randomBytes(2000));
  mkdirSync("/srv", { recursive: true });
  srv = mkdtempSync("/srv/caretaker-browse-test-");
  // 12 entries a directory: the 30 photos show the bound at work
  stack = await startStack({ port: await freePort(), setUp: true, env: { CARETAKER_BACKUPS_LIST_PER_DIRECTORY: "12" } });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(data, { recursive: true, force: true });
  if (srv) rmSync(srv, { recursive: true, force: true });
});

const settings = (location: string, source: string): RepositoryInput => ({
  location, appendOnly: false, passphrase,
  sources: [{ name: source, paths: [data], excludes: [] }],
  hooks: { before: [], after: [] }, retention: {}, maxAgeHours: 26, schedule: { create: null, check: null, verify: null },
});

async function status(name: string): Promise<RepositoryStatus> {
  const all = v.parse(v.array(RepositoryStatusSchema), await (await stack.api("/api/backups/repositories")).json());
  return all.find((entry) => entry.name === name)!;
}

async function run(name: string, job: string): Promise<RepositoryStatus> {
  const started = await stack.api(`/api/backups/repositories/${name}/jobs/${job}`, { method: "POST", body: {} });
  expect(started.status, await started.clone().text()).toBe(200);
  return idle(name);
}

async function idle(name: string): Promise<RepositoryStatus> {
  for (let tries = 0; tries < 400; tries++) {
    const current = await status(name);
    if (!current.running) return current;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error("the job did not finish");
}

/** GET a directory of an archive: 202 while the list job runs, then the page. */
async function browse(name: string, archive: string, query = ""): Promise<{ status: number; body: any }> {
  for (let tries = 0; tries < 200; tries++) {
    const response = await stack.api(`/api/backups/repositories/${name}/archives/${archive}/contents${query}`);
    if (response.status !== 202) return { status: response.status, body: await response.json() };
    expect((await response.json()).state).toBe("listing");
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error("the listing did not finish");
}

test("browse an archive: 202 while listing, then bounded pages by cursor, chosen paths restore", async () => {
  expect((await stack.api("/api/backups/repositories/usb", { method: "PUT", body: settings(join(srv, "usb"), "files") })).status).toBe(200);
  expect((await run("usb", "init")).lastRun).toMatchObject({ ok: true });
  expect((await run("usb", "create")).health).toBe("ok");
  const [archive] = await (await stack.api("/api/backups/repositories/usb/archives")).json();
  const first = await stack.api(`/api/backups/repositories/usb/archives/${archive.name}/contents`);
  expect(first.status).toBe(202);
  const top = await browse("usb", archive.name);
  expect(top.status, JSON.stringify(top.body)).toBe(200);
  expect(top.body.entries.map((entry: { path: string }) => entry.path)).toEqual([data.slice(1).split("/")[0]]);
  const photosPath = `${data.slice(1)}/photos`;
  const page = await browse("usb", archive.name, `?path=${encodeURIComponent(photosPath)}&limit=5`);
  expect(page.body).toMatchObject({ total: 30, kept: 12, truncated: true, nextCursor: "5" });
  const next = await browse("usb", archive.name, `?path=${encodeURIComponent(photosPath)}&limit=5&cursor=10`);
  expect(next.body.entries.map((entry: { name: string }) => entry.name)).toEqual(["img-10.jpg", "img-11.jpg"]);
  expect(next.body.nextCursor).toBeNull();
  expect((await browse("usb", archive.name, `?path=${encodeURIComponent(`${photosPath}/nope`)}`)).status).toBe(404);
  expect((await browse("usb", "20990101_000000-files")).status).toBe(404);
  const invalid = await stack.api(`/api/backups/repositories/usb/archives/${archive.name}/contents?path=/etc`);
  expect(invalid.status).toBe(422);
  expect((await invalid.json()).error.message).toMatch(/^query\.path: /);

  const chosen = page.body.entries.slice(0, 2).map((entry: { path: string }) => entry.path);
  const target = join(srv, "chosen");
  const restore = await stack.api("/api/backups/repositories/usb/restore", { method: "POST", body: { archive: archive.name, paths: chosen, target, overwrite: false } });
  expect(restore.status).toBe(200);
  expect((await idle("usb")).lastRun).toMatchObject({ job: "restore", ok: true });
  expect(readdirSync(join(target, photosPath))).toEqual(["img-00.jpg", "img-01.jpg"]);
  expect(sha256(join(target, photosPath, "img-01.jpg"))).toBe(sha256(join(data, "photos/img-01.jpg")));
});

test("verified restore: a clean archive verifies; a corrupted segment fails it and flags the repository", async () => {
  const clean = await run("usb", "verify");
  expect(clean.verification, JSON.stringify(clean.lastRun)).toMatchObject({ ok: true, files: 34, candidates: 34, mismatches: [] });
  expect(clean.verification!.message).toMatch(/^verified 34 of 34 files \(12\.\d MB\) of \d{8}_\d{6}-files: every checksum matches$/);
  expect(clean.health).toBe("ok");

  // flip bytes in the middle of the largest segment: a chunk of one of the sampled files
  const segments = join(srv, "usb/data/0");
  const largest = readdirSync(segments).map((name) => join(segments, name)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
  const handle = openSync(largest, "r+");
  writeSync(handle, randomBytes(4096), 0, 4096, Math.floor(statSync(largest).size / 2));
  closeSync(handle);
  const broken = await run("usb", "verify");
  expect(broken.verification).toMatchObject({ ok: false });
  // borg's own words: "Data integrity error: Segment entry checksum mismatch [segment N, offset M]"
  expect(broken.verification!.message).toMatch(/^verification of \d{8}_\d{6}-files failed: borg could not (read|restore) the sample: .*(integrity|checksum)/i);
  expect(broken.lastRun).toMatchObject({ job: "verify", ok: false });
  expect(broken.health).toBe("failed");
  expect(broken.flagged).toBe(true);
});

test("Nextcloud AIO: a repository made by plain borg as AIO makes it is listed, checked, browsed and restored", async () => {
  const aio = join(srv, "aio");
  const repo = join(aio, "borg");
  mkdirSync(aio);
  // what AIO's borg script does: repokey-blake2 in <dir>/borg, archives %Y%m%d_%H%M%S-nextcloud-aio
  const env = { PATH: "/usr/bin:/bin", BORG_PASSPHRASE: passphrase, BORG_BASE_DIR: join(aio, ".base"), BORG_HOSTNAME_IS_UNIQUE: "yes" };
  execFileSync("/usr/bin/borg", ["init", "--encryption=repokey-blake2", repo], { env, stdio: "ignore" });
  for (const stamp of ["20250301_040000", "20250302_040000"]) {
    execFileSync("/usr/bin/borg", ["create", "--compression", "auto,zstd", `${repo}::${stamp}-nextcloud-aio`, join(data, "photos")], { env, stdio: "ignore" });
  }
  execFileSync("/usr/bin/borg", ["create", `${repo}::20250302_050000-other`, join(data, "blob-0.bin")], { env, stdio: "ignore" });
  expect((await stack.api("/api/backups/repositories/aio", { method: "PUT", body: settings(repo, "nextcloud-aio") })).status).toBe(200);
  const checked = await run("aio", "check");
  expect(checked.lastRun, JSON.stringify(checked.lastRun)).toMatchObject({ job: "check", ok: true, message: "repository and 3 archives are consistent" });
  // caretaker's own backup of the source nextcloud-aio is one AIO's glob selects
  expect((await run("aio", "create")).lastRun).toMatchObject({ ok: true });
  const names: string[] = (await (await stack.api("/api/backups/repositories/aio/archives")).json()).map((archive: { name: string }) => archive.name);
  const aioGlob = JSON.parse(execFileSync("/usr/bin/borg", ["list", "--json", "--glob-archives", "*_*-nextcloud-aio", repo], { env, encoding: "utf8" })).archives.map((archive: { name: string }) => archive.name);
  expect(names.filter((name) => /^\d{8}_\d{6}-nextcloud-aio$/.test(name)).sort()).toEqual(aioGlob.sort());
  expect(aioGlob).toHaveLength(3);

  const photos = `${data.slice(1)}/photos`;
  const listed = await browse("aio", "20250301_040000-nextcloud-aio", `?path=${encodeURIComponent(photos)}&limit=3`);
  expect(listed.body).toMatchObject({ total: 30, entries: [{ name: "img-00.jpg" }, { name: "img-01.jpg" }, { name: "img-02.jpg" }] });
  const target = join(srv, "aio-restored");
  await stack.api("/api/backups/repositories/aio/restore", { method: "POST", body: { archive: "20250302_040000-nextcloud-aio", paths: [], target, overwrite: false } });
  expect((await idle("aio")).lastRun).toMatchObject({ job: "restore", ok: true });
  expect(sha256(join(target, photos, "img-29.jpg"))).toBe(sha256(join(data, "photos/img-29.jpg")));

  // while AIO's own borg runs it keeps aio-lockfile in the repository's directory: every job is refused
  writeFileSync(join(repo, "aio-lockfile"), "");
  for (const job of ["create", "check", "prune", "compact", "verify"]) {
    const refused = await stack.api(`/api/backups/repositories/aio/jobs/${job}`, { method: "POST", body: {} });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({ code: "aio_busy", message: expect.stringMatching(/Nextcloud AIO is using this repository/) });
  }
  const restore = await stack.api("/api/backups/repositories/aio/restore", { method: "POST", body: { archive: "20250302_040000-nextcloud-aio", paths: [], target: join(srv, "x"), overwrite: false } });
  expect(restore.status).toBe(409);
  const browsing = await stack.api("/api/backups/repositories/aio/archives/20250302_040000-nextcloud-aio/contents");
  expect(browsing.status).toBe(409);
  rmSync(join(repo, "aio-lockfile"));
});
