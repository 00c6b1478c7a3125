// jobs(fn): dev mode with real job processes, systemctl's answers, and unit names as systemd-escape makes them.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { bun, root } from "../_build/build.mjs";
import { jobs, parseShow } from "./jobs.ts";
import { escapeInstance, jobUnit } from "./systemd.ts";

describe("escapeInstance(value)", () => {
  test.each(["simple", "/dev/sda1", "with space", "über-ß", ".hidden", "a:b_c.d", "x\\y"])("agrees with systemd-escape for %j", (value) => {
    expect(escapeInstance(value)).toBe(execFileSync("/usr/bin/systemd-escape", ["--", value], { encoding: "utf8" }).trim());
  });
  test("names a job unit", () => {
    expect(jobUnit("disks", "grow", "/dev/sda")).toBe("caretaker-disks-grow@-dev-sda.service");
    expect(jobUnit("dyndns", "update")).toBe("caretaker-dyndns-update.service");
  });
});

describe("parseShow(unit, stdout)", () => {
  const unit = "caretaker-x-y.service";
  test("a job that never ran", () => {
    expect(parseShow(unit, "ActiveState=inactive\nResult=success\nExecMainStatus=0\nExecMainStartTimestamp=\nExecMainExitTimestamp=\n")).toEqual({ unit, state: "never-run" });
  });
  test("a running oneshot", () => {
    expect(parseShow(unit, "ActiveState=activating\nResult=success\nExecMainStatus=0\nExecMainStartTimestamp=@1796000000\nExecMainExitTimestamp=\n")).toEqual({
      unit, state: "running", startedAt: "2026-11-30T00:53:20.000Z",
    });
  });
  test("a failed run keeps its exit code", () => {
    expect(parseShow(unit, "ActiveState=failed\nResult=exit-code\nExecMainStatus=3\nExecMainStartTimestamp=@1796000000\nExecMainExitTimestamp=@1796000060\n")).toMatchObject({
      state: "failed", exitCode: 3, finishedAt: "2026-11-30T00:54:20.000Z",
    });
  });
  test("a finished oneshot", () => {
    expect(parseShow(unit, "ActiveState=inactive\nResult=success\nExecMainStatus=0\nExecMainStartTimestamp=@1796000000\nExecMainExitTimestamp=@1796000001\n")).toMatchObject({ state: "succeeded", exitCode: 0 });
  });
});

describe("jobs(fn) in dev mode", () => {
  const dir = mkdtempSync(join(tmpdir(), "caretaker-jobs-"));
  const devJobs = { bundles: join(dir, "bundles"), states: join(dir, "states"), bun, env: { PATH: "/usr/bin:/bin" } };
  beforeAll(() => {
    mkdirSync(devJobs.states);
    const entry = join(dir, "testing-wait.ts");
    writeFileSync(entry, `import main from "${join(root, "test/support/testing-job.ts")}";\nimport { runJob } from "${join(root, "functions/_shared/job-run.ts")}";\nvoid runJob(main);\n`);
    execFileSync(bun, ["build", "--target=bun", "--format=cjs", "--outdir", devJobs.bundles, entry], { stdio: "ignore" });
  });
  const runner = () => jobs("testing", { booted: false, devJobs });
  const settle = async (instance: string) => {
    for (let i = 0; i < 200; i++) {
      const state = await runner().state("wait", instance);
      if (state.state !== "running") return state;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("job did not finish");
  };

  test("a job runs once at a time and reports success", async () => {
    expect(await runner().state("wait", "400")).toEqual({ unit: "caretaker-testing-wait@400.service", state: "never-run" });
    expect((await runner().start("wait", "400")).state).toBe("running");
    await expect(runner().start("wait", "400")).rejects.toMatchObject({ status: 409, code: "job_running" });
    expect(await settle("400")).toMatchObject({ state: "succeeded", exitCode: 0 });
  });

  test("a job that throws is reported failed", async () => {
    await runner().start("wait", "fail");
    expect(await settle("fail")).toMatchObject({ state: "failed", exitCode: 1 });
  });

  test("a job killed mid-run is reported failed, and can start again", async () => {
    await runner().start("wait", "5000");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { readFileSync } = await import("node:fs");
    const recorded = JSON.parse(readFileSync(join(devJobs.states, "caretaker-testing-wait@5000.service.json"), "utf8"));
    process.kill(recorded.pid, "SIGKILL");
    expect(await settle("5000")).toMatchObject({ state: "failed" });
    expect((await runner().start("wait", "5000")).state).toBe("running");
  });
});

describe("jobs(fn) under systemd (systemctl's real output shapes, through an injected exec)", () => {
  const gone = "ActiveState=inactive\nResult=success\nJob=\nExecMainStatus=0\nExecMainStartTimestamp=\nExecMainExitTimestamp=\n";
  const queued = "ActiveState=inactive\nResult=success\nJob=412\nExecMainStatus=0\nExecMainStartTimestamp=\nExecMainExitTimestamp=\n";
  test("a queued start is running, and a finished job that systemd unloaded is remembered as succeeded", async () => {
    const state = mkdtempSync(join(tmpdir(), "caretaker-state-"));
    const saved = process.env.STATE_DIRECTORY;
    process.env.STATE_DIRECTORY = state;
    try {
      let answer = gone;
      const calls: string[][] = [];
      const exec = async (_file: string, args: readonly string[]) => {
        calls.push([...args]);
        return { stdout: args[0] === "show" ? answer : "", stderr: "", exitCode: 0 };
      };
      const runner = jobs("disks", { booted: true, exec });
      expect((await runner.state("scan")).state).toBe("never-run");
      await runner.start("scan");
      expect(calls.at(-1)).toEqual(["start", "--no-block", "--", "caretaker-disks-scan.service"]);
      answer = queued;
      await expect(runner.start("scan")).rejects.toMatchObject({ status: 409 });
      answer = gone;
      expect(await runner.state("scan")).toMatchObject({ state: "succeeded", unit: "caretaker-disks-scan.service" });
    } finally {
      if (saved === undefined) delete process.env.STATE_DIRECTORY;
      else process.env.STATE_DIRECTORY = saved;
    }
  });
});
