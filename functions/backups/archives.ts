// Refreshes the archive list kept in the repository's record, after every job that changes it.
import { argv } from "./borg.ts";
import { parseArchiveList } from "./borg-json.ts";
import { jsonOf, runBorg } from "./borg-run.ts";
import type { JobContext } from "./job-context.ts";
import { updateRecord } from "./record.ts";

export async function refreshArchives({ repository, reports, places }: JobContext): Promise<number> {
  const archives = parseArchiveList(jsonOf(await runBorg(argv.listArchives(repository.location), places, { timeoutMs: 10 * 60_000 })));
  updateRecord(reports, repository.name, (record) => ({ ...record, archives }));
  return archives.length;
}
