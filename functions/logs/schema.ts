// The logs function's schemas: journal filters (query), entries and audit records (responses).
import * as v from "valibot";

/** journald's priorities, most severe first; the index is the syslog level. */
export const priorityNames = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;

const priority = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.check((value) => /^[0-7]$/.test(value) || (priorityNames as readonly string[]).includes(value), "must be 0-7 or one of emerg, alert, crit, err, warning, notice, info, debug"),
  v.transform((value) => (/^[0-7]$/.test(value) ? Number(value) : priorityNames.indexOf(value as (typeof priorityNames)[number]))),
  v.description("the least severe level shown: 0-7 or its name (err shows emerg, alert, crit and err)"),
);

// systemd unit names (systemd.unit(5)): what `journalctl --unit` takes; "*" matches as it does there
const unit = v.pipe(
  v.string(),
  v.maxLength(256),
  v.regex(/^[A-Za-z0-9:_.\\@*-]+$/, "must be a unit name such as caddy.service or caretaker-system@*.service"),
  v.regex(/^[^-]/, "must not start with a dash"),
  v.description("only this unit's entries (also what systemd said about it); `.service` is implied; `*` matches any text"),
);

const time = (what: string) =>
  v.pipe(v.string(), v.isoTimestamp("must be an ISO 8601 time such as 2025-03-01T12:00:00Z"), v.description(what));

const text = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(200),
  v.regex(/^[^\p{Cc}]+$/u, "must not contain control characters"),
  v.description("only entries whose message contains this text (any case; taken literally, not as a pattern)"),
);

export const cursorPattern = /^s=[0-9a-f]{32};i=[0-9a-f]{1,16};b=[0-9a-f]{32};m=[0-9a-f]{1,16};t=[0-9a-f]{1,16};x=[0-9a-f]{1,16}$/;
const cursor = (what: string) => v.pipe(v.string(), v.regex(cursorPattern, "must be a cursor this API returned"), v.description(what));

const limit = v.pipe(
  v.optional(v.string(), "100"),
  v.regex(/^\d{1,3}$/, "must be a whole number from 1 to 500"),
  v.transform(Number),
  v.minValue(1),
  v.maxValue(500),
  v.description("entries per page, 1-500 (100 when left out)"),
);

const functionName = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9]{0,31}$/, "must be a caretaker function name such as system"), v.description("only changes made through this function"));

const after = cursor("continue with the entries older than this one: the `next` of the previous page");
const followFrom = cursor("follow from the entry after this one (the newest you already have); without it, only entries written from now on. An EventSource's Last-Event-ID takes precedence");

const inOrder = (since?: string, until?: string) => !since || !until || Date.parse(since) <= Date.parse(until);

export const JournalQuerySchema = v.pipe(
  v.strictObject({
    unit: v.optional(unit),
    priority: v.optional(priority),
    since: v.optional(time("only entries at or after this time")),
    until: v.optional(time("only entries at or before this time")),
    text: v.optional(text),
    after: v.optional(after),
    limit,
  }),
  v.check((query) => inOrder(query.since, query.until), "since must not be later than until"),
);

export const AuditQuerySchema = v.pipe(
  v.strictObject({
    function: v.optional(functionName),
    text: v.optional(text),
    since: v.optional(time("only changes at or after this time")),
    until: v.optional(time("only changes at or before this time")),
    after: v.optional(after),
    limit,
  }),
  v.check((query) => inOrder(query.since, query.until), "since must not be later than until"),
);

/** Following takes the filters of both views; `audit` view adds the audit trail's own match. */
export const FollowQuerySchema = v.strictObject({
  unit: v.optional(unit),
  priority: v.optional(priority),
  text: v.optional(text),
  function: v.optional(functionName),
  cursor: v.optional(followFrom),
});

export const views = ["journal", "audit"] as const;
export type View = (typeof views)[number];

const entryCursor = v.pipe(v.string(), v.description("the entry's journal cursor: pass it as `after` or `cursor`"));
const entryTime = v.pipe(v.string(), v.isoTimestamp(), v.description("when the entry was written (UTC, millisecond precision)"));

export const EntrySchema = v.strictObject({
  cursor: entryCursor,
  time: entryTime,
  priority: v.pipe(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(7))), v.description("syslog level, 0 emerg … 7 debug; null when the entry has none")),
  unit: v.pipe(v.nullable(v.string()), v.description("the unit that wrote it (for systemd's own messages: the unit they are about)")),
  identifier: v.pipe(v.nullable(v.string()), v.description("SYSLOG_IDENTIFIER, else the command name")),
  pid: v.nullable(v.pipe(v.number(), v.integer())),
  message: v.pipe(v.string(), v.description("the message; binary messages decoded as UTF-8")),
  messageOmitted: v.pipe(v.boolean(), v.description("true when the message is over 4096 bytes: `journalctl` shows it whole")),
});

export const AuditRecordSchema = v.strictObject({
  cursor: entryCursor,
  time: entryTime,
  principal: v.pipe(v.string(), v.description("who: the admin's session or the API token")),
  function: v.pipe(v.string(), v.description("the caretaker function that was asked")),
  action: v.pipe(v.string(), v.description("method and path, e.g. POST /api/dyndns/run")),
  result: v.pipe(v.nullable(v.pipe(v.number(), v.integer())), v.description("the HTTP status the request ended with")),
  source: v.pipe(v.string(), v.description("the client's address as Caddy saw it")),
  writer: v.pipe(
    v.nullable(v.string()),
    v.description("the unit journald saw write the record (its trusted _SYSTEMD_UNIT: caretaker-<function>@….service); null when the writer had ended before journald looked"),
  ),
});

const next = v.pipe(v.nullable(v.string()), v.description("cursor of the next, older page as `after`; null when this page is the last"));

export const JournalPageSchema = v.strictObject({
  entries: v.pipe(v.array(EntrySchema), v.description("newest first")),
  next,
});

export const AuditPageSchema = v.strictObject({
  entries: v.pipe(v.array(AuditRecordSchema), v.description("newest first")),
  next,
});

export type JournalQuery = v.InferOutput<typeof JournalQuerySchema>;
export type FollowQuery = v.InferOutput<typeof FollowQuerySchema>;
export type AuditQuery = v.InferOutput<typeof AuditQuerySchema>;
export type Entry = v.InferOutput<typeof EntrySchema>;
export type AuditRecord = v.InferOutput<typeof AuditRecordSchema>;
