// The booted branch can only be checked against captured replies here: this host's PID 1 is not
// systemd. The replies were captured with busctl in a systemd 252 booted by systemd-nspawn.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exec, type Exec } from "../_shared/exec.ts";
import { mergeUnits, parseListUnitFiles, parseListUnits, readSystemd } from "./systemd.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");
const booted = () => mkdtempSync(join(tmpdir(), "run-systemd-system-"));

describe("parseListUnits(stdout)", () => {
  it("reads busctl's a(ssssssouso) reply", () => {
    expect(parseListUnits(fixture("busctl-list-units.json"))).toEqual([
      { name: "caretaker-system.socket", load: "loaded", active: "active", sub: "listening" },
    ]);
  });
  it("rejects a reply of another shape", () => expect(() => parseListUnits('{"type":"s","data":["x"]}')).toThrow(/unexpected reply/));
});

describe("parseListUnitFiles(stdout)", () => {
  it("keys unit file states by unit name", () => {
    expect([...parseListUnitFiles(fixture("busctl-list-unit-files.json"))]).toEqual([
      ["caretaker-system@.service", "static"],
      ["caretaker-system.socket", "enabled-runtime"],
    ]);
  });
});

describe("mergeUnits(loaded, fileStates)", () => {
  it("lists socket, template and running instances; leaves out job units", () => {
    const loaded = [
      ...parseListUnits(fixture("busctl-list-units-instances.json")),
      { name: "caretaker-backups-run@nightly.service", load: "loaded", active: "active", sub: "running" },
    ];
    const units = mergeUnits(loaded, parseListUnitFiles(fixture("busctl-list-unit-files.json")));
    expect(units.map((unit) => unit.name)).toEqual([
      "caretaker-system.socket",
      "caretaker-system@.service",
      "caretaker-system@p0.service",
      "caretaker-system@p7.service",
      "caretaker-system@p8.service",
    ]);
    expect(units[0]).toEqual({ name: "caretaker-system.socket", kind: "socket", load: "loaded", active: "active", sub: "listening", enabled: "enabled-runtime" });
    expect(units[1]).toEqual({ name: "caretaker-system@.service", kind: "service", load: "-", active: "-", sub: "-", enabled: "static" });
    expect(units[2]).toMatchObject({ kind: "service", load: "loaded", active: "active", sub: "running", enabled: "static" });
  });
});

describe("readSystemd(sources)", () => {
  it("says systemd is unavailable when /run/systemd/system is absent (real check on this host)", async () => {
    const result = await readSystemd({ exec, bootedMarker: join(tmpdir(), "no-such-run-systemd-system") });
    expect(result).toEqual({ available: false, reason: "systemd is not running as PID 1 (dev mode)" });
    if (!existsSync("/run/systemd/system")) expect(await readSystemd({ exec })).toEqual(result);
  });
  it("asks busctl twice at once, then loads sockets that are not in memory", async () => {
    const calls: string[][] = [];
    const replies: Record<string, string> = {
      ListUnitsByPatterns: fixture("busctl-list-units.json").replace("caretaker-system.socket", "caretaker-system@1-2-3.service"),
      ListUnitFilesByPatterns: fixture("busctl-list-unit-files.json"),
      ListUnitsByNames: fixture("busctl-list-units.json").replace(/"active","listening"/, '"inactive","dead"'),
    };
    const fake: Exec = async (file, args) => {
      calls.push([file, ...args]);
      return { stdout: replies[args[5]], stderr: "", exitCode: 0 };
    };
    const result = await readSystemd({ exec: fake, bootedMarker: booted() });
    expect(calls.map((call) => call.slice(6))).toEqual([
      ["ListUnitsByPatterns", "asas", "0", "2", "caretaker-*.socket", "caretaker-*@*.service"],
      ["ListUnitFilesByPatterns", "asas", "0", "2", "caretaker-*.socket", "caretaker-*@.service"],
      ["ListUnitsByNames", "as", "1", "caretaker-system.socket"],
    ]);
    expect(calls[0].slice(0, 6)).toEqual(["/usr/bin/busctl", "--json=short", "call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager"]);
    expect(result.available && result.units.map((unit) => `${unit.name} ${unit.active}/${unit.sub} ${unit.enabled}`)).toEqual([
      "caretaker-system.socket inactive/dead enabled-runtime",
      "caretaker-system@.service -/- static",
      "caretaker-system@1-2-3.service active/listening static",
    ]);
  });
  it("reports, not invents, when the bus does not answer (real busctl, no bus on this host)", async () => {
    const result = await readSystemd({ exec, bootedMarker: booted() });
    expect(result.available).toBe(false);
    if (!result.available) expect(result.reason).toMatch(/^systemd did not answer over D-Bus: busctl/);
  });
});
