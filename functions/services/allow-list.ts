// The owner's allow-list, kept in the function's state directory (allowed.json); the root job
// caretaker-services-policy.service receives the same file as a credential and turns it into polkit's rule.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { HttpError } from "../_shared/errors.ts";
import { AllowListSchema } from "./unit-name.ts";

export const allowListFile = "allowed.json";

const StoredSchema = v.strictObject({ units: AllowListSchema, savedAt: v.pipe(v.string(), v.isoTimestamp()) });
export type StoredAllowList = v.InferOutput<typeof StoredSchema>;

export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.STATE_DIRECTORY;
  if (!dir) throw new HttpError(503, "the services state directory is missing (StateDirectory= of the unit)", { code: "no_state" });
  return dir.split(":")[0];
}

/** Parses the stored list (or a credential copy of it); anything malformed is refused, never half-used. */
export function parseAllowList(text: string): StoredAllowList {
  return v.parse(StoredSchema, JSON.parse(text));
}

export function readAllowList(dir: string): StoredAllowList | undefined {
  const path = join(dir, allowListFile);
  if (!existsSync(path)) return undefined;
  return parseAllowList(readFileSync(path, "utf8"));
}

/** Write-then-rename: the job's credential copy and every reader see the old list or the new one. */
export function saveAllowList(dir: string, units: readonly string[], now = new Date()): StoredAllowList {
  const stored: StoredAllowList = { units: [...units].sort(), savedAt: now.toISOString() };
  const path = join(dir, allowListFile);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(stored, null, 1) + "\n", { mode: 0o600 });
  renameSync(temporary, path);
  return stored;
}
