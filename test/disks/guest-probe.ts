// What a process may do inside a disks unit's sandbox, as one JSON line: its capabilities, which
// device nodes it can open (read, read-write: opened and closed, never written) and which folders
// it can write. The guest program starts it as a unit's ExecStart through a drop-in, so it runs
// with that unit's exact sandbox.
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

function tryOpen(path: string, mode: "r" | "rw"): string {
  try {
    // O_RDONLY or O_RDWR, nothing more: the device cgroup decides at open(2)
    closeSync(openSync(path, mode === "r" ? "r" : "r+"));
    return "ok";
  } catch (error) {
    return errorCode(error);
  }
}

function tryWrite(directory: string): string {
  const file = join(directory, `caretaker-disks-probe-${process.pid}`);
  try {
    writeFileSync(file, "written from inside a disks unit's sandbox\n");
  } catch (error) {
    return errorCode(error);
  }
  unlinkSync(file);
  return "ok";
}

/** `probe open=<path>:<r|rw>... write=<dir>...` */
export function probe(args: string[]): void {
  const status = readFileSync("/proc/self/status", "utf8");
  const field = (name: string) => new RegExp(`^${name}:\\s*([0-9a-f]+)$`, "m").exec(status)?.[1] ?? "unreadable";
  const opens: Record<string, string> = {};
  const writes: Record<string, string> = {};
  for (const arg of args) {
    const [kind, value] = [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)];
    if (kind === "open") {
      const mode = value.endsWith(":rw") ? "rw" : "r";
      opens[value] = tryOpen(value.slice(0, value.lastIndexOf(":")), mode);
    } else if (kind === "write") writes[value] = tryWrite(value);
  }
  console.log(JSON.stringify({ uid: process.getuid?.(), capabilities: { effective: field("CapEff"), bounding: field("CapBnd"), ambient: field("CapAmb") }, opens, writes }));
}

/** Names of the capabilities in a /proc/self/status mask (capability(7) numbering). */
const capabilityNames = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
  "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
  "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
  "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
];

export function capabilitiesOf(mask: string): string[] {
  const bits = BigInt(`0x${mask}`);
  return capabilityNames.filter((_, index) => (bits >> BigInt(index)) & 1n);
}
