// collectInventory({ sysroot }) over sysfs dumps of real machines (util-linux's test suite), checked
// against what the real lsblk says of the same dump in another output mode, and against the
// output util-linux itself recorded for each machine.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as v from "valibot";
import { afterAll, describe, expect, test } from "vitest";
import { root } from "../_build/build.mjs";
import { collectInventory } from "./inventory.ts";
import { InventorySchema } from "./schema.ts";

const fixtures = resolve(root, "../shared/fixtures/lsblk");
const machines = readdirSync(fixtures).filter((file) => file.endsWith(".tar.xz")).map((file) => file.replace(/\.tar\.xz$/, "")).sort();
const unpacked = mkdtempSync(join(tmpdir(), "caretaker-lsblk-dumps-"));
for (const machine of machines) execFileSync("/usr/bin/tar", ["-C", unpacked, "-xJf", join(fixtures, `${machine}.tar.xz`)]);
afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

/** `lsblk --pairs`: KEY="value" per column, one line per device and parent. */
function lsblkPairs(sysroot: string): Record<string, string>[] {
  const columns = "KNAME,MAJ:MIN,TYPE,SIZE,RM,RO,ROTA,MODEL,SERIAL,WWN,FSTYPE,LABEL,UUID,PKNAME,MOUNTPOINT";
  const text = execFileSync("/usr/bin/lsblk", ["--sysroot", sysroot, "--pairs", "--bytes", "--output", columns], { encoding: "utf8" });
  return text.trim().split("\n").map((line) => Object.fromEntries([...line.matchAll(/([\w:%-]+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2].replace(/\\x20/g, " ").trim()])));
}

/** util-linux's recorded `lsblk -o NAME,KNAME,MAJ:MIN,RM,SIZE,TYPE,MOUNTPOINT` of the machine. */
function recordedBasic(sysroot: string, machine: string): { kname: string; majMin: string; removable: boolean; type: string }[] {
  const lines = readFileSync(join(sysroot, `lsblk-${machine}-basic`), "utf8").trim().split("\n").slice(1);
  return lines.map((line) => {
    const [, kname, majMin, rm, , type] = line.replace(/^[|`-]+/, "").trim().split(/\s+/);
    return { kname, majMin, removable: rm === "1", type };
  });
}

test("there are machine dumps to read", () => {
  expect(machines).toEqual(["multi-devs-bcachefs", "simple-lvm", "simple-nvme"]);
});

describe.each(machines)("the inventory of %s", (machine) => {
  const sysroot = join(unpacked, machine);

  test("lists every device lsblk lists, with the same facts, in the documented shape", async () => {
    const inventory = await collectInventory({ sysroot });
    expect(v.safeParse(InventorySchema, inventory).issues).toBeUndefined();
    const pairs = lsblkPairs(sysroot);
    expect(inventory.devices.map((device) => device.kname).sort()).toEqual([...new Set(pairs.map((row) => row.KNAME))].sort());
    for (const row of pairs) {
      const device = inventory.devices.find((candidate) => candidate.kname === row.KNAME)!;
      const said = (value: string) => value || null;
      expect({ kname: device.kname, majMin: device.majMin, type: device.type, sizeBytes: device.sizeBytes, removable: device.removable, readOnly: device.readOnly, rotational: device.rotational, model: device.model, serial: device.serial, wwn: device.wwn }).toEqual({
        kname: row.KNAME, majMin: row["MAJ:MIN"], type: row.TYPE, sizeBytes: Number(row.SIZE), removable: row.RM === "1", readOnly: row.RO === "1", rotational: row.ROTA === "1", model: said(row.MODEL), serial: said(row.SERIAL), wwn: said(row.WWN),
      });
      expect(device.filesystem?.type ?? null).toBe(said(row.FSTYPE));
      expect(device.filesystem?.label ?? null).toBe(said(row.LABEL));
      expect(device.filesystem?.uuid ?? null).toBe(said(row.UUID));
      if (row.PKNAME) expect(device.parents).toContain(row.PKNAME);
      else expect(device.parents).toEqual([]);
      if (row.MOUNTPOINT) expect(device.mountpoints).toContain(row.MOUNTPOINT);
    }
  });

  test("agrees with the output util-linux recorded for this machine", async () => {
    const inventory = await collectInventory({ sysroot });
    for (const expected of recordedBasic(sysroot, machine)) {
      const device = inventory.devices.find((candidate) => candidate.kname === expected.kname);
      expect(device, expected.kname).toMatchObject({ majMin: expected.majMin, removable: expected.removable, type: expected.type });
    }
  });

  test("marks the disk that holds / as the system disk, and measures nothing of a machine that is not this one", async () => {
    const inventory = await collectInventory({ sysroot });
    const rootDevice = inventory.devices.find((device) => device.mountpoints.includes("/"))!;
    const disk = inventory.devices.find((device) => device.kname === rootDevice.parents[0])!;
    expect(disk.system).toBe(true);
    expect(inventory.devices.filter((device) => device.system).every((device) => device.kname === disk.kname || device.parents.includes(disk.kname))).toBe(true);
    expect(inventory.filesystems.find((filesystem) => filesystem.mountpoint === "/")).toMatchObject({ kname: rootDevice.kname, usage: null });
  });
});

test("names how each disk is attached and by what it can be confirmed", async () => {
  const inventory = await collectInventory({ sysroot: join(unpacked, "multi-devs-bcachefs") });
  const disk = (kname: string) => inventory.devices.find((device) => device.kname === kname)!;
  expect(disk("nvme0n1")).toMatchObject({ transport: "nvme", identity: { kind: "wwn", value: "eui.00000000000000000026b7283b12b315" } });
  expect(disk("nvme0n1p3")).toMatchObject({ transport: "nvme", identity: { kind: "wwn", value: "eui.00000000000000000026b7283b12b315" } });
  expect(disk("sdb")).toMatchObject({ identity: { kind: "serial", value: "WDC_WD800JD-00MSA1_WD-WMAM9XE78956" } });
  const lvm = await collectInventory({ sysroot: join(unpacked, "simple-lvm") });
  // a volume over four disks has no single identity to confirm
  expect(lvm.devices.find((device) => device.kname === "dm-0")).toMatchObject({ parents: ["loop0", "loop1", "loop2", "loop3"], identity: null, transport: "device-mapper" });
});
