// Everything that knows apt: what `apt-get -s dist-upgrade` would install, which of it is a security
// fix, and how old the package lists are (apt only knows what the last `apt update` fetched).
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Exec } from "../_shared/exec.ts";
import type { Updates } from "./schema.ts";

export const aptGet = "/usr/bin/apt-get";
export const listsDirectory = "/var/lib/apt/lists";

type Pending = Extract<Updates, { available: true }>["pending"][number];

/** "Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])" */
export function parseSimulation(stdout: string): Pending[] {
  const pending: Pending[] = [];
  for (const match of stdout.matchAll(/^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+) ([^[]*?) \[[^\]]+\]\)/gm)) {
    const [, name, from = "", to, origins] = match;
    const list = origins.split(", ");
    // Debian's security archive: origin Debian-Security, suite <codename>-security (Ubuntu: <codename>-security too)
    const security = list.some((origin) => /(^|[/:])[\w.-]*-security$/.test(origin) || origin.startsWith("Debian-Security:"));
    pending.push({ package: name, from, to, origin: list.join(", "), security });
  }
  return pending.sort((a, b) => (a.package < b.package ? -1 : a.package > b.package ? 1 : 0));
}

/** The newest Release file: when the lists were last fetched. */
async function listsUpdatedAt(directory: string): Promise<string | null> {
  const files = (await readdir(directory).catch(() => [] as string[])).filter((file) => /_(In)?Release$/.test(file));
  const times = await Promise.all(files.map((file) => stat(join(directory, file)).then((info) => info.mtimeMs, () => 0)));
  const newest = Math.max(0, ...times);
  return newest > 0 ? new Date(newest).toISOString() : null;
}

export async function readUpdates(exec: Exec, binary = aptGet, lists = listsDirectory): Promise<Updates> {
  if (!existsSync(binary)) return { available: false, reason: "this box has no apt: its system is updated as a whole image" };
  // no lock: a simulation changes nothing, and an unprivileged user could not take the lock anyway
  const [simulation, updatedAt] = await Promise.all([
    exec(binary, ["-s", "-q", "-o", "Debug::NoLocking=1", "dist-upgrade"], { timeoutMs: 60_000, maxOutputBytes: 16 << 20 }),
    listsUpdatedAt(lists),
  ]);
  const pending = parseSimulation(simulation.stdout);
  return { available: true, listsUpdatedAt: updatedAt, pending, security: pending.filter((entry) => entry.security).length };
}
