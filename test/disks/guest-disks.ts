// Runs in the booted trixie guest (test/disks/guest-disks.test.ts boots it with loop devices bound in):
// the disks function and its five job units under real systemd, through Caddy with a token. Grows
// ext4 (offline) and btrfs (online) with the data intact, prepares a data disk with a mount unit,
// refuses a confirmation naming another disk, and probes every unit's sandbox as declared.
// `program.js probe ...` is the sandbox probe instead (guest-probe.ts).
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setUpBox } from "../system/guest/access.ts";
import { checksums, planPath, type GuestPlan } from "./guest-data.ts";
import { probe } from "./guest-probe.ts";
import { standInForUdev } from "./guest-udev.ts";
import { api, finished, runAsync as run, setToken } from "./guest-api.ts";
import { sandboxChecks } from "./guest-units.ts";

if (process.argv[2] === "probe") {
  probe(process.argv.slice(3));
  process.exit(0);
}

const log = "/results/checks.log";
const counts = { passed: 0, failed: 0 };
function check(name: string, ok: boolean, detail: string) {
  counts[ok ? "passed" : "failed"]++;
  const line = `${ok ? "ok  " : "FAIL"} disks: ${name}: ${detail}`;
  console.log(line);
  appendFileSync(log, line + "\n");
}

mkdirSync("/results", { recursive: true });
writeFileSync(log, "");
await run(["systemctl", "is-system-running", "--wait"]);
const plan = JSON.parse(readFileSync(planPath, "utf8")) as GuestPlan;
const { growExt4, growBtrfs, prepare } = plan;
const udev = standInForUdev([growExt4.disk, growBtrfs.disk, prepare.disk]);
await udev.settled();
setToken(setUpBox().token);
const sizeOf = (kname: string) => Number(readFileSync(`/sys/class/block/${kname}/size`, "utf8").trim()) * 512;
const grownPartition = (diskBytes: number) => diskBytes - 1024 * 1024 - 33 * 512; // GPT: 1 MiB in front, 33 sectors of backup table behind

// the btrfs is in use while it grows: mounted here, outside any unit
const btrfsMount = "/mnt/guest-btrfs";
mkdirSync(btrfsMount, { recursive: true });
await run(["mount", `/dev/${growBtrfs.partition}`, btrfsMount]);

const inventory = (await api("GET", "/inventory")).json;
const byKname = new Map((inventory?.devices ?? []).map((device: any) => [device.kname, device]));
const disk: any = byKname.get(growExt4.disk);
const part: any = byKname.get(growExt4.partition);
check("inventory sees the loop device", disk?.type === "loop" && disk?.transport === "loop" && disk?.sizeBytes === growExt4.diskBytes && disk?.identity?.value === growExt4.image && disk?.system === false,
  `${growExt4.disk}: ${JSON.stringify({ type: disk?.type, sizeBytes: disk?.sizeBytes, identity: disk?.identity, system: disk?.system })}`);
check("inventory sees the partition and its filesystem", part?.parents?.[0] === growExt4.disk && part?.filesystem?.type === "ext4" && part?.sizeBytes === growExt4.sizeBefore,
  `${growExt4.partition}: ${JSON.stringify({ parents: part?.parents, filesystem: part?.filesystem?.type, sizeBytes: part?.sizeBytes })}; the btrfs mounted at ${JSON.stringify((byKname.get(growBtrfs.partition) as any)?.mountpoints)}`);

// a confirmation naming another disk (the prepare disk's real identity) starts nothing
const refused = await api("POST", "/jobs/grow", { device: growExt4.partition, confirm: prepare.image });
check("a confirmation naming another disk is refused", refused.status === 409 && refused.json?.error?.code === "confirmation_mismatch" && sizeOf(growExt4.partition) === growExt4.sizeBefore,
  `${refused.status} ${refused.json?.error?.message}; partition still ${sizeOf(growExt4.partition)} bytes`);
// ext4, not mounted: e2fsck + resize2fs
const ext4Since = Date.now();
const ext4Started = await api("POST", "/jobs/grow", { device: growExt4.partition, confirm: growExt4.image });
const ext4Done = await finished("grow", ext4Since);
check("grow ext4 through the API", ext4Started.status === 200 && ext4Done?.state === "succeeded" && sizeOf(growExt4.partition) === grownPartition(growExt4.diskBytes),
  `${ext4Started.status} ${ext4Started.json?.state}, then ${ext4Done?.state}: ${ext4Done?.result?.message}`);
const fsck = await run(["/usr/sbin/e2fsck", "-f", "-n", `/dev/${growExt4.partition}`]);
const ext4Mount = "/run/caretaker-test/ext4";
mkdirSync(ext4Mount, { recursive: true });
await run(["mount", "-o", "ro", `/dev/${growExt4.partition}`, ext4Mount]);
const ext4Size = Number((await run(["stat", "-f", "-c", "%b*%S", ext4Mount])).stdout.split("*").reduce((a, b) => String(Number(a) * Number(b))));
const ext4Same = JSON.stringify(checksums(ext4Mount)) === JSON.stringify(growExt4.checksums);
await run(["umount", ext4Mount]);
check("ext4 data and filesystem after growing", fsck.code === 0 && ext4Same && ext4Size > growExt4.diskBytes * 0.8,
  `e2fsck -fn: ${fsck.code}; ${Object.keys(growExt4.checksums).length} files ${ext4Same ? "unchanged" : "CHANGED"}; filesystem ${ext4Size} bytes on a ${growExt4.diskBytes}-byte disk`);

// the job checks again: a request for another disk, written behind the function's back (into the
// requests folder the function made for the ext4 grow), is refused by the job and changes nothing
writeFileSync("/var/lib/caretaker-disks/requests/grow.json", JSON.stringify({ device: growBtrfs.partition, confirm: prepare.image, requestedAt: new Date().toISOString() }));
const recheckSince = Date.now();
await run(["systemctl", "start", "caretaker-disks-grow.service"]);
const rechecked = await finished("grow", recheckSince);
check("the grow job itself refuses another disk's identity", rechecked?.state === "failed" && /^refused: /.test(rechecked?.result?.message ?? "") && sizeOf(growBtrfs.partition) === growBtrfs.sizeBefore,
  `${rechecked?.state}: ${rechecked?.result?.message}`);
await run(["systemctl", "reset-failed", "caretaker-disks-grow.service"]);

// btrfs, mounted: btrfs filesystem resize max through the mountpoint
const btrfsBefore = Number((await run(["stat", "-f", "-c", "%b*%S", btrfsMount])).stdout.split("*").reduce((a, b) => String(Number(a) * Number(b))));
const btrfsSince = Date.now();
const btrfsStarted = await api("POST", "/jobs/grow", { device: growBtrfs.partition, confirm: growBtrfs.image });
const btrfsDone = await finished("grow", btrfsSince);
const btrfsAfter = Number((await run(["stat", "-f", "-c", "%b*%S", btrfsMount])).stdout.split("*").reduce((a, b) => String(Number(a) * Number(b))));
const btrfsSame = JSON.stringify(checksums(btrfsMount)) === JSON.stringify(growBtrfs.checksums);
check("grow a mounted btrfs through the API", btrfsStarted.status === 200 && btrfsDone?.state === "succeeded" && sizeOf(growBtrfs.partition) === grownPartition(growBtrfs.diskBytes) && btrfsAfter > btrfsBefore * 1.5 && btrfsSame,
  `${btrfsStarted.status} ${btrfsStarted.json?.state}, then ${btrfsDone?.state}: ${btrfsDone?.result?.message}; statfs ${btrfsBefore} -> ${btrfsAfter} bytes; files ${btrfsSame ? "unchanged" : "CHANGED"}`);

// a new data disk: partitioned, formatted, mounted by a mount unit that is enabled for every boot
const mountpoint = "/srv/guestdata";
const prepareSince = Date.now();
const prepared = await api("POST", "/jobs/prepare", { device: prepare.disk, confirm: prepare.image, filesystem: "ext4", label: "guestdata", mountpoint });
const prepareDone = await finished("prepare", prepareSince);
await udev.settled();
const source = (await run(["findmnt", "--noheadings", "--output", "SOURCE,FSTYPE", mountpoint])).stdout;
const unitFile = existsSync("/etc/systemd/system/srv-guestdata.mount") ? readFileSync("/etc/systemd/system/srv-guestdata.mount", "utf8") : "";
const enabled = (await run(["systemctl", "is-enabled", "srv-guestdata.mount"])).stdout;
check("prepare a data disk through the API", prepared.status === 200 && prepareDone?.state === "succeeded" && source.replace(/\s+/g, " ") === `/dev/${prepare.disk}p1 ext4`,
  `${prepared.status} ${prepared.json?.state}, then ${prepareDone?.state}: ${prepareDone?.result?.message}; findmnt: ${source}`);
await run(["systemctl", "stop", "srv-guestdata.mount"]);
await run(["systemctl", "start", "local-fs.target"]);
// the target is already active: its start returns at once, the mount it wants follows
let remounted = "";
for (let tries = 0; tries < 50 && remounted !== "active"; tries++, await Bun.sleep(100)) remounted = (await run(["systemctl", "is-active", "srv-guestdata.mount"])).stdout;
check("the mount unit comes back with local-fs.target", enabled === "enabled" && /^What=\/dev\/disk\/by-uuid\/[0-9a-f-]{36}$/m.test(unitFile) && remounted === "active",
  `is-enabled ${enabled}; ${unitFile.match(/^What=.*$/m)?.[0]}; stopped, then local-fs.target started it: ${remounted}`);
const seen = (await api("GET", "/inventory")).json?.filesystems?.find((entry: any) => entry.mountpoint === mountpoint);
check("the function sees the new filesystem", seen?.type === "ext4" && seen?.kname === `${prepare.disk}p1`, JSON.stringify(seen));

// the read-only jobs: a scan of the new disk, SMART health and a self-test (loop devices have no SMART)
mkdirSync(`${mountpoint}/media/films`, { recursive: true });
writeFileSync(`${mountpoint}/media/films/film.bin`, Buffer.alloc(3 * 1024 * 1024, 7));
const scanSince = Date.now();
const scanStarted = await api("POST", "/jobs/scan", { mountpoint });
const scanDone = await finished("scan", scanSince);
const scan = (await api("GET", "/scan")).json;
check("scan job", scanStarted.status === 200 && scanDone?.state === "succeeded" && scan?.largest?.[0]?.path === `${mountpoint}/media` && scan?.unreadable === 0, `${scanDone?.result?.message}; largest ${scan?.largest?.[0]?.path} ${scan?.largest?.[0]?.bytes} bytes`);
const healthSince = Date.now();
const healthStarted = await api("POST", "/jobs/health", {});
const healthDone = await finished("health", healthSince);
const healthEntry = (await api("GET", "/health")).json?.devices?.find((entry: any) => entry.kname === growExt4.disk);
check("health job", healthStarted.status === 200 && healthDone?.state === "succeeded" && healthEntry?.smart?.reason === `/dev/${growExt4.disk}: Unable to detect device type`, `${healthDone?.result?.message}; ${growExt4.disk}: ${JSON.stringify(healthEntry?.smart)}`);
const selftestSince = Date.now();
const selftestStarted = await api("POST", "/jobs/selftest", { device: prepare.disk, confirm: prepare.image });
const selftestDone = await finished("selftest", selftestSince);
check("selftest job reads the disk and says it has no SMART", selftestStarted.status === 200 && selftestDone?.state === "failed" && selftestDone?.result?.message === `/dev/${prepare.disk} has no SMART: /dev/${prepare.disk}: Unable to detect device type`, `${selftestDone?.state}: ${selftestDone?.result?.message}`);
await run(["systemctl", "reset-failed", "caretaker-disks-selftest.service"]);

for (const outcome of await sandboxChecks(run, plan)) check(outcome.name, outcome.ok, outcome.detail);

const line = `${counts.passed} passed, ${counts.failed} failed`;
console.log(line);
appendFileSync(log, line + "\n");
await udev.stop();
await run(["umount", btrfsMount]);
rmSync("/dev/caretaker-probe-char", { force: true });
writeFileSync("/results/journal.txt", (await run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"])).stdout);
await run(["systemctl", "exit", counts.failed ? "1" : "0"]);
