// The disks function on real loop devices through the dev stack (real Caddy, real jobs as root):
// inventory, growing ext4 and btrfs with their data intact, preparing a data disk, refusals,
// warnings, SMART-less devices and the largest-directories scan.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { adoptMount, attachImage, blkid, cleanUp, growImage, mount, partition, scratchDirectory, sizeOf, unmount } from "./loop-devices.ts";

let stack: Awaited<ReturnType<typeof startStack>>;
let scratch: string;
let unitDirectory: string;

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("the disk tests attach loop devices and must run as root");
  scratch = scratchDirectory();
  unitDirectory = join(scratch, "units");
  mkdirSync(unitDirectory);
  stack = await startStack({ port: await freePort(), setUp: true, env: { CARETAKER_DISKS_MOUNT_UNITS: unitDirectory } });
});

afterAll(async () => {
  await stack?.stop();
  const problems = cleanUp();
  expect(problems).toEqual([]);
});

async function getJson(path: string) {
  const response = await stack.api(path);
  expect(response.status, `GET ${path}: ${response.status}`).toBe(200);
  return response.json();
}

async function post(path: string, body: object) {
  const response = await stack.api(path, { method: "POST", body } as RequestInit);
  return { status: response.status, body: await response.json() };
}

/** Polls the jobs list until the job is no longer running; returns its status. */
async function finished(job: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { jobs } = await getJson("/api/disks/jobs");
    const status = jobs.find((entry: { job: string }) => entry.job === job);
    if (status.state !== "running") return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`job ${job} still runs after ${timeoutMs} ms`);
}

/** sha256 of every file under a directory, by relative path. */
function checksums(directory: string): Record<string, string> {
  const sums: Record<string, string> = {};
  const listing = execFileSync("/usr/bin/find", [directory, "-type", "f", "-printf", "%P\\n"], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  for (const file of listing.sort()) sums[file] = createHash("sha256").update(readFileSync(join(directory, file))).digest("hex");
  return sums;
}

function writeData(directory: string) {
  mkdirSync(join(directory, "photos/2024"), { recursive: true });
  for (let index = 0; index < 6; index++) {
    writeFileSync(join(directory, "photos/2024", `img-${index}.bin`), createHash("sha512").update(String(index)).digest().toString("hex").repeat(2000));
  }
  writeFileSync(join(directory, "notes.txt"), "the data must survive growing\n");
}

const kname = (path: string) => path.replace("/dev/", "");

describe("inventory on real loop devices", () => {
  test("reports what losetup, sfdisk and mkfs made, and where it is mounted", async () => {
    const image = join(scratch, "inventory.img");
    const loop = attachImage(image, 160);
    const [first, second] = partition(loop, "label: gpt\n,48M,L\n,,L\n", 2);
    execFileSync("/usr/sbin/mkfs.ext4", ["-q", "-L", "cartest-ext", first]);
    execFileSync("/usr/sbin/mkfs.btrfs", ["-q", "-f", "-L", "cartest-btr", second]);
    const target = join(scratch, "inventory-mount");
    mkdirSync(target);
    mount(first, target);

    const inventory = await getJson("/api/disks/inventory");
    const byKname = new Map(inventory.devices.map((device: { kname: string }) => [device.kname, device]));
    expect(byKname.get(kname(loop))).toMatchObject({
      type: "loop",
      transport: "loop",
      parents: [],
      sizeBytes: 160 * 1024 * 1024,
      partitionTable: "gpt",
      serial: null,
      wwn: null,
      identity: { kind: "loop-file", value: image },
      system: false,
    });
    for (const [partitionPath, type, label] of [[first, "ext4", "cartest-ext"], [second, "btrfs", "cartest-btr"]]) {
      const probed = blkid(partitionPath);
      expect(byKname.get(kname(partitionPath))).toMatchObject({
        type: "part",
        parents: [kname(loop)],
        sizeBytes: sizeOf(partitionPath),
        identity: { kind: "loop-file", value: image },
        filesystem: { type, label, uuid: probed.UUID },
        partitionUuid: probed.PART_ENTRY_UUID,
      });
    }
    expect(byKname.get(kname(first))).toMatchObject({ mountpoints: [target], errors: 0 });
    const filesystem = inventory.filesystems.find((entry: { mountpoint: string }) => entry.mountpoint === target);
    expect(filesystem).toMatchObject({ source: first, kname: kname(first), type: "ext4", readOnly: false });
    const df = execFileSync("/usr/bin/df", ["--block-size=1", "--output=size,used,avail", target], { encoding: "utf8" }).trim().split("\n")[1].trim().split(/\s+/).map(Number);
    expect([filesystem.usage.sizeBytes, filesystem.usage.usedBytes, filesystem.usage.availableBytes]).toEqual(df);
    unmount(target);
  });
});

describe("growing a partition and its filesystem keeps the data", () => {
  test("ext4, unmounted: partition and filesystem fill the enlarged disk (e2fsck + resize2fs)", async () => {
    const image = join(scratch, "grow-ext4.img");
    const loop = attachImage(image, 96);
    const [part] = partition(loop, "label: gpt\n,40M,L\n", 1);
    execFileSync("/usr/sbin/mkfs.ext4", ["-q", "-b", "4096", "-L", "grow-ext4", part]);
    const target = join(scratch, "grow-ext4-mount");
    mkdirSync(target);
    mount(part, target);
    writeData(target);
    const before = checksums(target);
    unmount(target);
    growImage(image, loop, 256);
    const partitionBefore = sizeOf(part);

    const started = await post("/api/disks/jobs/grow", { device: kname(part), confirm: image });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const status = await finished("grow");
    expect(status, JSON.stringify(status)).toMatchObject({ state: "succeeded", result: { ok: true } });

    // GPT keeps 1 MiB in front and 33 sectors of backup table at the end
    expect(partitionBefore).toBe(40 * 1024 * 1024);
    expect(sizeOf(part)).toBe(256 * 1024 * 1024 - 1024 * 1024 - 33 * 512);
    mount(part, target, "ro");
    const blocks = Number(execFileSync("/usr/bin/stat", ["-f", "-c", "%b %S", target], { encoding: "utf8" }).trim().split(" ").reduce((a, b) => String(Number(a) * Number(b))));
    expect(blocks).toBeGreaterThan(200 * 1024 * 1024);
    expect(checksums(target)).toEqual(before);
    unmount(target);
  });

  test("btrfs, mounted: grown online while in use", async () => {
    const image = join(scratch, "grow-btrfs.img");
    const loop = attachImage(image, 160);
    const [part] = partition(loop, "label: gpt\n,120M,L\n", 1);
    execFileSync("/usr/sbin/mkfs.btrfs", ["-q", "-f", "-L", "grow-btrfs", part]);
    const target = join(scratch, "grow-btrfs-mount");
    mkdirSync(target);
    mount(part, target);
    writeData(target);
    execFileSync("/usr/bin/sync");
    const before = checksums(target);
    const sizeBefore = Number(execFileSync("/usr/bin/df", ["--block-size=1", "--output=size", target], { encoding: "utf8" }).trim().split("\n")[1]);
    growImage(image, loop, 512);

    const started = await post("/api/disks/jobs/grow", { device: kname(part), confirm: image });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const status = await finished("grow");
    expect(status, JSON.stringify(status)).toMatchObject({ state: "succeeded", result: { ok: true } });

    expect(sizeOf(part)).toBe(512 * 1024 * 1024 - 1024 * 1024 - 33 * 512);
    const sizeAfter = Number(execFileSync("/usr/bin/df", ["--block-size=1", "--output=size", target], { encoding: "utf8" }).trim().split("\n")[1]);
    expect(sizeAfter).toBeGreaterThan(sizeBefore + 300 * 1024 * 1024);
    expect(checksums(target)).toEqual(before);
    unmount(target);
  });
});

describe("confirmations and refusals", () => {
  test("a confirmation naming another serial is refused and nothing changes", async () => {
    const image = join(scratch, "refuse.img");
    const loop = attachImage(image, 96);
    const [part] = partition(loop, "label: gpt\n,40M,L\n", 1);
    execFileSync("/usr/sbin/mkfs.ext4", ["-q", "-b", "4096", part]);
    growImage(image, loop, 128);
    const sizeBefore = sizeOf(part);

    const refused = await post("/api/disks/jobs/grow", { device: kname(part), confirm: "WD-WCC4N0XXXXXX" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("confirmation_mismatch");
    expect(refused.body.error.message).toContain("body.confirm");
    expect(refused.body.error.message).toContain(image);
    expect(sizeOf(part)).toBe(sizeBefore);
  });

  test("the job itself checks again: a request for another disk under that name is refused", async () => {
    const { locateConfirmed } = await import("../../functions/disks/job-context.ts");
    const image = join(scratch, "recheck.img");
    const loop = attachImage(image, 32);
    // as if the disk were re-plugged between the request and the job: same name, other identity
    await expect(locateConfirmed(kname(loop), join(scratch, "another-disk.img"))).rejects.toThrow(/^refused: .* is loop-file .*recheck\.img, not .*another-disk\.img.*nothing was changed/);
    await expect(locateConfirmed(kname(loop), image)).resolves.toMatchObject({ identity: { kind: "loop-file", value: image } });
  });

  test("invalid input is a 422 naming the field; unknown devices too", async () => {
    const badName = await post("/api/disks/jobs/grow", { device: "../sda", confirm: "x" });
    expect(badName.status).toBe(422);
    expect(badName.body.error.message).toMatch(/^body\.device: /);
    const unknown = await post("/api/disks/jobs/grow", { device: "sdzz9", confirm: "x" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/^body\.device: there is no block device sdzz9/);
    const badMountpoint = await post("/api/disks/jobs/prepare", { device: "loop0", confirm: "x", label: "data", mountpoint: "/etc" });
    expect(badMountpoint.status).toBe(422);
    expect(badMountpoint.body.error.message).toMatch(/body\.mountpoint/);
  });

  test("a disk with a mounted partition is never prepared", async () => {
    const image = join(scratch, "busy.img");
    const loop = attachImage(image, 64);
    const [part] = partition(loop, "label: gpt\n,,L\n", 1);
    execFileSync("/usr/sbin/mkfs.ext4", ["-q", part]);
    const target = join(scratch, "busy-mount");
    mkdirSync(target);
    mount(part, target);
    const refused = await post("/api/disks/jobs/prepare", { device: kname(loop), confirm: image, label: "data", mountpoint: "/mnt/caretaker-busy" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "in_use" });
    expect(blkid(part).TYPE).toBe("ext4");
    unmount(target);
  });
});

describe("preparing a new data disk", () => {
  test("partitions, formats, labels and mounts it, and writes the mount unit for every boot", async () => {
    const image = join(scratch, "new-disk.img");
    const loop = attachImage(image, 128);
    const mountpoint = `/mnt/caretaker-test-${process.pid}`;
    rmSync(mountpoint, { recursive: true, force: true });
    const started = await post("/api/disks/jobs/prepare", { device: kname(loop), confirm: image, filesystem: "ext4", label: "family", mountpoint });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const status = await finished("prepare");
    adoptMount(mountpoint);
    expect(status, JSON.stringify(status)).toMatchObject({ state: "succeeded", result: { ok: true } });

    const part = `${loop}p1`;
    const probed = blkid(part);
    expect(probed).toMatchObject({ TYPE: "ext4", LABEL: "family", PART_ENTRY_SCHEME: "gpt" });
    expect(blkid(loop).PTTYPE).toBe("gpt");
    expect(execFileSync("/usr/bin/findmnt", ["--noheadings", "--output", "SOURCE", mountpoint], { encoding: "utf8" }).trim()).toBe(part);
    const unitName = `${mountpoint.slice(1).replaceAll("-", "\\x2d").replaceAll("/", "-")}.mount`;
    const unit = readFileSync(join(unitDirectory, unitName), "utf8");
    expect(unit).toContain(`What=/dev/disk/by-uuid/${probed.UUID}\n`);
    expect(unit).toContain(`Where=${mountpoint}\n`);
    expect(unit).toContain("Options=nofail,noatime\n");
    const inventory = await getJson("/api/disks/inventory");
    expect(inventory.filesystems.find((entry: { mountpoint: string }) => entry.mountpoint === mountpoint)).toMatchObject({ type: "ext4", source: part });
  });
});

describe("warnings", () => {
  test("filling a small filesystem raises the full warning, in the API for notifications", async () => {
    const image = join(scratch, "full.img");
    const loop = attachImage(image, 16);
    execFileSync("/usr/sbin/mkfs.ext4", ["-q", "-m", "0", "-L", "full", loop]);
    const target = join(scratch, "full-mount");
    mkdirSync(target);
    mount(loop, target, "rw,errors=remount-ro");
    const quiet = await getJson("/api/disks/warnings");
    expect(quiet.warnings.filter((warning: { mountpoint: string }) => warning.mountpoint === target)).toEqual([]);

    // write until the filesystem refuses (ENOSPC is the point); ext4 holds back room for
    // delayed allocation, so after a sync a second, finer round takes what was held back
    for (const [round, blockSize] of [[1, "1M"], [2, "4k"], [3, "4k"]] as const) {
      try {
        execFileSync("/usr/bin/dd", ["if=/dev/zero", `of=${join(target, `filler-${round}`)}`, `bs=${blockSize}`, "status=none"]);
      } catch {
        // dd ends with "No space left on device"
      }
      execFileSync("/usr/bin/sync");
    }
    const { warnings, thresholds } = await getJson("/api/disks/warnings");
    expect(thresholds).toEqual({ warningPercent: 90, criticalPercent: 98 });
    expect(warnings).toContainEqual({
      severity: "critical",
      code: "filesystem_full",
      device: kname(loop),
      mountpoint: target,
      message: expect.stringMatching(new RegExp(`^${target} is 100% full`)),
    });
  });

  test("a filesystem error the kernel counts, and the read-only remount it causes, are warnings", async () => {
    const image = join(scratch, "broken.img");
    const loop = attachImage(image, 16);
    execFileSync("/usr/sbin/mkfs.ext4", ["-q", loop]);
    const target = join(scratch, "broken-mount");
    mkdirSync(target);
    mount(loop, target, "rw,errors=remount-ro");
    // ext4's own switch for this: the kernel reports an error on the filesystem as if it had found one
    writeFileSync(`/sys/fs/ext4/${kname(loop)}/trigger_fs_error`, "caretaker test");
    // the kernel records the error in the superblock from a work queue, a moment later
    let here: { code: string; severity: string; device: string; mountpoint: string }[] = [];
    for (let tries = 0; tries < 20 && here.length < 2; tries++) {
      const { warnings } = await getJson("/api/disks/warnings");
      here = warnings.filter((warning: { device: string }) => warning.device === kname(loop));
      if (here.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(here.map((warning) => warning.code).sort()).toEqual(["filesystem_errors", "filesystem_read_only"]);
    expect(here.find((warning) => warning.code === "filesystem_read_only")).toMatchObject({ severity: "critical", mountpoint: target });
  });
});

describe("health", () => {
  test("a device without SMART (a loop device) is reported as such, not as a failure", async () => {
    const image = join(scratch, "no-smart.img");
    const loop = attachImage(image, 8);
    const started = await post("/api/disks/jobs/health", {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const status = await finished("health");
    expect(status, JSON.stringify(status)).toMatchObject({ state: "succeeded", result: { ok: true } });
    const health = await getJson("/api/disks/health");
    expect(Date.parse(health.checkedAt)).toBeGreaterThan(Date.now() - 60_000);
    const entry = health.devices.find((device: { kname: string }) => device.kname === kname(loop));
    expect(entry).toMatchObject({ path: loop, identity: { kind: "loop-file", value: image }, smart: { available: false } });
    // smartctl's own words
    expect(entry.smart.reason).toBe(`${loop}: Unable to detect device type`);
    const { warnings } = await getJson("/api/disks/warnings");
    expect(warnings.filter((warning: { device: string }) => warning.device === kname(loop))).toEqual([]);
  });
});

describe("largest directories", () => {
  test("a scan job finds the biggest directories of a mount, with progress as server-sent events", async () => {
    const image = join(scratch, "scan.img");
    const loop = attachImage(image, 64);
    execFileSync("/usr/sbin/mkfs.ext4", ["-q", "-b", "4096", loop]);
    const target = join(scratch, "scan-mount");
    mkdirSync(target);
    mount(loop, target);
    for (const [directory, megabytes] of [["media/films", 12], ["media/music", 3], ["backups", 6], ["docs", 1]] as const) {
      mkdirSync(join(target, directory), { recursive: true });
      writeFileSync(join(target, directory, "data.bin"), Buffer.alloc(megabytes * 1024 * 1024, 7));
    }
    const started = await post("/api/disks/jobs/scan", { mountpoint: target });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const events = await stack.api("/api/disks/jobs/scan/events");
    expect(events.headers.get("content-type")).toBe("text/event-stream");
    const stream = await events.text();
    expect(stream).toMatch(/event: status\ndata: \{"job":"scan"/);
    expect(stream).toContain("event: end");
    const status = await finished("scan");
    expect(status, JSON.stringify(status)).toMatchObject({ state: "succeeded", result: { ok: true } });

    const scan = await getJson("/api/disks/scan");
    expect(scan).toMatchObject({ mountpoint: target, complete: true, unreadable: 0 });
    expect(scan.largest.map((entry: { path: string }) => entry.path).slice(0, 3)).toEqual([join(target, "media"), join(target, "backups"), join(target, "docs")]);
    const media = scan.largest[0];
    expect(media.bytes).toBeGreaterThanOrEqual(15 * 1024 * 1024);
    expect(media.children.map((child: { path: string }) => child.path)).toEqual([join(target, "media/films"), join(target, "media/music")]);
    const du = Number(execFileSync("/usr/bin/du", ["-s", "-x", "--block-size=1", join(target, "media")], { encoding: "utf8" }).split("\t")[0]);
    expect(media.bytes).toBe(du);
  });

  test("a path that is not a mounted filesystem is refused before any job starts", async () => {
    const refused = await post("/api/disks/jobs/scan", { mountpoint: "/etc/../root" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/^body\.mountpoint: /);
  });
});
