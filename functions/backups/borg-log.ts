// Reads borg's --log-json stream (stderr, one JSON object a line) and its exit codes, and puts
// borg's errors into words an owner can act on.

export interface ArchiveProgress {
  kind: "archive";
  files: number;
  originalBytes: number;
  compressedBytes: number;
  deduplicatedBytes: number;
  finished: boolean;
  time: number;
}

export interface LogMessage {
  kind: "log";
  level: "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";
  message: string;
  msgid?: string;
}

export interface StepMessage {
  kind: "step";
  message: string;
  finished: boolean;
}

export type BorgEvent = ArchiveProgress | LogMessage | StepMessage;

/** One stderr line; anything that is not borg's JSON (an ssh warning, a hook's words) becomes a log line. */
export function parseLogLine(line: string): BorgEvent | undefined {
  const text = line.trim();
  if (!text) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text);
  } catch {
    return { kind: "log", level: "WARNING", message: text.slice(0, 500) };
  }
  const number = (key: string) => (typeof record[key] === "number" ? (record[key] as number) : 0);
  switch (record.type) {
    case "archive_progress":
      return {
        kind: "archive",
        files: number("nfiles"),
        originalBytes: number("original_size"),
        compressedBytes: number("compressed_size"),
        deduplicatedBytes: number("deduplicated_size"),
        finished: record.finished === true,
        time: number("time"),
      };
    case "progress_message":
    case "progress_percent":
      return { kind: "step", message: typeof record.message === "string" ? record.message : "", finished: record.finished === true };
    case "log_message":
      return {
        kind: "log",
        level: (record.levelname as LogMessage["level"]) ?? "INFO",
        message: String(record.message ?? "").trim(),
        ...(typeof record.msgid === "string" ? { msgid: record.msgid } : {}),
      };
    default:
      return undefined;
  }
}

/** Legacy exit codes (BORG_EXIT_CODES=legacy, the default of 1.2 and 1.4): 0 ok, 1 warning, 2 error, 128+N signal. */
export function outcomeOf(exitCode: number): "ok" | "warning" | "error" | "killed" {
  if (exitCode === 0) return "ok";
  if (exitCode === 1) return "warning";
  if (exitCode >= 128) return "killed";
  return "error";
}

const unreachable = /^ConnectionClosed|^RemoteRepository|^ConnectionClosedWithHint$/;
const explanations: Array<[RegExp, string]> = [
  [/^PassphraseWrong$/, "the passphrase is wrong: the repository was not changed"],
  [/^PasscommandFailure$/, "the passphrase could not be read: store it again for this repository"],
  [/^Repository\.DoesNotExist$|^Repository\.InvalidRepository$/, "there is no borg repository at this location"],
  [/^Repository\.AlreadyExists$/, "a repository already exists at this location"],
  [/^LockTimeout$|^LockFailed$|^LockError$/, "the repository is locked by another borg; if none runs, break the stale lock"],
  [unreachable, "the remote repository could not be reached (network, ssh key or host)"],
];

/** ssh's own words ("Remote: ssh: connect to host … Connection refused"), which borg passes on as a warning before its error. */
function sshReason(events: readonly BorgEvent[]): string {
  const said = events.flatMap((event) => (event.kind === "log" && /^Remote: (ssh: .+|.*(Permission denied|Host key verification failed|Could not resolve hostname).*)$/.test(event.message) ? [event.message.slice("Remote: ".length).split("\n")[0]] : []));
  return said.length ? `: ${said[0].slice(0, 200)}` : "";
}

/**
 * The message of a failed run: the first ERROR line, explained when borg's msgid is a known one.
 * A full disk has no msgid of its own in 1.2 (it surfaces as an OSError), so the text is matched.
 */
export function explainFailure(events: readonly BorgEvent[], exitCode: number): string {
  const errors = events.filter((event): event is LogMessage => event.kind === "log" && (event.level === "ERROR" || event.level === "CRITICAL"));
  const text = errors.map((error) => error.message).join(" ");
  if (/No space left on device|ENOSPC|Insufficient free space/i.test(text)) return "the target disk is full: borg stopped and rolled the repository back to its last commit";
  for (const error of errors) {
    const known = explanations.find(([pattern]) => error.msgid && pattern.test(error.msgid));
    if (known && known[0] === unreachable) return `${known[1]}${sshReason(events)}`;
    if (known) return known[1];
  }
  if (exitCode >= 128) return `borg was killed by signal ${exitCode - 128}`;
  const first = errors[0]?.message.split("\n")[0];
  return first ? first.slice(0, 300) : `borg failed with exit code ${exitCode}`;
}

/** Warnings of a run that exited 1 (a file vanished or could not be read): kept, never hidden. */
export function warningsOf(events: readonly BorgEvent[]): string[] {
  return events.filter((event): event is LogMessage => event.kind === "log" && event.level === "WARNING").map((event) => event.message.split("\n")[0]).slice(0, 20);
}
