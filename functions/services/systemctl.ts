// Reads systemctl's answers over D-Bus: `show` of many units in one process, and `list-timers` as JSON.
import type { Exec } from "../_shared/exec.ts";

export const systemctl = "/usr/bin/systemctl";

export const showProperties = [
  "Id", "Description", "LoadState", "ActiveState", "SubState", "UnitFileState",
  "ActiveEnterTimestamp", "MemoryCurrent", "CPUUsageNSec", "NRestarts", "Job",
] as const;
export type Shown = Partial<Record<(typeof showProperties)[number], string>>;

/** `systemctl show` prints one block of Key=Value lines per unit, separated by an empty line. */
export function parseShow(stdout: string): Shown[] {
  return stdout
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)])));
}

/** `@1796013525` (--timestamp=unix) → ISO; empty or 0 → null. */
export function unixTime(value: string | undefined): string | null {
  const match = /^@(\d+)$/.exec(value ?? "");
  return match && match[1] !== "0" ? new Date(Number(match[1]) * 1000).toISOString() : null;
}

/** A counter systemd reports, or null where it reports "[not set]" (no accounting) or UINT64_MAX. */
export function counter(value: string | undefined): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const number = Number(value);
  return number >= 2 ** 63 ? null : number;
}

/** Properties of units (never templates: systemctl refuses them and drops the rest of the answer). */
export async function showUnits(exec: Exec, names: readonly string[]): Promise<Shown[]> {
  if (names.length === 0) return [];
  const { stdout } = await exec(systemctl, ["show", "--timestamp=unix", `--property=${showProperties.join(",")}`, "--", ...names], { timeoutMs: 8_000 });
  return parseShow(stdout);
}

// list-timers moved to _shared (backups shows its timers too); re-exported for this function's modules
export { listTimers, parseListTimers, type ListedTimer } from "../_shared/list-timers.ts";
