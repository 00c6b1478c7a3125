// The schedules' pieces: drop-in text, which timers are wanted and present, what applying writes and
// asks systemctl (recorded: PID 1 is not systemd here; the booted guest runs the real one), the status.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Exec } from "../_shared/exec.ts";
import * as v from "valibot";
import { applyTimers, dropInText, presentTimers, wantedTimers } from "./schedule-plan.ts";
import { ScheduleRecordSchema } from "./schedule-schema.ts";
import { statusOf } from "./schedule.ts";
import { RepositoryInputSchema } from "./schema.ts";

const scratch: string[] = [];
afterEach(() => scratch.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const unitDirectory = () => {
  const dir = mkdtempSync(join(tmpdir(), "backups-units-"));
  scratch.push(dir);
  return dir;
};

describe("dropInText(calendar)", () => {
  it("clears the template's OnCalendar= before the saved one", () => {
    expect(dropInText("*-*-* 03:00")).toMatch(/\[Timer\]\nOnCalendar=\nOnCalendar=\*-\*-\* 03:00\n$/);
  });
  it("refuses what could add a line", () => expect(() => dropInText("daily\nExecStart=/bin/sh")).toThrow(/not a calendar/));
});

it("wantedTimers(repositories) keeps the scheduled jobs only", () => {
  expect(wantedTimers([{ name: "usb", schedule: { create: "daily", check: null, verify: "Sat *-*-* 05:00" } }, { name: "nas", schedule: { create: null, check: "weekly", verify: null } }])).toEqual([
    { job: "create", repository: "usb", calendar: "daily" },
    { job: "verify", repository: "usb", calendar: "Sat *-*-* 05:00" },
    { job: "check", repository: "nas", calendar: "weekly" },
  ]);
});

describe("the verify schedule", () => {
  const input = {
    location: "/srv/backups/usb", appendOnly: false, sources: [{ name: "files", paths: ["/srv/data"], excludes: [] }],
    hooks: { before: [], after: [] }, retention: {}, maxAgeHours: 26,
  };
  it("is weekly when left out (settings saved before it existed), settable, and null turns it off", () => {
    expect(v.parse(RepositoryInputSchema, { ...input, schedule: { create: null, check: "weekly" } }).schedule.verify).toBe("weekly");
    expect(v.parse(RepositoryInputSchema, { ...input, schedule: { create: null, check: null, verify: "Sat *-*-* 05:00" } }).schedule.verify).toBe("Sat *-*-* 05:00");
    expect(v.parse(RepositoryInputSchema, { ...input, schedule: { create: null, check: null, verify: null } }).schedule.verify).toBeNull();
    expect(v.safeParse(RepositoryInputSchema, { ...input, schedule: { create: null, check: null, verify: "daily\nExecStart=/bin/sh" } }).success).toBe(false);
  });
  it("a record from before verify was scheduled applied no verify timer: the status is pending until the job runs again", () => {
    const old = v.parse(ScheduleRecordSchema, { appliedAt: "2025-01-01T00:00:00.000Z", systemd: true, repositories: { usb: { create: "daily", check: null } }, refused: [] });
    expect(old.repositories.usb.verify).toBeNull();
    expect(statusOf({ name: "usb", schedule: { create: "daily", check: null, verify: "weekly" } }, old, true, []).state).toBe("pending");
    expect(statusOf({ name: "usb", schedule: { create: "daily", check: null, verify: null } }, old, true, []).state).toBe("applied");
  });
});

it("applyTimers(wanted, dir, exec) writes drop-ins, removes a forgotten repository's, and enables/disables its timers", async () => {
  const dir = unitDirectory();
  mkdirSync(join(dir, "caretaker-backups-create@old.timer.d"));
  writeFileSync(join(dir, "caretaker-backups-create@old.timer.d/schedule.conf"), dropInText("daily"));
  mkdirSync(join(dir, "timers.target.wants"));
  symlinkSync("/usr/lib/systemd/system/caretaker-backups-check@.timer", join(dir, "timers.target.wants/caretaker-backups-check@gone.timer"));
  symlinkSync("/usr/lib/systemd/system/caretaker-backups-verify@.timer", join(dir, "timers.target.wants/caretaker-backups-verify@gone.timer"));
  mkdirSync(join(dir, "caretaker-dyndns-update.timer.d"));
  expect(presentTimers(dir)).toEqual(["caretaker-backups-check@gone.timer", "caretaker-backups-create@old.timer", "caretaker-backups-verify@gone.timer"]);

  const calls: string[][] = [];
  const exec = (async (_file: string, args: readonly string[]) => (calls.push([...args]), { stdout: "", stderr: "", exitCode: 0 })) as unknown as Exec;
  const applied = await applyTimers([{ job: "create", repository: "usb", calendar: "Mon *-*-* 02:30" }, { job: "verify", repository: "usb", calendar: "weekly" }], dir, exec);

  const gone = ["caretaker-backups-check@gone.timer", "caretaker-backups-create@old.timer", "caretaker-backups-verify@gone.timer"];
  const usb = ["caretaker-backups-create@usb.timer", "caretaker-backups-verify@usb.timer"];
  expect(applied).toEqual({ enabled: usb, disabled: gone });
  expect(readFileSync(join(dir, "caretaker-backups-create@usb.timer.d/schedule.conf"), "utf8")).toContain("OnCalendar=\nOnCalendar=Mon *-*-* 02:30\n");
  expect(readFileSync(join(dir, "caretaker-backups-verify@usb.timer.d/schedule.conf"), "utf8")).toContain("OnCalendar=\nOnCalendar=weekly\n");
  expect(existsSync(join(dir, "caretaker-backups-create@old.timer.d"))).toBe(false);
  expect(existsSync(join(dir, "caretaker-dyndns-update.timer.d")), "another function's drop-in is left alone").toBe(true);
  expect(calls).toEqual([
    ["daemon-reload"],
    ["disable", "--now", "--", ...gone],
    ["enable", "--", ...usb],
    ["restart", "--", ...usb],
  ]);
});

describe("statusOf(repository, record, booted, listed)", () => {
  const repository = { name: "usb", schedule: { create: "daily", check: null, verify: null } };
  const record = { appliedAt: "2025-01-01T00:00:00.000Z", systemd: true, repositories: { usb: { create: "daily", check: null, verify: null } }, refused: [] };
  const listed = [{ name: "caretaker-backups-create@usb.timer", unit: "caretaker-backups-create@usb.service", next: "2025-01-02T00:12:00.000Z", last: null }];

  it("applied, with systemd's next run", () => {
    expect(statusOf(repository, record, true, listed)).toEqual({
      state: "applied",
      message: "the timers run the saved schedule",
      timers: [{ job: "create", timer: "caretaker-backups-create@usb.timer", calendar: "daily", next: "2025-01-02T00:12:00.000Z", last: null }],
    });
  });
  it("pending while the record is of another schedule, naming a refusal", () => {
    const changed = { ...repository, schedule: { create: "weekly", check: null, verify: null } };
    expect(statusOf(changed, record, true, listed).state).toBe("pending");
    expect(statusOf(changed, { ...record, refused: [{ repository: "usb", job: "create" as const, message: "not a calendar" }] }, true, []).message).toBe("the schedule job refused it: not a calendar");
  });
  it("needs-systemd in dev mode, saying whether the job recorded it", () => {
    expect(statusOf(repository, record, false, []).message).toMatch(/^timers need systemd: the schedule job recorded this schedule/);
    expect(statusOf(repository, null, false, [])).toMatchObject({ state: "needs-systemd", timers: [{ next: null }] });
  });
});
