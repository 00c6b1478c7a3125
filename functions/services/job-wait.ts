// Runs one of this function's root jobs and waits for its verdict: saving the allow-list, enabling or
// disabling a unit answers only once the job has done it, so the request itself carries the result.
// It is a blocking `systemctl start`, the same D-Bus call that polkit's rule for caretaker-services allows.
import { HttpError } from "../_shared/errors.ts";
import type { Exec } from "../_shared/exec.ts";
import { jobUnit } from "../_shared/systemd.ts";

export async function runJob(exec: Exec, job: string, instance?: string, timeoutMs = 20_000): Promise<{ unit: string; ok: boolean; said: string }> {
  const unit = jobUnit("services", job, instance);
  const { exitCode, stderr } = await exec("/usr/bin/systemctl", ["start", "--no-ask-password", "--", unit], { timeoutMs, okExitCodes: [1, 4] });
  if (exitCode === 4 || /access denied|authentication required/i.test(stderr)) {
    throw new HttpError(403, `polkit refused this function its own job ${unit}: ${stderr.trim()}`, { code: "polkit_refused" });
  }
  return { unit, ok: exitCode === 0, said: stderr.trim() };
}
