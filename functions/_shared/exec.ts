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
  /** streams stderr line by line instead of keeping it (borg's JSON progress of a long backup) */
  onStderrLine?: (line: string) => void;
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
    ...(options.onStderrLine ? { stderr: [streamLines(options.onStderrLine)] } : {}),
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

/** An execa transform that hands each stderr line over and keeps none of them in memory. */
function streamLines(onLine: (line: string) => void) {
  return function* (line: unknown) {
    onLine(String(line));
  };
}

export interface LineStreamOptions {
  /** the request's signal: the tool is killed when the client hangs up (or any other abort) */
  signal: AbortSignal;
  timeoutMs?: number;
  /** a longer line stops the tool: lines are never held whole beyond this */
  maxLineBytes?: number;
  /** exit codes that are answers when the tool said nothing on stderr (journalctl --grep's 1: no match) */
  okExitCodes?: readonly number[];
  env?: Record<string, string>;
  /** each stderr line as it comes (borg's --log-json errors), besides the tail kept for the error */
  onStderrLine?: (line: string) => void;
}

export type ExecLines = (file: string, args: readonly string[], options: LineStreamOptions) => AsyncGenerator<string, void, undefined>;

/**
 * Streams a tool's stdout line by line while it runs (journalctl --follow), with the pipe's
 * backpressure: nothing is buffered beyond one line. Ending the loop early, or aborting the signal,
 * kills the tool. After an abort the stream just ends; a failure is thrown as exec's would be.
 */
export const execLines: ExecLines = async function* (file, args, options) {
  if (!file.startsWith("/")) throw new Error(`exec needs an absolute path, got "${file}"`);
  const tool = file.slice(file.lastIndexOf("/") + 1);
  const maxLineBytes = options.maxLineBytes ?? 1 << 20;
  const { execa } = await import("execa");
  const subprocess = execa(file, [...args], {
    shell: false,
    reject: false,
    extendEnv: false,
    env: { ...baseEnv, ...options.env },
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    buffer: false,
    stdin: "ignore",
  });
  let stderrTail = "";
  subprocess.stderr?.on("data", (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString("utf8")).slice(-2000)));
  if (options.onStderrLine) {
    let pending = "";
    subprocess.stderr?.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString("utf8")).split("\n");
      pending = lines.pop()!.slice(-65536);
      lines.forEach(options.onStderrLine!);
    });
    subprocess.stderr?.on("end", () => pending && options.onStderrLine!(pending));
  }
  const decoder = new TextDecoder();
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let tooLong = false;
  try {
    try {
      for await (const chunk of subprocess.stdout as AsyncIterable<Buffer>) {
        let start = 0;
        for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
          const line = partialBytes ? Buffer.concat([...partial, chunk.subarray(start, end)]) : chunk.subarray(start, end);
          partial = [];
          partialBytes = 0;
          start = end + 1;
          yield decoder.decode(line);
        }
        if (start < chunk.length) {
          partial.push(chunk.subarray(start));
          partialBytes += chunk.length - start;
          if (partialBytes > maxLineBytes) {
            tooLong = true;
            break;
          }
        }
      }
    } catch (error) {
      // a stream destroyed by the abort ends the lines; anything else is a real failure
      if (!options.signal.aborted) throw error;
    }
    if (tooLong) throw new HttpError(502, `${tool} printed a line longer than ${maxLineBytes} bytes`, { code: "tool_output_too_large" });
    if (partialBytes > 0 && !options.signal.aborted) yield decoder.decode(Buffer.concat(partial));
    const result = await subprocess;
    if (result.isCanceled || options.signal.aborted) return;
    if (result.timedOut) throw new HttpError(504, `${tool} did not finish in ${options.timeoutMs} ms`, { code: "tool_timeout" });
    if (result.failed && result.exitCode === undefined) {
      throw new HttpError(502, `${tool} could not be started: ${result.originalMessage ?? result.shortMessage}`, { code: "tool_failed" });
    }
    const exitCode = result.exitCode ?? -1;
    if (exitCode !== 0 && !((options.okExitCodes ?? []).includes(exitCode) && stderrTail.trim() === "")) {
      const said = stderrTail.trim().split("\n").slice(-3).join(" ").slice(0, 500);
      throw new HttpError(502, `${tool} failed with exit code ${exitCode}${said ? `: ${said}` : ""}`, { code: "tool_failed" });
    }
  } finally {
    // the consumer stopped early (a full page, a hang-up): the tool must not outlive it
    if (subprocess.exitCode === null && subprocess.signalCode === null) subprocess.kill("SIGKILL");
    await subprocess;
  }
};
