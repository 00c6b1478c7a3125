// GET and PUT /allowed: the list, and (after a save) the root job that writes polkit's rule from it.
import type { Exec } from "../_shared/exec.ts";
import { readAllowList } from "./allow-list.ts";
import { runJob } from "./job-wait.ts";
import { policyState, readReceipt } from "./policy-state.ts";
import type { Allowed } from "./schema.ts";

export async function readAllowed(dir: string, booted: boolean, options: { apply?: Exec } = {}): Promise<Allowed> {
  const stored = readAllowList(dir);
  let failure: string | undefined;
  if (booted && stored && options.apply) {
    const outcome = await runJob(options.apply, "policy");
    if (!outcome.ok) failure = `${outcome.unit} failed (${outcome.said}): see journalctl -u ${outcome.unit}`;
  }
  return { units: stored?.units ?? [], policy: policyState(stored?.savedAt, readReceipt(), booted, failure) };
}
