// Reads the systemd credentials a unit was given (LoadCredential=), never the environment.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HttpError } from "./errors.ts";

/** The credential `name` of this unit; 503 when the unit has none (e.g. the first-boot job has not run). */
export function readCredential(name: string): string {
  const directory = process.env.CREDENTIALS_DIRECTORY;
  if (!directory) throw new HttpError(503, `credential ${name} is missing: this unit has no credentials`, { code: "credential_missing" });
  try {
    return readFileSync(join(directory, name), "utf8");
  } catch {
    throw new HttpError(503, `credential ${name} is missing`, { code: "credential_missing" });
  }
}
