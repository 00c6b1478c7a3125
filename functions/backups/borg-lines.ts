// Runs a borg command whose stdout is one JSON object a line (`borg list --json-lines`) and hands
// each line over as it comes, so an archive of a million files is never held whole; a failure is
// put into words from borg's own --log-json errors, as runBorg does.
import { execLines as realExecLines, type ExecLines } from "../_shared/exec.ts";
import { borgEnv, borgPath, type BorgPlaces } from "./borg.ts";
import { explainFailure, parseLogLine, type BorgEvent } from "./borg-log.ts";

export interface StreamOutcome {
  ok: boolean;
  /** borg's reason in words when it failed */
  message: string;
}

export async function streamBorgLines(args: readonly string[], places: BorgPlaces, onLine: (line: string) => void, options: { timeoutMs?: number; execLines?: ExecLines } = {}): Promise<StreamOutcome> {
  const events: BorgEvent[] = [];
  const lines = (options.execLines ?? realExecLines)(borgPath, args, {
    signal: new AbortController().signal,
    env: borgEnv(places),
    timeoutMs: options.timeoutMs ?? 3600_000,
    maxLineBytes: 1 << 20,
    onStderrLine: (line) => {
      const event = parseLogLine(line);
      if (event?.kind === "log" && events.length < 100) events.push(event);
    },
  });
  try {
    for await (const line of lines) if (line.trim()) onLine(line);
    return { ok: true, message: "" };
  } catch (error) {
    // exec's words carry the exit code; borg's own log lines say why
    const exitCode = Number(/exit code (\d+)/.exec(error instanceof Error ? error.message : "")?.[1] ?? 2);
    if (exitCode === 1) return { ok: true, message: "" };
    return { ok: false, message: events.length ? explainFailure(events, exitCode) : error instanceof Error ? error.message : String(error) };
  }
}
