// Runs borg through exec (absolute path, argument array, no shell) and turns its output into a result:
// the JSON on stdout, its log events, the legacy exit code and, on failure, the reason in words.
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import { borgEnv, borgPath, type BorgPlaces } from "./borg.ts";
import { explainFailure, outcomeOf, parseLogLine, warningsOf, type BorgEvent } from "./borg-log.ts";

export interface BorgResult {
  exitCode: number;
  outcome: ReturnType<typeof outcomeOf>;
  stdout: string;
  events: BorgEvent[];
  /** the reason in words when outcome is error or killed; otherwise empty */
  message: string;
  warnings: string[];
}

export interface RunOptions {
  exec?: Exec;
  timeoutMs?: number;
  cwd?: string;
  /** each event as it arrives: the create job turns archive progress into the page's progress bar */
  onEvent?: (event: BorgEvent) => void;
  maxOutputBytes?: number;
}

// every exit code is an answer here; which are failures is decided below, from borg's own words
const everyExitCode = Array.from({ length: 255 }, (_, index) => index + 1);

export async function runBorg(args: readonly string[], places: BorgPlaces, options: RunOptions = {}): Promise<BorgResult> {
  const events: BorgEvent[] = [];
  const { exitCode, stdout } = await (options.exec ?? realExec)(borgPath, args, {
    env: borgEnv(places),
    timeoutMs: options.timeoutMs ?? 24 * 3600_000,
    maxOutputBytes: options.maxOutputBytes ?? 64 * 1024 * 1024,
    okExitCodes: everyExitCode,
    cwd: options.cwd,
    onStderrLine: (line) => {
      const event = parseLogLine(line);
      if (!event) return;
      options.onEvent?.(event);
      // progress is streamed, not kept: a long backup prints a line every fraction of a second
      if (event.kind === "log") events.push(event);
    },
  });
  const outcome = outcomeOf(exitCode);
  const failed = outcome === "error" || outcome === "killed";
  return { exitCode, outcome, stdout, events, message: failed ? explainFailure(events, exitCode) : "", warnings: warningsOf(events) };
}

/** The JSON a successful `--json` command printed; a failed one has none and throws its reason. */
export function jsonOf<T>(result: BorgResult): T {
  if (result.outcome === "error" || result.outcome === "killed") throw new Error(result.message);
  return JSON.parse(result.stdout) as T;
}
