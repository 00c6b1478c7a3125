// Runs a repository's before and after hooks: each an absolute program and its arguments, no shell.
import { exec as realExec, type Exec } from "../_shared/exec.ts";

/** The first failing hook stops the list and is the answer; a hook gets 30 minutes (a database dump). */
export async function runHooks(hooks: readonly string[][], exec: Exec = realExec): Promise<string | undefined> {
  for (const [program, ...args] of hooks) {
    try {
      await exec(program, args, { timeoutMs: 30 * 60_000 });
    } catch (error) {
      return `hook ${program} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return undefined;
}
