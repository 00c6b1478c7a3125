// Whether a borg still uses a repository, before its lock is broken: the live borg processes of this
// box that name it, and the holders borg wrote into its lock roster (local repositories).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";

export interface LockHolder {
  /** borg's host id: <hostname>@<node id> */
  host: string;
  pid: number;
}

/** `<repo>/lock.roster`: {"exclusive": [[host, pid, thread]], "shared": [...]}; nothing when unlocked or unreadable. */
export function lockHolders(location: string): LockHolder[] {
  if (!location.startsWith("/")) return [];
  try {
    const roster = JSON.parse(readFileSync(join(location, "lock.roster"), "utf8")) as Record<string, unknown>;
    return ["exclusive", "shared"]
      .flatMap((kind) => (Array.isArray(roster[kind]) ? (roster[kind] as unknown[][]) : []))
      .filter((entry) => typeof entry[0] === "string" && typeof entry[1] === "number")
      .map((entry) => ({ host: entry[0] as string, pid: entry[1] as number }));
  } catch {
    return [];
  }
}

/** A lock directory left behind counts too: borg creates lock.exclusive before it writes the roster. */
export function isLocked(location: string): boolean {
  return location.startsWith("/") && (existsSync(join(location, "lock.exclusive")) || lockHolders(location).length > 0);
}

function commandLine(proc: string, pid: string): string[] {
  try {
    return readFileSync(join(proc, pid, "cmdline"), "utf8").split("\0").filter(Boolean);
  } catch {
    // gone meanwhile
    return [];
  }
}

/** borg writes its fqdn, os.hostname() may be the short name: the first labels decide (when unsure, it is ours). */
const sameHost = (holder: string, host: string) => holder.split("@")[0].split(".")[0] === host.split(".")[0];

/** borg is a Python script: `python3 /usr/bin/borg …` (or a frozen `borg` binary). */
const isBorg = (args: readonly string[]) => args.slice(0, 2).some((arg) => ["borg", "borg.exe", "borgbackup", "borgfs"].includes(basename(arg)));
const namesRepository = (args: readonly string[], location: string) =>
  args.some((arg) => arg === location || arg === `${location}/` || arg.startsWith(`${location}::`));

/**
 * The borg processes of this box that use the repository: those naming it on their command line,
 * and lock holders of this host that are alive and still borg (a recycled pid is not a holder).
 */
export function borgUsers(location: string, proc = "/proc", host = hostname()): Array<{ pid: number; command: string }> {
  const holders = new Set(lockHolders(location).filter((holder) => sameHost(holder.host, host)).map((holder) => holder.pid));
  return readdirSync(proc)
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      const args = commandLine(proc, pid);
      if (!isBorg(args) || !(namesRepository(args, location) || holders.has(Number(pid)))) return [];
      return [{ pid: Number(pid), command: args.join(" ").slice(0, 200) }];
    });
}
