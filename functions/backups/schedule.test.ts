// The schedules' pieces: drop-in text, which timers are wanted and present, what applying writes and
// asks systemctl (recorded: PID 1 is not systemd here; the booted guest runs the real one), the status.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Exec } from "../_shared/exec.ts";
import { applyTimers, dropInText, presentTimers, wantedTimers } from "./schedule-plan.ts";
import { statusOf } from "./schedule.ts";

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
  expect(wantedTimers([{ name: "usb", schedule: { create: "daily", check: null } }, { name: "nas", schedule: { create: null, check: "weekly" } }])).toEqual([
    { job: "create", repository: "usb", calendar: "daily" },
    { job: "check", repository: "nas", calendar: "weekly" },
  ]);
});

it("applyTimers(wanted, dir, exec) writes drop-ins, removes a forgotten repository's, and enables/disables its timers", async () => {
  const dir = unitDirectory();
  mkdirSync(join(dir, "caretaker-backups-create@old.timer.d"));
  writeFileSync(join(dir, "caretaker-backups-create@old.timer.d/schedule.conf"), dropInText("daily"));
  mkdirSync(join(dir, "timers.target.wants"));
  symlinkSync("/usr/lib/systemd/system/caretaker-backups-check@.timer", join(dir, "timers.target.wants/caretaker-backups-check@gone.timer"));
  mkdirSync(join(dir, "caretaker-dyndns-update.timer.d"));
  expect(presentTimers(dir)).toEqual(["caretaker-backups-check@gone.timer", "caretaker-backups-create@old.timer"]);

  const calls: string[][] = [];
  const exec = (async (_file: string, args: readonly string[]) => (calls.push([...args]), { stdout: "", stderr: "", exitCode: 0 })) as unknown as Exec;
  const applied = await applyTimers([{ job: "create", repository: "usb", calendar: "Mon *-*-* 02:30" }], dir, exec);

  expect(applied).toEqual({ enabled: ["caretaker-backups-create@usb.timer"], disabled: ["caretaker-backups-check@gone.timer", "caretaker-backups-create@old.timer"] });
  expect(readFileSync(join(dir, "caretaker-backups-create@usb.timer.d/schedule.conf"), "utf8")).toContain("OnCalendar=\nOnCalendar=Mon *-*-* 02:30\n");
  expect(existsSync(join(dir, "caretaker-backups-create@old.timer.d"))).toBe(false);
  expect(existsSync(join(dir, "caretaker-dyndns-update.timer.d")), "another function's drop-in is left alone").toBe(true);
  expect(calls).toEqual([
    ["daemon-reload"],
    ["disable", "--now", "--", "caretaker-backups-check@gone.timer", "caretaker-backups-create@old.timer"],
    ["enable", "--", "caretaker-backups-create@usb.timer"],
    ["restart", "--", "caretaker-backups-create@usb.timer"],
  ]);
});

describe("statusOf(repository, record, booted, listed)", () => {
  const repository = { name: "usb", schedule: { create: "daily", check: null } };
  const record = { appliedAt: "2025-01-01T00:00:00.000Z", systemd: true, repositories: { usb: { create: "daily", check: null } }, refused: [] };
  const listed = [{ name: "caretaker-backups-create@usb.timer", unit: "caretaker-backups-create@usb.service", next: "2025-01-02T00:12:00.000Z", last: null }];

  it("applied, with systemd's next run", () => {
    expect(statusOf(repository, record, true, listed)).toEqual({
      state: "applied",
      message: "the timers run the saved schedule",
      timers: [{ job: "create", timer: "caretaker-backups-create@usb.timer", calendar: "daily", next: "2025-01-02T00:12:00.000Z", last: null }],
    });
  });
  it("pending while the record is of another schedule, naming a refusal", () => {
    const changed = { ...repository, schedule: { create: "weekly", check: null } };
    expect(statusOf(changed, record, true, listed).state).toBe("pending");
    expect(statusOf(changed, { ...record, refused: [{ repository: "usb", job: "create" as const, message: "not a calendar" }] }, true, []).message).toBe("the schedule job refused it: not a calendar");
  });
  it("needs-systemd in dev mode, saying whether the job recorded it", () => {
    expect(statusOf(repository, record, false, []).message).toMatch(/^timers need systemd: the schedule job recorded this schedule/);
    expect(statusOf(repository, null, false, [])).toMatchObject({ state: "needs-systemd", timers: [{ next: null }] });
  });
});
