// Everything that knows journalctl's command line: which journal, the filters as argv items, paging and following.
import { existsSync } from "node:fs";
import { HttpError } from "../_shared/errors.ts";
import { bootedMarker } from "../_shared/systemd.ts";

export const journalctl = "/usr/bin/journalctl";

/** The fields the parsers read; journalctl adds __CURSOR, __REALTIME_TIMESTAMP and _BOOT_ID itself. */
export const outputFields = [
  "MESSAGE", "PRIORITY", "_SYSTEMD_UNIT", "UNIT", "SYSLOG_IDENTIFIER", "_COMM", "_PID",
  "CARETAKER_AUDIT", "CARETAKER_FUNCTION", "CARETAKER_PRINCIPAL", "CARETAKER_ACTION", "CARETAKER_RESULT", "CARETAKER_SOURCE",
];

export interface Filters {
  unit?: string;
  priority?: number;
  since?: string;
  until?: string;
  text?: string;
  /** caretaker's audit trail only (CARETAKER_AUDIT=1), optionally of one function */
  audit?: boolean;
  function?: string;
}

/**
 * Which journal: `--directory=` when CARETAKER_LOGS_JOURNAL_DIRECTORY names one (dev mode, tests),
 * else the system journal when systemd runs; otherwise there is none and nothing is made up.
 */
export function journalSource(env: Record<string, string | undefined> = process.env, booted = existsSync(bootedMarker)): string[] {
  const directory = env.CARETAKER_LOGS_JOURNAL_DIRECTORY;
  if (directory) return [`--directory=${directory}`];
  if (booted) return [];
  throw new HttpError(503, "the journal is not available: this machine does not run systemd (dev mode). Set CARETAKER_LOGS_JOURNAL_DIRECTORY to a journal directory to read one", { code: "journal_unavailable" });
}

/** PCRE2 metacharacters escaped: the user's text is matched literally, never as a pattern. */
export function literalPattern(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

/** journalctl takes "@<seconds since the epoch>" on every version; 252 refuses ISO's "T" and "Z". */
export function epochArgument(iso: string): string {
  return `@${(Date.parse(iso) / 1000).toFixed(3)}`;
}

/** Each value is one `--option=value` argv item; field matches come after `--` and are built from validated names. */
function filterArgs(filters: Filters): string[] {
  const args: string[] = [];
  if (filters.unit) args.push(`--unit=${filters.unit}`);
  if (filters.priority !== undefined) args.push(`--priority=${filters.priority}`);
  if (filters.since) args.push(`--since=${epochArgument(filters.since)}`);
  if (filters.until) args.push(`--until=${epochArgument(filters.until)}`);
  if (filters.text) args.push(`--grep=${literalPattern(filters.text)}`, "--case-sensitive=false");
  const matches: string[] = [];
  if (filters.audit || filters.function) matches.push("CARETAKER_AUDIT=1");
  if (filters.function) matches.push(`CARETAKER_FUNCTION=${filters.function}`);
  return [...args, "--", ...matches];
}

const common = ["--no-pager", "--quiet", "--output=json", `--output-fields=${outputFields.join(",")}`];

/** One page, newest first: at most `limit` entries older than `after` (or the newest ones). */
export function pageArgs(source: string[], filters: Filters, page: { limit: number; after?: string }): string[] {
  const position = page.after ? [`--after-cursor=${page.after}`] : [];
  return [...source, ...common, "--reverse", `--lines=${page.limit}`, ...position, ...filterArgs(filters)];
}

/**
 * The newest entry that matches: a follow without a cursor starts after it. It must match, since
 * `--after-cursor` steps over one entry more than the cursor's own when filters are set
 * (systemd/systemd#38912), and a non-matching cursor would cost the first new entry.
 */
export function tailArgs(source: string[], filters: Filters): string[] {
  return [...source, "--no-pager", "--quiet", "--output=json", "--output-fields=MESSAGE", "--lines=1", ...filterArgs(filters)];
}

/**
 * One read of a follow: every entry after `cursor`, oldest first (all of them when nothing
 * matched when the follow began). Not `--follow`: under a flood it skips entries (about half of
 * 20 000 lines written in a second, measured in the guest), while a cursor read again finds every
 * entry journald kept.
 */
export function followArgs(source: string[], filters: Filters, cursor?: string): string[] {
  const position = cursor ? [`--after-cursor=${cursor}`] : [];
  return [...source, ...common, ...position, ...filterArgs(filters)];
}
