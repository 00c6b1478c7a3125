// Schemas of the schedules: what the schedule job recorded, and each repository's timers as the status shows them.
import * as v from "valibot";

export const scheduledJobs = ["create", "check", "verify"] as const;
export type ScheduledJob = (typeof scheduledJobs)[number];

// a record written before verify was scheduled applied no verify timer
const calendars = v.strictObject({ create: v.nullable(v.string()), check: v.nullable(v.string()), verify: v.optional(v.nullable(v.string()), null) });

/** reports/schedule.json, written by the schedule job (0644): the calendars it applied (or, without systemd, would have). */
export const ScheduleRecordSchema = v.strictObject({
  appliedAt: v.pipe(v.string(), v.isoTimestamp()),
  systemd: v.pipe(v.boolean(), v.description("false in dev mode: nothing was written, the schedule is only recorded")),
  repositories: v.record(v.string(), calendars),
  refused: v.array(v.strictObject({ repository: v.string(), job: v.picklist(scheduledJobs), message: v.string() })),
});
export type ScheduleRecord = v.InferOutput<typeof ScheduleRecordSchema>;

export const TimerStatusSchema = v.strictObject({
  job: v.picklist(scheduledJobs),
  timer: v.pipe(v.string(), v.description("caretaker-backups-<job>@<repository>.timer")),
  calendar: v.pipe(v.string(), v.description("the saved calendar expression")),
  next: v.pipe(v.nullable(v.pipe(v.string(), v.isoTimestamp())), v.description("the timer's next run as systemd computed it (randomized delay included); null when it is not running or without systemd")),
  last: v.pipe(v.nullable(v.pipe(v.string(), v.isoTimestamp())), v.description("when the timer last started its job; null if never")),
});

export const ScheduleStatusSchema = v.strictObject({
  state: v.pipe(
    v.picklist(["applied", "pending", "needs-systemd"]),
    v.description("applied: the timers run the saved schedule; pending: the schedule job has not applied the saved schedule (yet); needs-systemd: dev mode, no timers"),
  ),
  message: v.string(),
  timers: v.array(TimerStatusSchema),
});
export type ScheduleStatus = v.InferOutput<typeof ScheduleStatusSchema>;
