// parseNextElapse(stdout) and schedule(): busctl's raw answer, an inactive timer, and dev mode.
import { expect, test } from "vitest";
import { parseNextElapse, schedule } from "./timer.ts";

test("parseNextElapse reads busctl's microseconds; 0 is no next run", () => {
  expect(parseNextElapse("t 1796000000000000\n")).toBe("2026-11-30T00:53:20.000Z");
  expect(parseNextElapse("t 0\n")).toBeNull();
  expect(parseNextElapse("")).toBeNull();
});

test("schedule() asks systemd for the timer's property under systemd, and says there is none in dev mode", async () => {
  const calls: string[][] = [];
  const exec = async (file: string, args: readonly string[]) => {
    calls.push([file, ...args]);
    return { stdout: "t 1796000000000000\n", stderr: "", exitCode: 0 };
  };
  expect(await schedule(exec, true)).toEqual({ timer: true, nextRun: "2026-11-30T00:53:20.000Z" });
  expect(calls[0]).toEqual(["/usr/bin/busctl", "--system", "get-property", "org.freedesktop.systemd1", "/org/freedesktop/systemd1/unit/caretaker_2ddyndns_2dupdate_2etimer", "org.freedesktop.systemd1.Timer", "NextElapseUSecRealtime"]);
  expect(await schedule(exec, false)).toMatchObject({ timer: false, reason: expect.stringContaining("dev mode") });
});
