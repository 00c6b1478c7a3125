// The provider secret as the update job receives it: a systemd credential (LoadCredential= of
// caretaker-dyndns-update.service, from the function's 0600 file). In dev mode there is no service
// manager to load it, so the job reads the same file from the shared state directory instead.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bootedMarker } from "../_shared/systemd.ts";
import { secretName, stateDirectory } from "./state-files.ts";

export function readSecret(env: NodeJS.ProcessEnv = process.env, booted = existsSync(bootedMarker)): string {
  const credentials = env.CREDENTIALS_DIRECTORY;
  if (!credentials && booted) throw new Error("no CREDENTIALS_DIRECTORY: run me as caretaker-dyndns-update.service");
  const path = join(credentials ?? stateDirectory(env), secretName);
  // the unit only starts once the file exists (ConditionPathExists=); dev mode may run earlier
  return existsSync(path) ? readFileSync(path, "utf8").trim() : "";
}
