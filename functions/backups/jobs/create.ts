// The create job (caretaker-backups-create@<repository>.service, from its timer or "Back up now"):
// before-hooks, one archive per source with live progress, after-hooks (always), the archive list.
import { refreshArchives } from "../archives.ts";
import { archiveName, argv } from "../borg.ts";
import { parseCreate } from "../borg-json.ts";
import { jsonOf, runBorg } from "../borg-run.ts";
import { runHooks } from "../hooks.ts";
import { runRepositoryJob, type JobContext } from "../job-context.ts";
import { updateRecord, writeProgress } from "../record.ts";
import type { Progress } from "../schema.ts";

async function backUp(context: JobContext) {
  const { repository, reports, places } = context;
  const startedAt = new Date().toISOString();
  const progress: Progress = { job: "create", phase: "hooks", source: null, files: 0, originalBytes: 0, deduplicatedBytes: 0, bytesPerSecond: 0, startedAt, updatedAt: startedAt };
  const report = (changes: Partial<Progress>) => writeProgress(reports, repository.name, Object.assign(progress, changes, { updatedAt: new Date().toISOString() }));
  report({});
  const failedHook = await runHooks(repository.hooks.before);
  let result = failedHook ? { exitCode: -1, message: failedHook, warnings: [] as string[] } : undefined;
  for (const source of failedHook ? [] : repository.sources) {
    const began = Date.now();
    let lastWrite = 0;
    report({ phase: "backing up", source: source.name, files: 0, originalBytes: 0, deduplicatedBytes: 0, bytesPerSecond: 0 });
    const run = await runBorg(argv.create(repository.location, archiveName(source.name, new Date()), source.paths, source.excludes, true), places, {
      onEvent: (event) => {
        // borg prints progress many times a second; the page needs it twice a second at most,
        // and at once when the bar first moves (a small backup may be over in half a second)
        if (event.kind !== "archive") return;
        const firstMove = progress.originalBytes === 0 && event.originalBytes > 0;
        if (!firstMove && Date.now() - lastWrite < 500) return;
        lastWrite = Date.now();
        const seconds = Math.max(0.001, (Date.now() - began) / 1000);
        report({ files: event.files, originalBytes: event.originalBytes, deduplicatedBytes: event.deduplicatedBytes, bytesPerSecond: Math.round(event.originalBytes / seconds) });
      },
    });
    if (run.outcome === "error" || run.outcome === "killed") {
      result = { exitCode: run.exitCode, message: `${source.name}: ${run.message}`, warnings: run.warnings };
      break;
    }
    const stats = parseCreate(jsonOf(run));
    updateRecord(reports, repository.name, (record) => ({ ...record, lastGood: stats }));
    result = { exitCode: Math.max(result?.exitCode ?? 0, run.exitCode), message: `archive ${stats.name}: ${stats.files} files`, warnings: [...(result?.warnings ?? []), ...run.warnings] };
  }
  report({ phase: "hooks", source: null });
  const afterHook = await runHooks(repository.hooks.after);
  await refreshArchives(context).catch(() => undefined);
  report({ phase: "done" });
  if (afterHook && result && result.exitCode <= 1) return { ...result, exitCode: -1, message: `${result.message}; ${afterHook}` };
  return result ?? { exitCode: 0, message: "nothing to back up" };
}

export default function main(instance: string | undefined): Promise<void> {
  return runRepositoryJob("create", instance, backUp);
}
