// The backups schemas (settings, requests, responses and the jobs' records) and their inferred types.
import * as v from "valibot";
import { VerificationSchema } from "./schema-verify.ts";
import { ScheduleStatusSchema } from "./schedule-schema.ts";

const described = <S extends v.GenericSchema>(schema: S, text: string) => v.pipe(schema, v.description(text));

export const RepositoryNameSchema = described(
  v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,31}$/, "must be a lower-case letter, then letters, digits or _ (at most 32)")),
  "the repository's name in caretaker; also the instance of its job units (caretaker-backups-create@<name>.service)",
);

/** Plain path bytes only: these reach borg's argv and the unit's ReadWritePaths= world. */
const absolutePath = v.pipe(
  v.string(),
  v.maxLength(512),
  v.regex(/^\/[A-Za-z0-9._@+,=:~ -]*(\/[A-Za-z0-9._@+,=:~ -]+)*$/, "must be an absolute path of plain characters"),
  v.check((path) => !path.split("/").some((part) => part === ".." || part === "."), "must not contain . or .. parts"),
);

/** Local repositories live on another disk, mounted below /srv, /mnt or /media: the jobs may write only there. */
export const localRoots = ["/srv/", "/mnt/", "/media/"] as const;

export const LocationSchema = described(
  v.union([
    v.pipe(absolutePath, v.check((path) => localRoots.some((root) => path.startsWith(root) && path.length > root.length), "a local repository must be below /srv, /mnt or /media")),
    v.pipe(v.string(), v.maxLength(512), v.regex(/^ssh:\/\/[a-z_][a-z0-9_.-]{0,31}@[A-Za-z0-9.-]{1,253}(:\d{1,5})?\/[A-Za-z0-9._~/-]*$/, "must be ssh://user@host[:port]/path")),
  ], "must be a local path below /srv, /mnt or /media, or ssh://user@host[:port]/path"),
  "where the borg repository is: a directory on another disk, or ssh://user@host[:port]/path",
);

export const SourceNameSchema = described(
  v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,31}$/, "must be lower-case letters, digits and -")),
  "names the source's archives <YYYYmmdd_HHMMSS>-<name>; the source nextcloud-aio makes archives Nextcloud AIO recognises",
);

export const SourceSchema = v.strictObject({
  name: SourceNameSchema,
  paths: described(v.pipe(v.array(absolutePath), v.minLength(1), v.maxLength(32)), "absolute paths to back up"),
  excludes: described(
    v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(256), v.regex(/^[^\n\0]+$/, "must be one line"))), v.maxLength(64)),
    "borg exclude patterns (shell-style, e.g. */cache or sh:/srv/data/**/*.tmp)",
  ),
});

export const HookSchema = described(
  v.pipe(v.array(v.pipe(v.string(), v.maxLength(512), v.regex(/^[^\0\n]*$/))), v.minLength(1), v.maxLength(16), v.check((argv) => /^\/[A-Za-z0-9._/+-]+$/.test(argv[0]) && !argv[0].includes(".."), "the program must be an absolute path")),
  "one program and its arguments, run without a shell, e.g. [\"/usr/local/bin/dump-db\", \"--to\", \"/srv/dumps\"]",
);

export const RetentionSchema = v.strictObject({
  within: described(v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}[HdwmY]$/, "must be a number and H, d, w, m or Y, e.g. 7d"))), "keep every archive of this period"),
  daily: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000))),
  weekly: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000))),
  monthly: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000))),
});

const calendar = described(
  v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.regex(/^[A-Za-z0-9:*/.,~ -]+$/, "must be a systemd calendar expression"))),
  "a systemd calendar expression (e.g. daily, *-*-* 03:00); null: no timer",
);

export const RepositoryInputSchema = v.strictObject({
  location: LocationSchema,
  appendOnly: described(v.boolean(), "make a new repository append-only: a compromised box cannot delete old archives"),
  passphrase: described(v.optional(v.pipe(v.string(), v.minLength(12), v.maxLength(256), v.regex(/^[\x20-\x7e]+$/, "must be printable ASCII"))), "leave out to keep the stored one; stored as the jobs' credential, never returned"),
  sources: v.pipe(v.array(SourceSchema), v.minLength(1), v.maxLength(16)),
  hooks: v.strictObject({ before: v.pipe(v.array(HookSchema), v.maxLength(4)), after: v.pipe(v.array(HookSchema), v.maxLength(4)) }),
  retention: RetentionSchema,
  maxAgeHours: described(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 90)), "flag the repository when its last good archive is older than this"),
  // verify is optional so that settings saved before it existed (and clients that leave it out) get the weekly default
  schedule: v.strictObject({ create: calendar, check: calendar, verify: described(v.optional(calendar, "weekly"), "the verified restore's calendar; left out: weekly; null: only when started") }),
});

export const RepositorySettingsSchema = v.strictObject({
  name: RepositoryNameSchema,
  ...v.omit(RepositoryInputSchema, ["passphrase"]).entries,
  passphraseSet: described(v.boolean(), "whether a passphrase is stored (it is never shown)"),
});

export const SettingsFileSchema = v.strictObject({ repositories: v.array(v.omit(RepositorySettingsSchema, ["passphraseSet"])) });

export const jobNames = ["init", "create", "prune", "compact", "check", "restore", "list", "verify", "break-lock"] as const;
export type JobName = (typeof jobNames)[number];
export const JobNameSchema = v.picklist(jobNames);

export const JobStateSchema = v.strictObject({
  unit: described(v.string(), "caretaker-backups-<job>@<repository>.service"),
  state: v.picklist(["never-run", "running", "succeeded", "failed"]),
  startedAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  finishedAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  exitCode: v.optional(v.number()),
});

export const ArchiveStatsSchema = v.strictObject({
  name: v.string(),
  time: described(v.string(), "when the archive was started (ISO 8601)"),
  durationSeconds: v.number(),
  files: v.number(),
  originalBytes: v.number(),
  compressedBytes: v.number(),
  deduplicatedBytes: described(v.number(), "what this archive added to the repository"),
});

export const RunRecordSchema = v.strictObject({
  job: JobNameSchema,
  startedAt: v.string(),
  finishedAt: v.string(),
  exitCode: described(v.number(), "borg's exit code: 0 ok, 1 warnings, 2 error, 128+N killed; -1 when borg did not run"),
  ok: v.boolean(),
  message: described(v.string(), "what happened, in words"),
  warnings: v.array(v.string()),
});

export const ProgressSchema = v.strictObject({
  job: JobNameSchema,
  phase: v.string(),
  source: v.nullable(v.string()),
  files: v.number(),
  originalBytes: v.number(),
  deduplicatedBytes: v.number(),
  bytesPerSecond: v.number(),
  startedAt: v.string(),
  updatedAt: v.string(),
});

/** What the jobs record per repository (reports/runs/<repository>.json). */
export const RecordSchema = v.strictObject({
  lastRun: v.nullable(RunRecordSchema),
  lastGood: v.nullable(ArchiveStatsSchema),
  runs: v.pipe(v.record(v.string(), RunRecordSchema), v.description("the last run of each job")),
  archives: v.array(v.strictObject({ name: v.string(), time: v.string() })),
  keyExported: v.boolean(),
  verification: v.optional(v.nullable(VerificationSchema)),
});

export const RepositoryStatusSchema = v.strictObject({
  name: v.string(),
  settings: RepositorySettingsSchema,
  health: described(v.picklist(["ok", "stale", "failed", "never-run"]), "stale: the last good archive is older than maxAgeHours; failed: the last init, create, check or verify run failed (a restore, list or break-lock does not count), or the last verified restore did not pass"),
  flagged: described(v.boolean(), "true when health is stale or failed: what notifications will hook into"),
  lastGood: v.nullable(v.strictObject({ ...ArchiveStatsSchema.entries, ageHours: v.number() })),
  lastRun: v.nullable(RunRecordSchema),
  runs: v.record(v.string(), RunRecordSchema),
  archives: v.number(),
  running: described(v.nullable(JobStateSchema), "the job that runs now, if any"),
  progress: v.nullable(ProgressSchema),
  verification: described(v.nullable(VerificationSchema), "the last verified restore of a sample (the verify job); a failed one makes health failed until one passes"),
  timers: described(v.optional(ScheduleStatusSchema), "the schedule's timers and their next runs (in the repository list; the events stream leaves them out)"),
});

export const EmptyBodySchema = described(v.strictObject({}), "an empty JSON object");

export const RestoreRequestSchema = v.strictObject({
  archive: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:+-]{1,200}$/, "must be an archive name")),
  paths: described(v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(1024), v.regex(/^[^/\0\n]/, "an archive path has no leading /"), v.check((path) => !path.split("/").includes(".."), "must not contain .."))), v.maxLength(64)), "archive paths to restore; empty restores everything"),
  target: described(absolutePath, "the directory to restore into; must be empty or missing unless overwrite is true"),
  overwrite: described(v.boolean(), "true: restore into a non-empty directory, replacing files of the same name (live data!)"),
});

export type RepositoryInput = v.InferOutput<typeof RepositoryInputSchema>;
export type RepositorySettings = v.InferOutput<typeof RepositorySettingsSchema>;
export type StoredRepository = v.InferOutput<typeof SettingsFileSchema>["repositories"][number];
export type RunRecord = v.InferOutput<typeof RunRecordSchema>;
export type JobRecord = v.InferOutput<typeof RecordSchema>;
export type Progress = v.InferOutput<typeof ProgressSchema>;
export type RepositoryStatus = v.InferOutput<typeof RepositoryStatusSchema>;
export type RestoreRequest = v.InferOutput<typeof RestoreRequestSchema>;
