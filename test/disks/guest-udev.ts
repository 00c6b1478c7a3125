// Stands in for udev and devtmpfs in the nspawn guest, where udevd cannot run (read-only /sys) and /dev
// is a tmpfs: for the given disks and their partitions it makes (and remakes, when a partition is
// re-added under a new minor) the device node, writes udev's database entry
// (/run/udev/data/b<major>:<minor>, from `blkid -p -o udev` as udev's blkid builtin does) and the
// /dev/disk/by-uuid link, so lsblk in the function's sandbox and the data disk's mount unit find
// what they would find on the appliance. Nothing here is caretaker code.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";

const run = async (argv: string[]) => {
  const child = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
  const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  return { code, stdout };
};

/** The disk and its partitions as the kernel has them now, with their major:minor. */
function blockDevices(disk: string): { name: string; majMin: string }[] {
  const partitions = readdirSync(`/sys/class/block/${disk}`).filter((entry) => entry.startsWith(disk));
  return [disk, ...partitions].flatMap((name) => {
    try {
      return [{ name, majMin: readFileSync(`/sys/class/block/${name}/dev`, "utf8").trim() }];
    } catch {
      return []; // removed while we looked
    }
  });
}

const nodeMatches = (path: string, majMin: string) => {
  try {
    const stat = statSync(path);
    return stat.isBlockDevice() && `${Math.floor(stat.rdev / 256) & 0xfff}:${(stat.rdev & 0xff) | ((stat.rdev >> 12) & 0xfff00)}` === majMin;
  } catch {
    return false;
  }
};

async function settle(name: string, majMin: string): Promise<void> {
  const node = `/dev/${name}`;
  if (!nodeMatches(node, majMin)) {
    rmSync(node, { force: true });
    const [major, minor] = majMin.split(":");
    await run(["/usr/bin/mknod", "-m", "0660", node, "b", major, minor]);
  }
  const probed = await run(["/usr/sbin/blkid", "-p", "-o", "udev", "--", node]);
  const properties = probed.code === 0 ? probed.stdout.trim().split("\n").filter(Boolean) : [];
  const uuid = properties.find((line) => line.startsWith("ID_FS_UUID="))?.slice("ID_FS_UUID=".length);
  const entry = [`I:${Date.now() * 1000}`, ...(uuid ? [`S:disk/by-uuid/${uuid}`] : []), ...properties.map((line) => `E:${line}`)].join("\n") + "\n";
  const database = `/run/udev/data/b${majMin}`;
  if (!existsSync(database) || readFileSync(database, "utf8").replace(/^I:\d+\n/, "") !== entry.replace(/^I:\d+\n/, "")) {
    writeFileSync(`${database}.tmp`, entry);
    renameSync(`${database}.tmp`, database);
  }
  for (const link of readdirSync("/dev/disk/by-uuid")) {
    const path = `/dev/disk/by-uuid/${link}`;
    if (lstatSync(path).isSymbolicLink() && readlinkSync(path) === `../../${name}` && link !== uuid) rmSync(path);
  }
  if (uuid && !existsSync(`/dev/disk/by-uuid/${uuid}`)) symlinkSync(`../../${name}`, `/dev/disk/by-uuid/${uuid}`);
}

/** Keeps nodes, database and links of these disks current until stop() (every 100 ms, as udev would on a change). */
export function standInForUdev(disks: string[]): { stop(): Promise<void>; settled(): Promise<void> } {
  mkdirSync("/run/udev/data", { recursive: true });
  mkdirSync("/dev/disk/by-uuid", { recursive: true });
  let stopped = false;
  let round: Promise<void> = Promise.resolve();
  const once = async () => {
    const present = disks.flatMap((disk) => blockDevices(disk));
    // a partition the kernel dropped loses its node, as with devtmpfs
    for (const node of readdirSync("/dev").filter((entry) => disks.some((disk) => entry.startsWith(`${disk}p`)))) {
      if (!present.some(({ name }) => name === node)) rmSync(`/dev/${node}`, { force: true });
    }
    await Promise.all(present.map(({ name, majMin }) => settle(name, majMin)));
  };
  const loop = async () => {
    while (!stopped) {
      round = once().catch((error) => console.error(`udev stand-in: ${error}`));
      await round;
      await Bun.sleep(100);
    }
  };
  void loop();
  return {
    async stop() {
      stopped = true;
      await round;
    },
    /** one whole round after this call, so what was just written is in the database */
    async settled() {
      await round;
      await once();
    },
  };
}
