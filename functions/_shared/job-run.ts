// Process entry of every job bundle: run the job's main, exit with its verdict. Under systemd the
// unit's state is the record; in dev mode the job keeps the same record in a state file.
import { writeFileSync } from "node:fs";

export type JobMain = (instance: string | undefined) => Promise<void>;

export async function runJob(main: JobMain): Promise<never> {
  const stateFile = process.env.CARETAKER_JOB_STATE;
  const unit = process.env.CARETAKER_JOB_UNIT;
  const startedAt = new Date().toISOString();
  const record = (fields: object) => stateFile && writeFileSync(stateFile, JSON.stringify({ unit, startedAt, ...fields }));
  record({ state: "running", pid: process.pid });
  let exitCode = 0;
  try {
    await main(process.argv[2]);
  } catch (error) {
    // the journal (or the dev log) keeps the reason; the exit code tells systemd it failed
    console.error(error instanceof Error ? error.message : error);
    exitCode = 1;
  }
  record({ state: exitCode === 0 ? "succeeded" : "failed", finishedAt: new Date().toISOString(), exitCode });
  process.exit(exitCode);
}
