// What each disks unit may do, as its file declares it, probed in the booted guest: capabilities,
// device nodes (the device allow-list is enforced by the guest's systemd with BPF), writable
// folders; then each unit's live exposure score against its declared threshold and its journal.
import { rmSync } from "node:fs";
import type { GuestPlan } from "./guest-data.ts";
import { exposure, probeUnit, type Expectation } from "./guest-sandbox.ts";

type Run = (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

/** A character device on no unit's allow-list (loop-control: opening it read-only does nothing). */
const foreignDevice = "/dev/caretaker-probe-char";

function expectations(plan: GuestPlan): Expectation[] {
  const disk = `/dev/${plan.growExt4.disk}`;
  const partition = `/dev/${plan.growExt4.partition}`;
  const jobs = "/var/lib/caretaker-disks-jobs";
  const requests = "/var/lib/caretaker-disks";
  const readOnlyJob = (unit: string): Expectation => ({
    unit,
    capabilities: ["CAP_SYS_RAWIO", "CAP_SYS_ADMIN"],
    opens: { [`${disk}:r`]: "ok", [`${disk}:rw`]: "EPERM", [`${foreignDevice}:r`]: "EPERM" },
    writes: { "/etc": "EROFS", "/usr": "EROFS", "/srv": "EROFS", [jobs]: "ok", [requests]: "EROFS" },
  });
  return [
    {
      unit: "caretaker-disks@probe.service",
      capabilities: [],
      opens: { [`${disk}:r`]: "ENOENT", [`${partition}:r`]: "ENOENT" },
      writes: { "/etc": "EROFS", "/srv": "EROFS", [jobs]: "EROFS", [requests]: "ok" },
    },
    {
      unit: "caretaker-disks-grow.service",
      capabilities: ["CAP_SYS_ADMIN", "CAP_SYS_RESOURCE"],
      opens: { [`${disk}:r`]: "ok", [`${disk}:rw`]: "ok", [`${partition}:rw`]: "ok", [`${foreignDevice}:r`]: "EPERM" },
      // ProtectSystem=full: /usr, /boot and /etc stay read-only; mounted data filesystems stay writable to grow
      writes: { "/etc": "EROFS", "/usr": "EROFS", "/boot": "EROFS", "/mnt": "ok", "/srv": "ok", [jobs]: "ok", [requests]: "EACCES" },
    },
    {
      unit: "caretaker-disks-prepare.service",
      capabilities: ["CAP_SYS_ADMIN"],
      opens: { [`${disk}:r`]: "ok", [`${disk}:rw`]: "ok", [`${foreignDevice}:r`]: "EPERM" },
      writes: { "/etc": "EROFS", "/etc/systemd/system": "ok", "/usr": "EROFS", "/srv": "ok", "/mnt": "ok", "/media": "ok", "/var/tmp": "ok", [jobs]: "ok", [requests]: "EROFS" },
    },
    readOnlyJob("caretaker-disks-health.service"),
    readOnlyJob("caretaker-disks-selftest.service"),
    {
      unit: "caretaker-disks-scan.service",
      capabilities: ["CAP_DAC_READ_SEARCH"],
      opens: { [`${disk}:r`]: "ENOENT", [`${foreignDevice}:r`]: "ENOENT" },
      writes: { "/etc": "EROFS", "/srv": "EROFS", "/home": "EROFS", [jobs]: "ok", [requests]: "EROFS" },
    },
  ];
}

export async function sandboxChecks(run: Run, plan: GuestPlan): Promise<{ name: string; ok: boolean; detail: string }[]> {
  const outcomes: { name: string; ok: boolean; detail: string }[] = [];
  rmSync(foreignDevice, { force: true });
  await run(["/usr/bin/mknod", "-m", "0600", foreignDevice, "c", "10", "237"]);
  for (const expected of expectations(plan)) {
    const probed = await probeUnit(run, expected);
    const devices = (await run(["systemctl", "show", "-P", "DeviceAllow", expected.unit])).stdout.replace(/\n/g, ", ") || "none";
    outcomes.push({ name: `sandbox of ${expected.unit}`, ok: probed.ok, detail: `${probed.detail}; DeviceAllow=${devices}` });
  }
  for (const unit of ["caretaker-disks@probe.service", ...["grow", "prepare", "health", "selftest", "scan"].map((job) => `caretaker-disks-${job}.service`)]) {
    const { score, threshold } = await exposure(run, unit);
    outcomes.push({ name: `exposure of ${unit}`, ok: score <= threshold, detail: `live ${score}, declared ${threshold}` });
  }
  for (const job of ["grow", "prepare", "health", "selftest", "scan"]) {
    const journal = (await run(["journalctl", "-b", "--no-pager", "-o", "cat", "-u", `caretaker-disks-${job}.service`])).stdout;
    const denied = journal.split("\n").filter((line) => /Operation not permitted|Permission denied|Read-only file system|EPERM|EACCES|EROFS/.test(line));
    outcomes.push({ name: `journal of caretaker-disks-${job}.service`, ok: denied.length === 0, detail: denied.length ? denied.join(" | ") : `${journal.split("\n").length} lines, nothing denied` });
  }
  return outcomes;
}
