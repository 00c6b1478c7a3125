// The break-lock job (caretaker-backups-break-lock@<repository>.service, POST …/break-lock): removes a
// stale lock left by a killed run with `borg break-lock`, but only when no borg of this box uses the
// repository; the function already refused while any job of the repository runs.
import { argv } from "../borg.ts";
import { runBorg } from "../borg-run.ts";
import { runRepositoryJob, type JobContext } from "../job-context.ts";
import { borgUsers, isLocked, lockHolders } from "../lock.ts";

async function breakLock(context: JobContext) {
  const { location } = context.repository;
  const users = borgUsers(location);
  if (users.length) {
    return { exitCode: -1, message: `borg still uses the repository (pid ${users.map((user) => user.pid).join(", ")}): its lock is not stale, nothing was broken` };
  }
  const holders = lockHolders(location).map((holder) => `${holder.host} pid ${holder.pid}`);
  const wasLocked = isLocked(location);
  const run = await runBorg(argv.breakLock(location), context.places, { timeoutMs: 120_000 });
  if (run.outcome === "error" || run.outcome === "killed") return { exitCode: run.exitCode, message: run.message, warnings: run.warnings };
  const what = !location.startsWith("/") ? "the remote repository's lock was broken" : wasLocked ? `stale lock broken${holders.length ? ` (held by ${holders.join(", ")}, no longer running)` : ""}` : "the repository was not locked";
  return { exitCode: run.exitCode, message: what, warnings: run.warnings };
}

export default function main(instance: string | undefined): Promise<void> {
  return runRepositoryJob("break-lock", instance, breakLock);
}
