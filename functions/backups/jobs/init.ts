// The init job: makes the repository (repokey-blake2, append-only if asked) and exports its key.
// The exported key is still locked by the passphrase; keeping it elsewhere is what saves the
// archives when the repository's own copy of the key is damaged.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { argv } from "../borg.ts";
import { runBorg } from "../borg-run.ts";
import { paths, writeFileAtomic } from "../files.ts";
import { runRepositoryJob, type JobContext } from "../job-context.ts";
import { updateRecord } from "../record.ts";

async function init({ repository, reports, places }: JobContext) {
  const made = await runBorg(argv.init(repository.location, repository.appendOnly), places, { timeoutMs: 5 * 60_000 });
  const exists = made.events.some((event) => event.kind === "log" && event.msgid === "Repository.AlreadyExists");
  if (made.outcome !== "ok" && !exists) return { exitCode: made.exitCode, message: made.message };
  const scratch = join(reports, "keys");
  mkdirSync(scratch, { recursive: true });
  const temporary = join(scratch, `.${repository.name}.export`);
  const exported = await runBorg(argv.keyExport(repository.location, temporary), places, { timeoutMs: 5 * 60_000 });
  if (exported.outcome !== "ok") return { exitCode: exported.exitCode, message: exported.message };
  writeFileAtomic(paths.key(reports, repository.name), readFileSync(temporary, "utf8"), 0o644);
  rmSync(temporary, { force: true });
  updateRecord(reports, repository.name, (record) => ({ ...record, keyExported: true }));
  return { exitCode: 0, message: exists ? "the repository existed already; its key was exported" : "repository created (repokey-blake2) and its key exported" };
}

export default function main(instance: string | undefined): Promise<void> {
  return runRepositoryJob("init", instance, init);
}
