// Everything that knows `systemd-analyze security`: one run for the scores (text), one for the checks (JSON).
import type { Exec } from "../_shared/exec.ts";
import type { Check } from "./schema.ts";

export const systemdAnalyze = "/usr/bin/systemd-analyze";

export interface Exposure {
  score: number;
  rating: string;
  failing: Check[];
}

interface JsonCheck {
  name: string;
  json_field: string;
  description: string;
  exposure: string | null;
}

/** "→ Overall exposure level for caretaker-system@audit.service: 0.2 SAFE 😀", one line per unit, in order. */
export function parseOverall(text: string): { score: number; rating: string }[] {
  return [...text.matchAll(/Overall exposure level for \S+: (\d+(?:\.\d+)?) ([A-Z]+)/g)].map((match) => ({ score: Number(match[1]), rating: match[2] }));
}

/**
 * --json=short prints one array of checks per unit, one line each; systemd 252 leaves the total out,
 * 257 adds a last array of totals ({unit, exposure, predicate}) when given several units.
 */
export function parseChecks(json: string): Check[][] {
  return json
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as (JsonCheck | { unit: string })[])
    .filter((entries) => !entries.some((entry) => "unit" in entry))
    .map((entries) =>
      (entries as JsonCheck[])
        .filter((check) => Number(check.exposure ?? 0) > 0)
        .map((check) => ({ check: check.name, field: check.json_field, description: check.description, exposure: Number(check.exposure) }))
        .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)),
    );
}

/** Scores units (names for live systemd, file paths with offline) in two runs, whatever their number. */
export async function analyzeSecurity(exec: Exec, units: readonly string[], offline: boolean): Promise<Exposure[]> {
  if (units.length === 0) return [];
  const base = ["security", "--no-pager", ...(offline ? ["--offline=true"] : [])];
  const [text, json] = await Promise.all([
    exec(systemdAnalyze, [...base, "--", ...units], { timeoutMs: 20_000 }),
    exec(systemdAnalyze, [...base, "--json=short", "--", ...units], { timeoutMs: 20_000 }),
  ]);
  const overall = parseOverall(text.stdout);
  const checks = parseChecks(json.stdout);
  if (overall.length !== units.length || checks.length !== units.length) {
    throw new Error(`systemd-analyze security scored ${overall.length} and listed checks for ${checks.length} of ${units.length} units`);
  }
  return overall.map((entry, index) => ({ ...entry, failing: checks[index] }));
}

/** "systemd 257 (257.9-1~deb13u1)" → "257.9-1~deb13u1" */
export async function systemdVersion(exec: Exec): Promise<string> {
  const { stdout } = await exec(systemdAnalyze, ["--version"]);
  const first = stdout.split("\n")[0] ?? "";
  return /\(([^)]+)\)/.exec(first)?.[1] ?? first.trim();
}
