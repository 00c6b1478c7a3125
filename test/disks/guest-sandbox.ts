// The sandbox of every disks unit as the booted guest enforces it: the probe (guest-probe.ts) runs
// as the unit's ExecStart through a drop-in, so with exactly that unit's capabilities, device
// allow-list, read-only paths and state directories; what it reports is compared with what the
// unit file declares.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { capabilitiesOf } from "./guest-probe.ts";

type Run = (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface Expectation {
  unit: string;
  opens: Record<string, string>;
  writes: Record<string, string>;
  /** capability names the unit declares (CapabilityBoundingSet=) */
  capabilities: string[];
}

export interface ProbeOutcome {
  unit: string;
  ok: boolean;
  detail: string;
}

const program = "/usr/lib/caretaker-test/program.js";

/** The capabilities this guest can hand out at all: nspawn's bounding set, itself within the host's. */
export function guestCapabilities(): string[] {
  const status = readFileSync("/proc/1/status", "utf8");
  return capabilitiesOf(/^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? "0");
}

export async function probeUnit(run: Run, expected: Expectation): Promise<ProbeOutcome> {
  const { unit } = expected;
  const output = `/run/caretaker-test/probe-${unit}.json`;
  const dropIn = `/run/systemd/system/${unit}.d`;
  mkdirSync(dropIn, { recursive: true });
  mkdirSync("/run/caretaker-test", { recursive: true });
  rmSync(output, { force: true });
  const args = [...Object.keys(expected.opens).map((entry) => `open=${entry}`), ...Object.keys(expected.writes).map((entry) => `write=${entry}`)];
  // only ExecStart changes (and the oneshot type, for a unit instance of the function): the sandbox stays the unit's own
  writeFileSync(`${dropIn}/50-probe.conf`, `[Service]\nType=oneshot\nExecStart=\nExecStart=/usr/lib/caretaker/bun --no-env-file ${program} probe ${args.join(" ")}\nStandardOutput=file:${output}\n`);
  await run(["systemctl", "daemon-reload"]);
  const started = await run(["systemctl", "start", unit]);
  rmSync(dropIn, { recursive: true, force: true });
  await run(["systemctl", "daemon-reload"]);
  await run(["systemctl", "reset-failed", unit]);
  if (!existsSync(output)) return { unit, ok: false, detail: `the probe did not report (systemctl start: ${started.code} ${started.stderr})` };
  const seen = JSON.parse(readFileSync(output, "utf8")) as { uid: number; capabilities: { effective: string; bounding: string; ambient: string }; opens: Record<string, string>; writes: Record<string, string> };
  const available = guestCapabilities();
  const grantable = expected.capabilities.filter((name) => available.includes(name)).sort();
  const effective = capabilitiesOf(seen.capabilities.effective).sort();
  const bounding = capabilitiesOf(seen.capabilities.bounding).sort();
  const problems: string[] = [];
  if (effective.join(" ") !== grantable.join(" ") || bounding.join(" ") !== grantable.join(" ")) problems.push(`capabilities ${effective.join(" ") || "none"} (bounding ${bounding.join(" ") || "none"}), expected ${grantable.join(" ") || "none"}`);
  for (const [entry, want] of Object.entries(expected.opens)) if (seen.opens[entry] !== want) problems.push(`open ${entry}: ${seen.opens[entry]}, expected ${want}`);
  for (const [entry, want] of Object.entries(expected.writes)) if (seen.writes[entry] !== want) problems.push(`write ${entry}: ${seen.writes[entry]}, expected ${want}`);
  const missing = expected.capabilities.filter((name) => !available.includes(name));
  const summary = `uid ${seen.uid}, caps ${effective.join(" ") || "none"}${missing.length ? ` (declared ${missing.join(" ")} too, which this host's nspawn guest cannot grant)` : ""}; opens ${JSON.stringify(seen.opens)}; writes ${JSON.stringify(seen.writes)}`;
  return { unit, ok: problems.length === 0, detail: problems.length ? `${problems.join("; ")} | ${summary}` : summary };
}

/** The live exposure score of a unit against the `# exposure-threshold:` its file declares. */
export async function exposure(run: Run, unit: string): Promise<{ score: number; threshold: number }> {
  // an instance is analysed live; its threshold is in the template's file
  const text = readFileSync(`/usr/lib/systemd/system/${unit.replace(/@[^.]+\./, "@.")}`, "utf8");
  const threshold = Number(/^# exposure-threshold:\s*([\d.]+)/m.exec(text)?.[1] ?? "1.0");
  const analysed = await run(["systemd-analyze", "security", "--no-pager", unit]);
  const score = Number(/Overall exposure level for \S+:\s*([\d.]+)/.exec(analysed.stdout)?.[1] ?? Number.NaN);
  return { score, threshold };
}
