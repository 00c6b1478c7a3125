// The restore job: extracts an archive, whole or chosen paths, into a target directory. It refuses
// a non-empty target unless the request said overwrite, so live data is never replaced by accident.
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import * as v from "valibot";
import { argv } from "../borg.ts";
import { runBorg } from "../borg-run.ts";
import { paths, readJson } from "../files.ts";
import { runRepositoryJob, type JobContext } from "../job-context.ts";
import { RestoreRequestSchema } from "../schema.ts";

async function restore({ repository, state, places }: JobContext) {
  const parsed = v.safeParse(RestoreRequestSchema, readJson(paths.restoreRequest(state, repository.name)));
  if (!parsed.success) return { exitCode: -1, message: "the restore request is missing or invalid" };
  const request = parsed.output;
  if (existsSync(request.target)) {
    if (!statSync(request.target).isDirectory()) return { exitCode: -1, message: `${request.target} is not a directory` };
    if (readdirSync(request.target).length > 0 && !request.overwrite) return { exitCode: -1, message: `${request.target} is not empty and overwrite was not asked for: nothing was restored` };
  } else {
    mkdirSync(request.target, { recursive: true, mode: 0o700 });
  }
  const run = await runBorg(argv.extract(repository.location, request.archive, request.paths), places, { cwd: request.target, timeoutMs: 24 * 3600_000 });
  const what = request.paths.length ? `${request.paths.length} paths of ${request.archive}` : request.archive;
  return { exitCode: run.exitCode, message: run.message || `restored ${what} into ${request.target}`, warnings: run.warnings };
}

export default function main(instance: string | undefined): Promise<void> {
  return runRepositoryJob("restore", instance, restore);
}
