// The sandbox of every caretaker unit with its exposure score: live from systemd, or offline from the
// shipped unit files when systemd is not PID 1 (dev mode), and then said so in the answer.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Exec } from "../_shared/exec.ts";
import { bootedMarker } from "../_shared/systemd.ts";
import { parseUnitFile } from "../_shared/unit-file.ts";
import { sandboxFacts, sandboxProperties, type Settings } from "./sandbox.ts";
import type { Functions } from "./schema.ts";
import { analyzeSecurity, systemdVersion } from "./systemd-analyze.ts";
import { classifyUnits, type AuditedUnit } from "./units.ts";

export interface SandboxSources {
  exec: Exec;
  booted?: boolean;
  /** offline: the folders holding the shipped unit files (dev mode: the checkout's units/ and socket-units/) */
  unitFolders?: string[];
}

const busctl = "/usr/bin/busctl";
const systemctl = "/usr/bin/systemctl";
/** where the image installs caretaker's units; a unit someone added under /etc is not caretaker's */
const vendorFolders = ["/usr/lib/systemd/system/", "/lib/systemd/system/"];

async function liveUnitNames(exec: Exec): Promise<string[]> {
  const patterns = ["caretaker-*.service", "caretaker-*.socket"];
  const { stdout } = await exec(busctl, ["--json=short", "call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
    "ListUnitFilesByPatterns", "asas", "0", String(patterns.length), ...patterns], { timeoutMs: 5_000 });
  const rows = (JSON.parse(stdout) as { data: [string, string][][] }).data[0];
  return rows.map(([path]) => path).filter((path) => vendorFolders.some((folder) => path.startsWith(folder))).map((path) => path.slice(path.lastIndexOf("/") + 1));
}

/** `systemctl show -p … u1 u2 …` prints one block per unit, in the order asked, blocks apart by an empty line. */
export function parseShowBlocks(stdout: string): Map<string, Map<string, string[]>> {
  const blocks = new Map<string, Map<string, string[]>>();
  for (const block of stdout.split(/\n\s*\n/)) {
    const settings = new Map<string, string[]>();
    for (const line of block.split("\n")) {
      const at = line.indexOf("=");
      if (at > 0) settings.set(line.slice(0, at), [...(settings.get(line.slice(0, at)) ?? []), line.slice(at + 1)]);
    }
    const id = settings.get("Id")?.[0];
    if (id) blocks.set(id, settings);
  }
  return blocks;
}

/** The [Service] directives of unit files, in order (a drop-in after its unit, as systemd reads them). */
function serviceDirectives(paths: readonly string[]): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const path of paths) {
    for (const directive of parseUnitFile(path).sections.get("Service") ?? []) settings.set(directive.key, [...(settings.get(directive.key) ?? []), directive.value]);
  }
  return settings;
}

/** systemctl prints credentials as "[unprintable]": their ids come from the unit's own files instead. */
const credentialKeys = ["LoadCredential", "LoadCredentialEncrypted", "SetCredential", "SetCredentialEncrypted"];
function withCredentials(settings: Map<string, string[]>): Settings {
  const files = [...(settings.get("FragmentPath") ?? []), ...(settings.get("DropInPaths") ?? []).flatMap((value) => value.split(/\s+/))].filter(Boolean);
  const declared = serviceDirectives(files);
  return new Map([...settings, ["LoadCredential", credentialKeys.flatMap((key) => declared.get(key) ?? [])]]);
}

async function live(exec: Exec): Promise<Functions> {
  const units = classifyUnits(await liveUnitNames(exec));
  const names = units.map((unit) => unit.analyzedAs);
  const [shown, exposures, systemd] = await Promise.all([
    names.length ? exec(systemctl, ["show", `--property=Id,FragmentPath,DropInPaths,${sandboxProperties.filter((key) => key !== "LoadCredential").join(",")}`, "--", ...names], { timeoutMs: 10_000 }) : { stdout: "" },
    analyzeSecurity(exec, names, false),
    systemdVersion(exec),
  ]);
  const settings = parseShowBlocks(shown.stdout);
  return {
    source: "live",
    systemd,
    units: units.map((unit, index) => entry(unit, withCredentials(settings.get(unit.analyzedAs) ?? new Map()), true, exposures[index])),
  };
}

async function offline(exec: Exec, folders: readonly string[]): Promise<Functions> {
  const paths = new Map<string, string>();
  for (const folder of folders) for (const file of existsSync(folder) ? readdirSync(folder) : []) paths.set(file, join(folder, file));
  const units = classifyUnits([...paths.keys()]);
  const files = units.map((unit) => paths.get(unit.unit) as string);
  const [exposures, systemd] = await Promise.all([analyzeSecurity(exec, files, true), systemdVersion(exec)]);
  return {
    source: "offline",
    systemd,
    units: units.map((unit, index) => {
      return entry({ ...unit, analyzedAs: unit.unit }, serviceDirectives([files[index]]), false, exposures[index]);
    }),
  };
}

function entry(unit: AuditedUnit, settings: Settings, isLive: boolean, exposure: Functions["units"][number]["exposure"]) {
  return { unit: unit.unit, kind: unit.kind, function: unit.function, analyzedAs: unit.analyzedAs, ...sandboxFacts(settings, isLive), exposure };
}

export function readSandboxes(sources: SandboxSources): Promise<Functions> {
  const booted = sources.booted ?? existsSync(bootedMarker);
  if (booted) return live(sources.exec);
  const folders = sources.unitFolders ?? (process.env.CARETAKER_UNIT_FILES ?? "").split(":").filter(Boolean);
  return offline(sources.exec, folders);
}
