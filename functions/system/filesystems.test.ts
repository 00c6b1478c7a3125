import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { measure, parseMountinfo, readFilesystems, selectFilesystems } from "./filesystems.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");
const mountpoints = (text: string) => selectFilesystems(parseMountinfo(text)).map((mount) => mount.mountpoint);

describe("parseMountinfo(text): Mount[]", () => {
  it("reads the fields after the optional-fields separator and unescapes octal", () => {
    const [mount] = parseMountinfo("52 22 8:17 / /media/My\\040Disk rw,relatime shared:33 master:2 - ext4 /dev/sdb1 rw\n");
    expect(mount).toEqual({ deviceNumber: "8:17", root: "/", mountpoint: "/media/My Disk", type: "ext4", device: "/dev/sdb1" });
  });
});

describe("selectFilesystems(mounts)", () => {
  it("keeps root and data disks of a Raspberry Pi, not boot, bind, network, overlay or snap mounts", () => {
    // composed from a Raspberry Pi OS bookworm layout with data disks added (not a capture)
    expect(mountpoints(fixture("mountinfo-raspberry-pi.txt"))).toEqual(["/", "/media/My Disk", "/mnt/ncdata", "/srv/pool"]);
  });
  it("keeps only / on this kind of VM (captured: cgroup v1 tmpfs, devpts twice, a tmpfs stand-in)", () => {
    expect(mountpoints(fixture("mountinfo-vm.txt"))).toEqual(["/"]);
  });
  it("inside a function unit's sandbox, sees through stacked and bind mounts (captured in a booted systemd 252)", () => {
    // a volatile container: / is tmpfs and /usr a bind of the disk; /tmp and /home are stacked sandbox mounts
    const kept = selectFilesystems(parseMountinfo(fixture("mountinfo-unit-sandbox-volatile.txt")));
    expect(kept.map((mount) => [mount.mountpoint, mount.type])).toEqual([["/", "tmpfs"]]);
  });
  it("takes the topmost mount of a mountpoint", () => {
    const text = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 8:2 / /home rw - ext4 /dev/sda2 rw\n3 2 0:40 / /home ro - tmpfs tmpfs ro\n";
    expect(mountpoints(text)).toEqual(["/"]);
  });
  it("shows a device mounted twice once, under its first mountpoint", () => {
    const text = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 8:2 / /srv/b rw - ext4 /dev/sda2 rw\n3 1 8:2 / /srv/a rw - ext4 /dev/sda2 rw\n";
    expect(mountpoints(text)).toEqual(["/", "/srv/a"]);
  });
});

describe("measure(mount, statfs): Filesystem", () => {
  it("computes sizes and the used share as df does", () => {
    const mount = { deviceNumber: "8:1", root: "/", mountpoint: "/mnt/ncdata", type: "ext4", device: "/dev/sda1" };
    const stats = { bsize: 4096, blocks: 1000, bfree: 300, bavail: 250, files: 64, ffree: 60 };
    expect(measure(mount, stats)).toEqual({
      mountpoint: "/mnt/ncdata",
      role: "data",
      device: "/dev/sda1",
      type: "ext4",
      sizeBytes: 4096000,
      usedBytes: 700 * 4096,
      availableBytes: 250 * 4096,
      usedPercent: 73.7,
      inodesTotal: 64,
      inodesFree: 60,
    });
  });
});

describe("readFilesystems(sources)", () => {
  it("measures this machine's root filesystem with statfs", async () => {
    const [root] = await readFilesystems();
    expect(root).toMatchObject({ mountpoint: "/", role: "root" });
    expect(root.sizeBytes).toBeGreaterThan(root.availableBytes);
    expect(root.inodesTotal).toBeGreaterThanOrEqual(root.inodesFree);
  });
  it("leaves out a mount that cannot be measured from inside the sandbox", async () => {
    const filesystems = await readFilesystems({
      mountinfoPath: join(import.meta.dirname, "fixtures", "mountinfo-raspberry-pi.txt"),
      statfs: async (path) => {
        if (path === "/srv/pool") throw Object.assign(new Error("EACCES"), { code: "EACCES" });
        return { bsize: 4096, blocks: 10, bfree: 5, bavail: 5, files: 1, ffree: 1 };
      },
    });
    expect(filesystems.map((filesystem) => [filesystem.mountpoint, filesystem.role])).toEqual([
      ["/", "root"],
      ["/media/My Disk", "data"],
      ["/mnt/ncdata", "data"],
    ]);
  });
});
