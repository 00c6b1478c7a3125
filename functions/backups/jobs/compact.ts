// The compact job: frees the space of pruned archives (borg 1.2 and later keep it until compact).
import { argv } from "../borg.ts";
import { runBorg } from "../borg-run.ts";
import { runRepositoryJob, type JobContext } from "../job-context.ts";

async function compact({ repository, places }: JobContext) {
  const run = await runBorg(argv.compact(repository.location), places, { timeoutMs: 6 * 3600_000 });
  return { exitCode: run.exitCode, message: run.message || "compacted", warnings: run.warnings };
}

export default function main(instance: string | undefined): Promise<void> {
  return runRepositoryJob("compact", instance, compact);
}
