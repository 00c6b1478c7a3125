// The prune job: each source's archives thinned by the repository's retention, selected by the
// source's own glob (*_*-<source>, as Nextcloud AIO selects its own), then the archive list.
import { refreshArchives } from "../archives.ts";
import { argv, sourceGlob } from "../borg.ts";
import { runBorg } from "../borg-run.ts";
import { runRepositoryJob, type JobContext } from "../job-context.ts";

async function prune(context: JobContext) {
  const { repository, places } = context;
  const keep = repository.retention;
  if (!keep.within && !keep.daily && !keep.weekly && !keep.monthly) return { exitCode: 0, message: "no retention policy: every archive is kept" };
  const warnings: string[] = [];
  for (const source of repository.sources) {
    const run = await runBorg(argv.prune(repository.location, sourceGlob(source.name), keep), places, { timeoutMs: 6 * 3600_000 });
    if (run.outcome === "error" || run.outcome === "killed") return { exitCode: run.exitCode, message: `${source.name}: ${run.message}`, warnings: run.warnings };
    warnings.push(...run.warnings);
  }
  const count = await refreshArchives(context);
  return { exitCode: 0, message: `pruned; ${count} archives kept (run compact to free the space)`, warnings };
}

export default function main(instance: string | undefined): Promise<void> {
  return runRepositoryJob("prune", instance, prune);
}
