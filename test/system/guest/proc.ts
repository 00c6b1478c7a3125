// What the guest programs read from /proc: which processes run where, and their memory.
import { readdirSync, readFileSync } from "node:fs";

/** A number field of /proc/<pid>/status (VmRSS, VmHWM: KiB); 0 once the process has ended. */
export function statusField(pid: number, field: string) {
  try {
    return Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Processes (other than this one) whose cgroup or command line matches. */
export function processes(match: (cgroup: string, command: string) => boolean) {
  const found: { pid: number; cgroup: string }[] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cgroup = readFileSync(`/proc/${entry}/cgroup`, "utf8").trim();
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (Number(entry) !== process.pid && match(cgroup, command)) found.push({ pid: Number(entry), cgroup });
    } catch {} // the process ended while we looked
  }
  return found;
}

/** Processes of caretaker's function and job units (not the test's own unit). */
export function caretakerProcesses() {
  return processes((cgroup) => /caretaker-[a-z0-9]+[@-]/.test(cgroup) && !cgroup.includes("caretaker-test.service"));
}

export function residentKiB(pids: number[]) {
  return pids.reduce((sum, pid) => sum + statusField(pid, "VmRSS"), 0);
}
