// The backups function and its jobs end to end under the dev stack: real bundles behind Caddy, the
// jobs spawned as in dev mode, real borg on a repository below /srv, restores compared by hash.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "backups-data-"));
  mkdirSync(join(data, "docs"));
  // enough to take a few seconds, so the progress stream has something to show
  for (let index = 0; index < 6; index++) writeFileSync(join(data, `blob-${index}.bin`), randomBytes(16 * 1024 * 1024));
  writeFileSync(join(data, "docs/letter.txt"), "Dear owner,\nyour backups work.\n");
  writeFileSync(join(data, "docs/cache.tmp"), "not worth keeping\n");
  mkdirSync("/srv", { recursive: true });
  srv = mkdtempSync("/srv/caretaker-backups-test-");
  stack = await startStack({ port: await freePort(), setUp: true });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(data, { recursive: true, force: true });
  if (srv) rmSync(srv, { recursive: true, force: true });
});

const repository = (changes: Partial<RepositoryInput> = {}): RepositoryInput => ({
  location: join(srv, "repo"),
  appendOnly: false,
  passphrase: "a long enough passphrase",
  sources: [{ name: "files", paths: [data], excludes: ["*.tmp"] }],
  hooks: { before: [], after: [] },
  retention: { within: "2d", weekly: 4 },
  maxAgeHours: 26,
  schedule: { create: "*-*-* 03:00", check: "weekly", verify: "weekly" },
  ...changes,
});

async function status(name = "usb"): Promise<RepositoryStatus> {
  const response = await stack.api("/api/backups/repositories");
  expect(response.status).toBe(200);
  const all = v.parse(v.array(RepositoryStatusSchema), await response.json());
  return all.find((entry) => entry.name === name)!;
}

async function waitIdle(name = "usb"): Promise<RepositoryStatus> {
  for (let tries = 0; tries < 240; tries++) {
    const current = await status(name);
    if (!current.running) return current;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the job did not finish");
}

async function start(job: string): Promise<Response> {
  return stack.api(`/api/backups/repositories/usb/jobs/${job}`, { method: "POST", body: {} });
}

test("invalid settings are refused naming the field: a location outside the disks' roots, a bad calendar", async () => {
  const outside = await stack.api("/api/backups/repositories/usb", { method: "PUT", body: repository({ location: "/etc/borg" }) });
  expect(outside.status).toBe(422);
  expect((await outside.json()).error.message).toMatch(/^body\.location: /);
  const calendar = await stack.api("/api/backups/repositories/usb", { method: "PUT", body: repository({ schedule: { create: "every full moon", check: null, verify: null } }) });
  expect(calendar.status).toBe(422);
  expect((await calendar.json()).error.message).toMatch(/^body\.schedule\.create: /);
  const verify = await stack.api("/api/backups/repositories/usb", { method: "PUT", body: repository({ schedule: { create: null, check: null, verify: "every full moon" } }) });
  expect(verify.status).toBe(422);
  expect((await verify.json()).error.message).toMatch(/^body\.schedule\.verify: /);
  const next = await stack.api(`/api/backups/calendar?expression=${encodeURIComponent("*-*-* 03:00")}`);
  expect((await next.json()).nextRuns).toHaveLength(3);
});

test("save, init, back up with progress streamed; a second run while one runs gets 409", async () => {
  const saved = await stack.api("/api/backups/repositories/usb", { method: "PUT", body: repository() });
  expect(saved.status, await saved.clone().text()).toBe(200);
  expect(JSON.stringify(await saved.json())).not.toContain("a long enough passphrase");
  expect((await start("init")).status).toBe(200);
  const initialised = await waitIdle();
  expect(initialised.lastRun, JSON.stringify(initialised.lastRun)).toMatchObject({ job: "init", ok: true });
  expect(initialised.health).toBe("stale");

  expect((await start("create")).status).toBe(200);
  const second = await start("check");
  expect(second.status).toBe(409);
  expect((await second.json()).error.code).toBe("job_running");

  // a quiet machine backs the test data up in well under a second: look often enough to see it move
  const events = await (await stack.api("/api/backups/repositories/usb/events?intervalMs=50")).text();
  const statuses = [...events.matchAll(/^data: (.+)$/gm)].map((match) => JSON.parse(match[1])).filter((entry) => "health" in entry);
  expect(events).toContain("event: end");
  expect(statuses.some((entry) => entry.running && entry.progress && entry.progress.originalBytes > 0), events).toBe(true);

  const done = await waitIdle();
  expect(done.health, JSON.stringify(done.lastRun)).toBe("ok");
  expect(done.flagged).toBe(false);
  expect(done.lastGood).toMatchObject({ files: 7 });
  expect(done.lastGood!.name).toMatch(/^\d{8}_\d{6}-files$/);
  expect(done.archives).toBe(1);
});

test("restore into an empty directory gives the same bytes; a non-empty one is refused without overwrite", async () => {
  const [archive] = await (await stack.api("/api/backups/repositories/usb/archives")).json();
  const target = join(srv, "restored");
  const started = await stack.api("/api/backups/repositories/usb/restore", { method: "POST", body: { archive: archive.name, paths: [], target, overwrite: false } });
  expect(started.status, await started.clone().text()).toBe(200);
  const restored = await waitIdle();
  expect(restored.lastRun, JSON.stringify(restored.lastRun)).toMatchObject({ job: "restore", ok: true });
  for (const file of ["blob-0.bin", "blob-5.bin", "docs/letter.txt"]) expect(sha256(join(target, data, file))).toBe(sha256(join(data, file)));

  await stack.api("/api/backups/repositories/usb/restore", { method: "POST", body: { archive: archive.name, paths: [`${data.slice(1)}/docs`], target, overwrite: false } });
  const refused = await waitIdle();
  expect(refused.lastRun).toMatchObject({ job: "restore", ok: false, message: expect.stringContaining("not empty") });
  // a refused restore says nothing about the backups: health follows the last create, check or verify
  expect(refused.health).toBe("ok");
  expect(refused.flagged).toBe(false);
});

test("a wrong passphrase fails the next backup clearly and flags the repository", async () => {
  const saved = await stack.api("/api/backups/repositories/usb", { method: "PUT", body: repository({ passphrase: "not the right passphrase" }) });
  expect(saved.status).toBe(200);
  expect((await start("create")).status).toBe(200);
  const failed = await waitIdle();
  expect(failed.health).toBe("failed");
  expect(failed.flagged).toBe(true);
  expect(failed.lastRun!.message).toMatch(/passphrase is wrong/);
});

test("an unreachable remote: init fails naming the connection problem, the status says so, nothing is left half-done", async () => {
  const port = await freePort();
  const remote = repository({ location: `ssh://caretaker@127.0.0.1:${port}/./repo` });
  expect((await stack.api("/api/backups/repositories/remote", { method: "PUT", body: remote })).status).toBe(200);
  expect((await stack.api("/api/backups/repositories/remote/jobs/init", { method: "POST", body: {} })).status).toBe(200);
  const failed = await waitIdle("remote");
  expect(failed.lastRun, JSON.stringify(failed.lastRun)).toMatchObject({ job: "init", ok: false, exitCode: 2 });
  // borg reads ssh's stdout before its stderr when both are ready at once, so on a loaded machine
  // it raises ConnectionClosed before it has passed ssh's own words on: then only our words remain
  const unreachable = "the remote repository could not be reached (network, ssh key or host)";
  const reason = `: ssh: connect to host 127.0.0.1 port ${port}: Connection refused`;
  expect([`${unreachable}${reason}`, unreachable]).toContain(failed.lastRun!.message);
  expect(failed.lastRun!.message).not.toMatch(/Traceback|\n|    at /);
  expect(failed).toMatchObject({ health: "failed", flagged: true, running: null, archives: 0, lastGood: null });
  expect((await stack.api("/api/backups/repositories/remote/key")).status, "no key was exported").toBe(404);
  expect((await status("usb")).lastRun, "the other repository is untouched").toMatchObject({ job: "create" });
  expect((await stack.api("/api/backups/repositories/remote", { method: "DELETE", body: {} })).status).toBe(200);
});
