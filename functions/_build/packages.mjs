// The Debian packages the dev stack and the tests need, installed when missing (as root) or
// named in the exact apt-get line to run. `node packages.mjs test` checks the test set.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// package name -> a file it brings, to tell whether it is installed without asking dpkg
export const devPackages = { caddy: "/usr/bin/caddy", systemd: "/usr/bin/systemd-socket-activate" };
export const testPackages = {
  ...devPackages,
  chromium: "/usr/bin/chromium",
  mmdebstrap: "/usr/bin/mmdebstrap",
  "systemd-container": "/usr/bin/systemd-nspawn",
  zstd: "/usr/bin/zstd",
  // the disks tests partition and format loop devices, and ask smartctl about them
  fdisk: "/usr/sbin/sfdisk",
  "btrfs-progs": "/usr/bin/btrfs",
  xfsprogs: "/usr/sbin/mkfs.xfs",
  smartmontools: "/usr/sbin/smartctl",
  // the audit tests run the real sshd -T on configuration trees they make
  "openssh-server": "/usr/sbin/sshd",
  // the backups tests run real borg (1.2 on bookworm; the trixie guest has 1.4)
  borgbackup: "/usr/bin/borg",
  // the logs tests write real journal files from an export stream (dev mode has no journald)
  "systemd-journal-remote": "/usr/lib/systemd/systemd-journal-remote",
};

export function ensurePackages(packages) {
  const missing = Object.entries(packages).filter(([, file]) => !existsSync(file)).map(([name]) => name);
  if (missing.length === 0) return;
  const line = ["apt-get", "install", "-y", "--no-install-recommends", ...missing];
  if (process.getuid?.() !== 0) {
    console.error(`caretaker needs these Debian packages: ${missing.join(", ")}. Install them with:\n  sudo ${line.join(" ")}`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["-o", "DPkg::Lock::Timeout=300", "update"], { stdio: "inherit", env });
  execFileSync(line[0], ["-o", "DPkg::Lock::Timeout=300", ...line.slice(1)], { stdio: "inherit", env });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensurePackages(process.argv[2] === "test" ? testPackages : devPackages);
}
