// Stale locks and schedules under the dev stack with real borg: a borg killed with -9 leaves a lock
// the next check trips over; break-lock (a job) removes it and the check passes; a live borg's lock is
// never broken; schedules are recorded, and the status says timers need systemd.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startStack } from "../../functions/_build/stack.mjs";
import type { RepositoryInput, RepositoryStatus } from "../../functions/backups/schema.ts";
import { freePort } from "../support/processes.mjs";

type Api = (path: string, init?: { method?: string; body?: unknown }) => Promise<Response>;
let stack: { api: Api; stop(): Promise<void> };
let data: string;
let srv: string;
const passphrase = "a long enough passphrase";
const children: ChildProcess[] = [];

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "backups-lock-data-"));
  writeFileSync(join(data, "letter.txt"), "Dear owner,\nyour locks are safe.\n");
  mkdirSync("/srv", { recursive: true });
  srv = mkdtempSync("/srv/caretaker-backups-lock-");
  stack = await startStack({ port: await freePort(), setUp: true });
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await stack?.stop();
  rmSync(data, { recursive: true, force: true });
  if (srv) rmSync(srv, { recursive: true, force: true });
});

const location = () => join(srv, "repo");
const input = (): RepositoryInput => ({
  location: location(),
  appendOnly: false,
  passphrase,
  sources: [{ name: "files", paths: [data], excludes: [] }],
  hooks: { before: [], after: [] },
  retention: { within: "2d" },
  maxAgeHours: 26,
  schedule: { create: "*-*-* 03:00", check: null, verify: null },
});

async function status(): Promise<RepositoryStatus> {
  const all = (await (await stack.api("/api/backups/repositories")).json()) as RepositoryStatus[];
  return all.find((entry) => entry.name === "locked")!;
}
async function waitIdle(): Promise<RepositoryStatus> {
  for (let tries = 0; tries < 240; tries++) {
    const current = await status();
    if (!current.running) return current;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the job did not finish");
}
const post = (path: string) => stack.api(`/api/backups/repositories/locked${path}`, { method: "POST", body: {} });

/** borg run by hand as another program would; BORG_HOST_ID makes its lock one this box cannot prove dead. */
function borg(args: string[], hostId?: string): ChildProcess {
  const child = spawn("/usr/bin/borg", args, {
    env: { PATH: "/usr/bin:/bin", BORG_PASSPHRASE: passphrase, BORG_BASE_DIR: join(srv, "manual-borg"), ...(hostId ? { BORG_HOST_ID: hostId } : {}) },
    stdio: "ignore",
  });
  children.push(child);
  return child;
}
async function until(what: string, condition: () => boolean) {
  for (let tries = 0; tries < 200 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

test("a saved schedule is recorded by the schedule job; without systemd the status says timers need it", async () => {
  const saved = await stack.api("/api/backups/repositories/locked", { method: "PUT", body: input() });
  expect(saved.status, await saved.clone().text()).toBe(200);
  let timers: RepositoryStatus["timers"];
  for (let tries = 0; tries < 100; tries++) {
    timers = (await status()).timers;
    if (timers?.message.includes("recorded")) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(timers).toMatchObject({ state: "needs-systemd", timers: [{ job: "create", timer: "caretaker-backups-create@locked.timer", calendar: "*-*-* 03:00", next: null }] });
  expect(timers!.message).toMatch(/^timers need systemd: the schedule job recorded this schedule/);
});

test("kill -9 leaves a stale lock; break-lock removes it and the next check passes", async () => {
  expect((await post("/jobs/init")).status).toBe(200);
  expect((await waitIdle()).lastRun).toMatchObject({ job: "init", ok: true });

  const killed = borg(["create", `${location()}::killed`, data], "another-box@1");
  await until("borg to take the lock", () => existsSync(join(location(), "lock.roster")));
  killed.kill("SIGKILL");
  await new Promise((resolve) => killed.once("exit", resolve));
  expect(JSON.parse(readFileSync(join(location(), "lock.roster"), "utf8")).exclusive[0][0]).toBe("another-box@1");

  expect((await post("/jobs/check")).status).toBe(200);
  const blocked = await waitIdle();
  expect(blocked.lastRun, JSON.stringify(blocked.lastRun)).toMatchObject({ job: "check", ok: false, message: expect.stringMatching(/lock/i) });
  expect(blocked.flagged).toBe(true);

  const broken = await post("/break-lock");
  expect(broken.status, await broken.clone().text()).toBe(200);
  expect((await broken.json()).unit).toBe("caretaker-backups-break-lock@locked.service");
  const afterBreak = await waitIdle();
  expect(afterBreak.lastRun, JSON.stringify(afterBreak.lastRun)).toMatchObject({ job: "break-lock", ok: true, message: expect.stringContaining("stale lock broken (held by another-box@1") });
  expect(existsSync(join(location(), "lock.exclusive"))).toBe(false);

  expect((await post("/jobs/check")).status).toBe(200);
  const checked = await waitIdle();
  expect(checked.lastRun, JSON.stringify(checked.lastRun)).toMatchObject({ job: "check", ok: true });
});

test("the lock of a live borg is never broken; break-lock while a job of the repository runs is 409", async () => {
  const live = borg(["with-lock", location(), "/usr/bin/sleep", "60"]);
  await until("borg with-lock to hold the lock", () => existsSync(join(location(), "lock.roster")));
  expect((await post("/break-lock")).status).toBe(200);
  const refused = await waitIdle();
  expect(refused.lastRun, JSON.stringify(refused.lastRun)).toMatchObject({ job: "break-lock", ok: false, message: expect.stringContaining(`pid ${live.pid}`) });
  expect(existsSync(join(location(), "lock.roster")), "the live lock is still there").toBe(true);
  live.kill("SIGTERM");
  await new Promise((resolve) => live.once("exit", resolve));

  expect((await post("/jobs/create")).status).toBe(200);
  const busy = await post("/break-lock");
  expect(busy.status).toBe(409);
  expect((await busy.json()).error.code).toBe("job_running");
  expect((await waitIdle()).lastRun).toMatchObject({ job: "create", ok: true });
});
