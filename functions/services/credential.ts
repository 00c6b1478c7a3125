// What both root jobs (jobs/) start from: the allow-list as systemd handed it over (LoadCredential=), parsed
// and validated again, because a job running as root must not trust what an unprivileged user wrote.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllowList, type StoredAllowList } from "./allow-list.ts";

export const credentialName = "allow-list";

export function readCredentialList(env: NodeJS.ProcessEnv = process.env): StoredAllowList {
  const directory = env.CREDENTIALS_DIRECTORY;
  if (!directory) throw new Error(`no $CREDENTIALS_DIRECTORY: start me through my unit (LoadCredential=${credentialName}:…)`);
  return parseAllowList(readFileSync(join(directory, credentialName), "utf8"));
}
