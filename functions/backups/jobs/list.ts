// The list job (caretaker-backups-list@<repository>.service, started when the page browses an archive
// not listed yet): streams `borg list --json-lines` of the requested archive into a bounded, paged
// index in the records folder. Browsing is no backup run: it leaves the repository's health alone.
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import * as v from "valibot";
import { argv } from "../borg.ts";
import { parseContentLine } from "../borg-json.ts";
import { streamBorgLines } from "../borg-lines.ts";
import { contentsIndexer, contentsPath, contentsRequestPath, defaultBounds, type ContentsIndex } from "../contents.ts";
import { readJson, writeJson } from "../files.ts";
import { aioBusy, context } from "../job-context.ts";
import { ArchiveNameSchema } from "../schema-verify.ts";

/** Indexes of one repository kept at once: each a few MB at most, the newest browsed stay. */
const keptIndexes = 8;

function forgetOldIndexes(folder: string): void {
  if (!existsSync(folder)) return;
  const files = readdirSync(folder).filter((file) => file.endsWith(".json")).map((file) => ({ file, at: statSync(join(folder, file)).mtimeMs }));
  for (const { file } of files.sort((a, b) => b.at - a.at).slice(keptIndexes)) rmSync(join(folder, file), { force: true });
}

export default async function main(instance: string | undefined): Promise<void> {
  const { repository, state, reports, places } = context(instance);
  const request = v.safeParse(v.strictObject({ archive: ArchiveNameSchema }), readJson(contentsRequestPath(state, repository.name)));
  if (!request.success) throw new Error("the list request is missing or invalid");
  const { archive } = request.output;
  const target = contentsPath(reports, repository.name, archive);
  const bounds = { perDirectory: Number(process.env.CARETAKER_BACKUPS_LIST_PER_DIRECTORY) || defaultBounds.perDirectory, total: defaultBounds.total };
  const indexer = contentsIndexer(archive, bounds);
  let index: ContentsIndex;
  if (aioBusy(repository.location)) {
    index = { ...indexer.done(), error: "Nextcloud AIO is using this repository (aio-lockfile): try again later" };
  } else {
    const outcome = await streamBorgLines(argv.listContents(repository.location, archive), places, (line) => {
      const entry = parseContentLine(line);
      if (entry) indexer.add(entry);
    });
    index = outcome.ok ? indexer.done() : { ...indexer.done(), directories: {}, error: outcome.message };
  }
  writeJson(target, index, 0o644);
  forgetOldIndexes(dirname(target));
  console.log(`backups list ${repository.name} ${archive}: ${index.error ?? `${index.entries} entries`}`);
  if (index.error) throw new Error(index.error);
}
