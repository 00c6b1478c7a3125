// When caretaker-dyndns-update.timer fires next, straight from systemd over D-Bus; dev mode has no timer.
import { existsSync } from "node:fs";
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import { bootedMarker } from "../_shared/systemd.ts";
import type { Status } from "./schema.ts";

export const timerUnit = "caretaker-dyndns-update.timer";
// the unit's D-Bus object path: every byte outside [A-Za-z0-9] becomes _xx (sd_bus_path_encode)
const timerPath = "/org/freedesktop/systemd1/unit/caretaker_2ddyndns_2dupdate_2etimer";

/**
 * busctl prints the raw property, "t <microseconds since the epoch>"; 0 means no next elapse (an
 * inactive timer). `systemctl show` would format it as local text, which is harder to read back.
 */
export function parseNextElapse(stdout: string): string | null {
  const match = /^t (\d+)$/.exec(stdout.trim());
  if (!match || match[1] === "0") return null;
  return new Date(Number(BigInt(match[1]) / 1000n)).toISOString();
}

export async function schedule(exec: Exec = realExec, booted = existsSync(bootedMarker)): Promise<Status["schedule"]> {
  if (!booted) return { timer: false, reason: "dev mode: there is no timer; updates run only when asked (Check now)" };
  const { stdout } = await exec("/usr/bin/busctl", ["--system", "get-property", "org.freedesktop.systemd1", timerPath, "org.freedesktop.systemd1.Timer", "NextElapseUSecRealtime"]);
  return { timer: true, nextRun: parseNextElapse(stdout) };
}
