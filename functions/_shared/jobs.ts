// Starts and watches a function's job units: privileged work that must outlive one request.
// Under systemd the function asks PID 1 over D-Bus (systemctl; polkit allows exactly its own jobs);
// in dev mode the same calls spawn the job's bundle directly and read the state file it keeps.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HttpError } from "./errors.ts";
import { exec as realExec, type Exec } from "./exec.ts";
import { bootedMarker, jobUnit } from "./systemd.ts";

export interface JobState {
  unit: string;
  state: "never-run" | "running" | "succeeded" | "failed";
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
}

export interface Jobs {
  /** Starts the job; 409 while the same job (and instance) still runs. */
  start(job: string, instance?: string): Promise<JobState>;
  state(job: string, instance?: string): Promise<JobState>;
}

export interface JobsOptions {
  exec?: Exec;
  /** dev mode: where job bundles are and where their state files go (set by the dev stack) */
  devJobs?: { bundles: string; states: string; bun: string; env: Record<string, string> };
  booted?: boolean;
}

const systemctl = "/usr/bin/systemctl";

export function jobs(fn: string, options: JobsOptions = {}): Jobs {
  const booted = options.booted ?? existsSync(bootedMarker);
  if (booted) return systemdJobs(fn, options.exec ?? realExec);
  const dev = options.devJobs ?? devJobsFromEnv();
  if (!dev) throw new HttpError(503, "jobs need systemd, or the dev stack's CARETAKER_DEV_JOBS", { code: "jobs_unavailable" });
  return devJobs(fn, dev);
}

function systemdJobs(fn: string, exec: Exec): Jobs {
  // systemd unloads a oneshot that ended well and that nothing references, and with it the
  // memory that it ran; failed units stay loaded. So the function notes each start it makes.
  const notes = process.env.STATE_DIRECTORY ? join(process.env.STATE_DIRECTORY, "job-starts") : undefined;
  const noted = (unit: string) => (notes && existsSync(join(notes, unit)) ? readFileSync(join(notes, unit), "utf8").trim() : undefined);

  async function state(job: string, instance?: string): Promise<JobState> {
    const unit = jobUnit(fn, job, instance);
    const { stdout } = await exec(systemctl, [
      "show", "--timestamp=unix",
      "--property=ActiveState,Result,Job,ExecMainStatus,ExecMainStartTimestamp,ExecMainExitTimestamp",
      "--", unit,
    ]);
    const shown = parseShow(unit, stdout);
    const startedAt = shown.state === "never-run" ? noted(unit) : undefined;
    return startedAt ? { unit, state: "succeeded", startedAt } : shown;
  }
  return {
    state,
    async start(job, instance) {
      const current = await state(job, instance);
      if (current.state === "running") throw new HttpError(409, `${current.unit} is already running`, { code: "job_running" });
      await exec(systemctl, ["start", "--no-block", "--", current.unit]);
      const startedAt = new Date().toISOString();
      if (notes) {
        mkdirSync(notes, { recursive: true });
        writeFileSync(join(notes, current.unit), startedAt);
      }
      return { unit: current.unit, state: "running", startedAt };
    },
  };
}

/** `systemctl show` of a oneshot job: activating while it runs, then inactive (success) or failed. */
export function parseShow(unit: string, stdout: string): JobState {
  const fields = Object.fromEntries(stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  const time = (value = "") => (/^@\d+$/.test(value) ? new Date(Number(value.slice(1)) * 1000).toISOString() : undefined);
  const startedAt = time(fields.ExecMainStartTimestamp);
  const finishedAt = time(fields.ExecMainExitTimestamp);
  const exitCode = startedAt && finishedAt ? Number(fields.ExecMainStatus) : undefined;
  // a queued start (Job= names it) counts as running: the unit may not have left "inactive" yet
  const queued = Boolean(fields.Job) && fields.Job !== "0";
  if (queued || ["activating", "active", "deactivating", "reloading"].includes(fields.ActiveState)) return { unit, state: "running", startedAt };
  if (fields.ActiveState === "failed" || (fields.Result && fields.Result !== "success")) return { unit, state: "failed", startedAt, finishedAt, exitCode };
  if (!startedAt) return { unit, state: "never-run" };
  return { unit, state: "succeeded", startedAt, finishedAt, exitCode };
}

function devJobsFromEnv(): JobsOptions["devJobs"] {
  const raw = process.env.CARETAKER_DEV_JOBS;
  return raw ? JSON.parse(raw) : undefined;
}

/** The state file a job keeps in dev mode (see job-run.ts); a "running" job whose pid is gone failed. */
function devJobs(fn: string, dev: NonNullable<JobsOptions["devJobs"]>): Jobs {
  const file = (unit: string) => join(dev.states, `${unit}.json`);
  function state(job: string, instance?: string): Promise<JobState> {
    const unit = jobUnit(fn, job, instance);
    if (!existsSync(file(unit))) return Promise.resolve({ unit, state: "never-run" });
    const recorded = JSON.parse(readFileSync(file(unit), "utf8")) as JobState & { pid?: number };
    const { pid, ...rest } = recorded;
    const neverStarted = !pid && Date.now() - Date.parse(rest.startedAt ?? "") > 30_000;
    if (rest.state === "running" && ((pid && !alive(pid)) || neverStarted)) return Promise.resolve({ ...rest, state: "failed" });
    return Promise.resolve(rest);
  }
  return {
    state,
    async start(job, instance) {
      const current = await state(job, instance);
      if (current.state === "running") throw new HttpError(409, `${current.unit} is already running`, { code: "job_running" });
      const bundle = join(dev.bundles, `${fn}-${job}.js`);
      const log = openSync(join(dev.states, `${current.unit}.log`), "a");
      // recorded before the job exists, so neither a second start nor a fast job can race it;
      // the job adds its pid first thing and its verdict last (job-run.ts)
      const started: JobState = { unit: current.unit, state: "running", startedAt: new Date().toISOString() };
      writeFileSync(file(current.unit), JSON.stringify(started));
      const child = spawn(dev.bun, ["--no-env-file", bundle, ...(instance === undefined ? [] : [instance])], {
        detached: true,
        stdio: ["ignore", log, log],
        env: { ...dev.env, CARETAKER_JOB_STATE: file(current.unit), CARETAKER_JOB_UNIT: current.unit },
      });
      child.unref();
      return started;
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
