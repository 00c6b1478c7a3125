// Reads and saves the repositories; each passphrase goes to its own 0600 file and never comes back out.
import { existsSync, rmSync, statSync } from "node:fs";
import * as v from "valibot";
import { HttpError } from "../_shared/errors.ts";
import { paths, readJson, writeFileAtomic, writeJson } from "./files.ts";
import { SettingsFileSchema, type RepositoryInput, type RepositorySettings, type StoredRepository } from "./schema.ts";

export function readStored(state: string): StoredRepository[] {
  const raw = readJson(paths.settings(state));
  return raw === undefined ? [] : v.parse(SettingsFileSchema, raw).repositories;
}

const passphraseSet = (state: string, name: string) => {
  const file = paths.passphrase(state, name);
  return existsSync(file) && statSync(file).size > 0;
};

export function readRepositories(state: string): RepositorySettings[] {
  return readStored(state).map((repository) => ({ ...repository, passphraseSet: passphraseSet(state, repository.name) }));
}

export function findRepository(state: string, name: string): RepositorySettings {
  const found = readRepositories(state).find((repository) => repository.name === name);
  if (!found) throw new HttpError(404, `no repository ${name}`);
  return found;
}

/** The passphrase is written before the settings, so no job ever pairs a new location with an old passphrase. */
export function saveRepository(state: string, name: string, input: RepositoryInput): RepositorySettings {
  const stored = readStored(state);
  const current = stored.find((repository) => repository.name === name);
  if (input.passphrase === undefined && (!passphraseSet(state, name) || (current && current.location !== input.location))) {
    throw new HttpError(422, "body.passphrase: a passphrase is needed for a new repository or a new location");
  }
  const sourceNames = input.sources.map((source) => source.name);
  if (new Set(sourceNames).size !== sourceNames.length) throw new HttpError(422, "body.sources: each source needs its own name");
  const clash = stored.find((repository) => repository.name !== name && repository.location === input.location);
  if (clash) throw new HttpError(409, `body.location: repository ${clash.name} already uses ${input.location}`);
  if (input.passphrase !== undefined) writeFileAtomic(paths.passphrase(state, name), input.passphrase);
  const { passphrase: _passphrase, ...rest } = input;
  const next = [...stored.filter((repository) => repository.name !== name), { name, ...rest }].sort((a, b) => a.name.localeCompare(b.name));
  writeJson(paths.settings(state), { repositories: next });
  return findRepository(state, name);
}

/** Forgets a repository in caretaker: its settings and passphrase. The repository itself is left as it is. */
export function forgetRepository(state: string, name: string): void {
  findRepository(state, name);
  writeJson(paths.settings(state), { repositories: readStored(state).filter((repository) => repository.name !== name) });
  rmSync(paths.passphrase(state, name), { force: true });
}
