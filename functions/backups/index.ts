// The backups function: borg repositories and their sources, hooks, retention and schedules; each
// repository's status; and its jobs (init, create, prune, compact, check, restore) started as units.
// It never runs borg and never reads a passphrase back: only the job units do, with the credential.
import * as v from "valibot";
import { defineFunction, route } from "../_shared/define.ts";
import { HttpError } from "../_shared/errors.ts";
import { jobs } from "../_shared/jobs.ts";
import { pollEvents } from "../_shared/sse.ts";
import { browse, parseArchive } from "./browse.ts";
import { checkCalendar } from "./calendar.ts";
import { paths, reportsDirectory, stateDirectory, writeJson } from "./files.ts";
import { aioBusy } from "./job-context.ts";
import { readRecord } from "./record.ts";
import {
  EmptyBodySchema, JobNameSchema, JobStateSchema, RepositoryInputSchema, RepositoryNameSchema, RepositorySettingsSchema,
  RepositoryStatusSchema, RestoreRequestSchema,
} from "./schema.ts";
import { ArchiveNameSchema, ContentsPageSchema, ContentsPendingSchema, ContentsQuerySchema } from "./schema-verify.ts";
import { findRepository, forgetRepository, readRepositories, saveRepository } from "./settings.ts";
import { repositoryStatus, runningJob } from "./status.ts";
import { applySchedule, scheduleStatuses } from "./schedule.ts";

const nameOf = (params: Record<string, string>) => {
  const parsed = v.safeParse(RepositoryNameSchema, params.name);
  if (!parsed.success) throw new HttpError(422, `path.name: ${parsed.issues[0].message}`);
  return findRepository(stateDirectory(), parsed.output);
};

/** One job per repository at a time: a second borg would only wait for the lock and fail. */
async function startJob(name: string, job: v.InferOutput<typeof JobNameSchema>) {
  const busy = await runningJob(jobs("backups"), name);
  if (busy) throw new HttpError(409, `${busy.unit} is running; wait for it to finish`, { code: "job_running" });
  const { location } = findRepository(stateDirectory(), name);
  if (aioBusy(location)) throw new HttpError(409, "Nextcloud AIO is using this repository (aio-lockfile in it): try again when its backup is done", { code: "aio_busy" });
  return jobs("backups").start(job, name);
}

const CalendarSchema = v.strictObject({ expression: v.string(), normalized: v.string(), nextRuns: v.array(v.string()) });

export default defineFunction({
  name: "backups",
  summary: "BorgBackup repositories, schedules, retention, checks and restores",
  routes: [
    route({
      method: "GET",
      path: "/repositories",
      summary: "Every repository with its health (flagged when stale or failed), last good archive, last run and running job",
      response: v.array(RepositoryStatusSchema),
      handle: async () => {
        const repositories = readRepositories(stateDirectory());
        const [statuses, timers] = await Promise.all([Promise.all(repositories.map((repository) => repositoryStatus(repository, reportsDirectory()))), scheduleStatuses(repositories, reportsDirectory())]);
        return statuses.map((status) => ({ ...status, timers: timers.get(status.name) }));
      },
    }),
    route({
      method: "PUT",
      path: "/repositories/:name",
      summary: "Adds or changes a repository (its passphrase is stored for the jobs only); then run the init job once",
      body: RepositoryInputSchema,
      response: RepositorySettingsSchema,
      handle: async ({ params, body }) => {
        const name = v.safeParse(RepositoryNameSchema, params.name);
        if (!name.success) throw new HttpError(422, `path.name: ${name.issues[0].message}`);
        await Promise.all([
          body.schedule.create && checkCalendar(body.schedule.create, "body.schedule.create"),
          body.schedule.check && checkCalendar(body.schedule.check, "body.schedule.check"),
          body.schedule.verify && checkCalendar(body.schedule.verify, "body.schedule.verify"),
        ]);
        const saved = saveRepository(stateDirectory(), name.output, body);
        await applySchedule(jobs("backups"));
        return saved;
      },
    }),
    route({
      method: "DELETE",
      path: "/repositories/:name",
      summary: "Forgets a repository and its passphrase in caretaker; the repository and its archives stay where they are",
      body: EmptyBodySchema,
      response: v.strictObject({ forgotten: v.string() }),
      handle: async ({ params }) => {
        const repository = nameOf(params);
        if (await runningJob(jobs("backups"), repository.name)) throw new HttpError(409, "a job of this repository is running", { code: "job_running" });
        forgetRepository(stateDirectory(), repository.name);
        await applySchedule(jobs("backups"));
        return { forgotten: repository.name };
      },
    }),
    route({
      method: "GET",
      path: "/repositories/:name/events",
      summary: "Server-sent `status` events (the repository's status with the running job's progress) while a job runs, then `end`",
      query: v.object({
        intervalMs: v.optional(
          v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(50), v.maxValue(5000), v.description("how often to look at the progress; default 500")),
        ),
      }),
      response: { stream: "text/event-stream" },
      handle: ({ params, query, signal }) => {
        const repository = nameOf(params);
        return pollEvents(() => repositoryStatus(repository, reportsDirectory()), (status) => Boolean(status.running), signal, { intervalMs: query.intervalMs });
      },
    }),
    route({
      method: "GET",
      path: "/repositories/:name/archives",
      summary: "The repository's archives as the last job listed them, newest first",
      response: v.array(v.strictObject({ name: v.string(), time: v.string() })),
      handle: ({ params }) => readRecord(reportsDirectory(), nameOf(params).name).archives.slice().reverse(),
    }),
    route({
      method: "GET",
      path: "/repositories/:name/archives/:archive/contents",
      summary: "One page of a directory of an archive; the first time, 202 while the list job reads the archive (bounded: at most 1000 entries a directory are kept)",
      query: ContentsQuerySchema,
      response: v.union([ContentsPageSchema, ContentsPendingSchema]),
      handle: ({ params, query }) => {
        const repository = nameOf(params);
        const archive = parseArchive(params.archive, ArchiveNameSchema);
        return browse({
          repository: repository.name, archive, path: query.path ?? "", cursor: Number(query.cursor ?? 0), limit: query.limit ?? 100,
          state: stateDirectory(), reports: reportsDirectory(), jobs: jobs("backups"), start: () => startJob(repository.name, "list"),
        });
      },
    }),
    route({
      method: "GET",
      path: "/repositories/:name/key",
      summary: "The repository key exported by the init job (still locked by the passphrase): keep a copy off the box",
      response: v.strictObject({ key: v.string() }),
      handle: async ({ params }) => {
        const { readFile } = await import("node:fs/promises");
        const key = await readFile(paths.key(reportsDirectory(), nameOf(params).name), "utf8").catch(() => undefined);
        if (!key) throw new HttpError(404, "the key has not been exported yet: run the init job");
        return { key };
      },
    }),
    route({
      method: "POST",
      path: "/repositories/:name/jobs/:job",
      summary: "Starts one of the repository's jobs (init, create, prune, compact, check, verify); 409 while any job of it runs, or while Nextcloud AIO holds its aio-lockfile",
      body: EmptyBodySchema,
      response: JobStateSchema,
      handle: ({ params }) => {
        const repository = nameOf(params);
        const job = v.safeParse(v.picklist(["init", "create", "prune", "compact", "check", "verify"]), params.job);
        if (!job.success) throw new HttpError(422, "path.job: must be init, create, prune, compact, check or verify (restore has its own route)");
        return startJob(repository.name, job.output);
      },
    }),
    route({
      method: "POST",
      path: "/repositories/:name/restore",
      summary: "Restores an archive, whole or chosen paths, into a directory; a non-empty one only with overwrite: true",
      body: RestoreRequestSchema,
      response: JobStateSchema,
      handle: async ({ params, body }) => {
        const repository = nameOf(params);
        if (await runningJob(jobs("backups"), repository.name)) throw new HttpError(409, "a job of this repository is running", { code: "job_running" });
        writeJson(paths.restoreRequest(stateDirectory(), repository.name), body);
        return startJob(repository.name, "restore");
      },
    }),
    route({
      method: "POST",
      path: "/repositories/:name/break-lock",
      summary: "Breaks a stale lock (left by a killed run) with borg break-lock in a job; 409 while any job of the repository runs, and the job refuses while any borg of this box uses it",
      body: EmptyBodySchema,
      response: JobStateSchema,
      handle: ({ params }) => startJob(nameOf(params).name, "break-lock"),
    }),
    route({
      method: "GET",
      path: "/calendar",
      summary: "Checks a systemd calendar expression with systemd-analyze and shows its next three runs (UTC)",
      query: v.strictObject({ expression: v.pipe(v.string(), v.minLength(1), v.maxLength(128)) }),
      response: CalendarSchema,
      handle: ({ query }) => checkCalendar(query.expression, "query.expression"),
    }),
  ],
});
