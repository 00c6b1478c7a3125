// Builds a Debian trixie root file system with mmdebstrap from package lists, and caches it as a
// tarball outside the repository, keyed on the lists and rebuilt when older than a week.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

export const cacheDirectory = process.env.CARETAKER_TEST_CACHE ?? "/var/cache/caretaker-test";
const mirror = "http://deb.debian.org/debian";
const week = 7 * 24 * 3600 * 1000;
// dpkg leaves out what nobody reads in a test guest or on the appliance
const mmdebstrapOptions = [
  "--variant=essential",
  "--dpkgopt=path-exclude=/usr/share/man/*",
  "--dpkgopt=path-exclude=/usr/share/locale/*",
  "--dpkgopt=path-exclude=/usr/share/doc/*",
  "--dpkgopt=path-include=/usr/share/doc/*/copyright",
];

/** The package names of a list file: one per line, `#` comments. */
export function readPackageList(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter(Boolean);
}

/** The cached tarball for these lists; built (in about 30 s) when missing or stale. */
export function rootfsTarball(lists, log = console.error) {
  const packages = [...new Set(lists.flatMap(readPackageList))].sort();
  const key = createHash("sha256").update(JSON.stringify({ mmdebstrapOptions, mirror, packages })).digest("hex").slice(0, 16);
  const tarball = join(cacheDirectory, `rootfs-trixie-${key}.tar.zst`);
  if (existsSync(tarball) && Date.now() - statSync(tarball).mtimeMs < week) return { tarball, built: false };
  mkdirSync(cacheDirectory, { recursive: true });
  for (const old of readdirSync(cacheDirectory)) {
    const path = join(cacheDirectory, old);
    if (old.startsWith("rootfs-") && Date.now() - statSync(path).mtimeMs >= week) rmSync(path, { force: true });
  }
  log(`building the trixie rootfs (${packages.join(" ")}) into ${tarball}`);
  const partial = `${tarball}.${process.pid}.partial.tar.zst`;
  try {
    execFileSync("mmdebstrap", [...mmdebstrapOptions, `--include=${packages.join(",")}`, "trixie", partial, mirror], {
      stdio: ["ignore", "ignore", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw new Error(`mmdebstrap failed: ${error.stderr?.toString().split("\n").slice(-20).join("\n") ?? error.message}`);
  }
  renameSync(partial, tarball);
  return { tarball, built: true };
}
