// Turns one line of `journalctl --output=json` into an entry or an audit record.
import type { AuditRecord, Entry } from "./schema.ts";

type Value = string | number[] | null | Array<string | number[] | null>;
export type Raw = Record<string, Value>;

const decoder = new TextDecoder();

/** journalctl's JSON: a string, bytes as a number array (not UTF-8), null (over 4096 bytes), or an array of those (a repeated field). */
function text(value: Value | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (value.every((item) => typeof item === "number")) return decoder.decode(Uint8Array.from(value as number[]));
  const parts = (value as Array<string | number[] | null>).map((item) => text(item)).filter((item) => item !== null);
  return parts.length ? parts.join("\n") : null;
}

function integer(value: Value | undefined): number | null {
  const digits = text(value);
  return digits !== null && /^\d{1,10}$/.test(digits) ? Number(digits) : null;
}

export function parseLine(line: string): Raw {
  const raw = JSON.parse(line) as unknown;
  if (!raw || typeof raw !== "object" || Array.isArray(raw) || typeof (raw as Raw).__CURSOR !== "string") {
    throw new Error(`journalctl printed a line that is not an entry: ${line.slice(0, 120)}`);
  }
  return raw as Raw;
}

/** __REALTIME_TIMESTAMP is microseconds since the epoch, as a decimal string. */
function time(raw: Raw): string {
  const micros = text(raw.__REALTIME_TIMESTAMP) ?? "0";
  return new Date(Number(BigInt(micros) / 1000n)).toISOString();
}

/** systemd's own messages (from init.scope, a trusted field) name the unit they are about in UNIT=. */
function unitOf(raw: Raw): string | null {
  const writer = text(raw._SYSTEMD_UNIT);
  if (writer === "init.scope" && text(raw.UNIT)) return text(raw.UNIT);
  return writer;
}

export function toEntry(raw: Raw): Entry {
  const priority = integer(raw.PRIORITY);
  const message = text(raw.MESSAGE);
  return {
    cursor: raw.__CURSOR as string,
    time: time(raw),
    priority: priority !== null && priority <= 7 ? priority : null,
    unit: unitOf(raw),
    identifier: text(raw.SYSLOG_IDENTIFIER) ?? text(raw._COMM),
    pid: integer(raw._PID),
    message: message ?? "",
    messageOmitted: raw.MESSAGE === null,
  };
}

export function toAuditRecord(raw: Raw): AuditRecord {
  return {
    cursor: raw.__CURSOR as string,
    time: time(raw),
    principal: text(raw.CARETAKER_PRINCIPAL) ?? "",
    function: text(raw.CARETAKER_FUNCTION) ?? "",
    action: text(raw.CARETAKER_ACTION) ?? "",
    result: integer(raw.CARETAKER_RESULT),
    source: text(raw.CARETAKER_SOURCE) ?? "",
    writer: text(raw._SYSTEMD_UNIT),
  };
}
