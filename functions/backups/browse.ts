// Browsing an archive: a page of the list job's index when there is one, otherwise the list job is
// started (202: ask again) — the function never runs borg itself, the passphrase stays with the jobs.
import { statSync } from "node:fs";
import * as v from "valibot";
import { HttpError } from "../_shared/errors.ts";
import type { JobState, Jobs } from "../_shared/jobs.ts";
import { contentsPath, contentsRequestPath, pageOf, type ContentsIndex } from "./contents.ts";
import { readJson, writeJson } from "./files.ts";
import { readRecord } from "./record.ts";
import type { ContentsPage } from "./schema-verify.ts";

export interface BrowseInput {
  repository: string;
  archive: string;
  path: string;
  cursor: number;
  limit: number;
  state: string;
  reports: string;
  jobs: Jobs;
  /** starts the list job the way every job is started (one job per repository, AIO's lockfile) */
  start: () => Promise<JobState>;
}

/** A failed listing is answered as such for a minute, then listed again: the cause may be gone. */
const retryAfterMs = 60_000;

const pending = (archive: string, unit: string) =>
  Response.json({ state: "listing", archive, unit, message: "the archive is being listed; ask again in a moment" }, { status: 202, headers: { "retry-after": "1" } });

export async function browse(input: BrowseInput): Promise<ContentsPage | Response> {
  const file = contentsPath(input.reports, input.repository, input.archive);
  const index = readJson(file) as ContentsIndex | undefined;
  const listing = await input.jobs.state("list", input.repository);
  const listingThis = listing.state === "running" && (readJson(contentsRequestPath(input.state, input.repository)) as { archive?: string } | undefined)?.archive === input.archive;
  if (listingThis) return pending(input.archive, listing.unit);
  if (listing.state === "running") throw new HttpError(409, `${listing.unit} is listing another archive; ask again when it is done`, { code: "job_running" });
  if (index && !index.error) {
    const page = pageOf(index, input.path, input.cursor, input.limit);
    if (!page) throw new HttpError(404, `query.path: ${input.path} is not a directory of ${input.archive}`);
    return page;
  }
  if (index?.error && Date.now() - statSync(file).mtimeMs < retryAfterMs) throw new HttpError(502, `listing ${input.archive} failed: ${index.error}`, { code: "listing_failed" });
  const known = readRecord(input.reports, input.repository).archives.some((archive) => archive.name === input.archive);
  if (!known) throw new HttpError(404, `path.archive: no archive ${input.archive} in ${input.repository} (as its jobs last listed them)`);
  writeJson(contentsRequestPath(input.state, input.repository), { archive: input.archive });
  const started = await input.start();
  return pending(input.archive, started.unit);
}

export const parseArchive = (archive: string | undefined, schema: v.GenericSchema) => {
  const parsed = v.safeParse(schema, archive);
  if (!parsed.success) throw new HttpError(422, `path.archive: ${parsed.issues[0].message}`);
  return parsed.output as string;
};
