// Runs system tools: absolute paths, argument arrays, no shell, a timeout and bounded output.
import { HttpError } from "./errors.ts";

export interface ExecOptions {
  timeoutMs?: number;
  /** per stream; a tool that prints more is stopped and reported */
  maxOutputBytes?: number;
  /** exit codes that are answers rather than failures (smartctl's bit mask, grep's 1) */
  okExitCodes?: readonly number[];
  input?: string;
  cwd?: string;
  env?: Record<string, string>;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

const baseEnv = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C.UTF-8" };

/** A tool that fails is the box's problem, not the caller's: 502 with the tool's own words. */
export const exec: Exec = async (file, args, options = {}) => {
  if (!file.startsWith("/")) throw new Error(`exec needs an absolute path, got "${file}"`);
  const tool = file.slice(file.lastIndexOf("/") + 1);
  // Loaded on first use: evaluating execa costs ~18 ms of a cold process with the JIT off
  // (test/bench), which requests that run no tool should not pay.
  const { execa } = await import("execa");
  const result = await execa(file, [...args], {
    shell: false,
    reject: false,
    extendEnv: false,
    env: { ...baseEnv, ...options.env },
    timeout: options.timeoutMs ?? 10_000,
    maxBuffer: options.maxOutputBytes ?? 4 * 1024 * 1024,
    input: options.input,
    stdin: options.input === undefined ? "ignore" : "pipe",
    cwd: options.cwd,
    stripFinalNewline: false,
  });
  if (result.timedOut) throw new HttpError(504, `${tool} did not finish in ${options.timeoutMs ?? 10_000} ms`, { code: "tool_timeout" });
  if (result.isMaxBuffer) throw new HttpError(502, `${tool} printed more output than allowed`, { code: "tool_output_too_large" });
  if (result.failed && result.exitCode === undefined) {
    throw new HttpError(502, `${tool} could not be started: ${result.originalMessage ?? result.shortMessage}`, { code: "tool_failed" });
  }
  const exitCode = result.exitCode ?? -1;
  const ok = exitCode === 0 || (options.okExitCodes ?? []).includes(exitCode);
  const stdout = String(result.stdout ?? "");
  const stderr = String(result.stderr ?? "");
  if (!ok) {
    const said = stderr.trim().split("\n").slice(-3).join(" ").slice(0, 500);
    throw new HttpError(502, `${tool} failed with exit code ${exitCode}${said ? `: ${said}` : ""}`, { code: "tool_failed" });
  }
  return { stdout, stderr, exitCode };
};
