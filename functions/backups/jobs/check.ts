// The check job: `borg check` of the repository and its archives' metadata, then the archive list.
import { refreshArchives } from "../archives.ts";
import { argv } from "../borg.ts";
import { runBorg } from "../borg-run.ts";
import { runRepositoryJob, type JobContext } from "../job-context.ts";

async function check(context: JobContext) {
  const run = await runBorg(argv.check(context.repository.location), context.places, { timeoutMs: 12 * 3600_000 });
  if (run.outcome === "error" || run.outcome === "killed") return { exitCode: run.exitCode, message: run.message, warnings: run.warnings };
  const count = await refreshArchives(context);
  return { exitCode: run.exitCode, message: `repository and ${count} archives are consistent`, warnings: run.warnings };
}

export default function main(instance: string | undefined): Promise<void> {
  return runRepositoryJob("check", instance, check);
}
