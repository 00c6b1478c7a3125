// parseOverall, parseChecks and analyzeSecurity: output captured from systemd 252 and 257, and the real
// systemd-analyze of this host scoring the repository's units in one run as it does each alone.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exec } from "../_shared/exec.ts";
import { analyzeSecurity, parseChecks, parseOverall, systemdAnalyze } from "./systemd-analyze.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");
const units = join(import.meta.dirname, "../../units");

describe("parseChecks(json)", () => {
  it("reads one array of checks per unit from systemd 252, failing checks only, by field", () => {
    const checks = parseChecks(fixture("security-json-252.txt"));
    expect(checks).toHaveLength(2);
    expect(checks[0].map((check) => check.field)).toEqual(["DeviceAllow", "ProcSubset", "RestrictAddressFamilies_AF_UNIX", "RootDirectoryOrRootImage"]);
    expect(checks[0][0]).toEqual({ check: "DeviceAllow=", field: "DeviceAllow", description: "Service has a device ACL with some special devices: char-rtc:r", exposure: 0.1 });
  });
  it("leaves out the array of totals systemd 257 adds after several units", () => {
    const checks = parseChecks(fixture("security-json-257.txt"));
    expect(checks).toHaveLength(2);
    expect(checks.every((unit) => unit.every((check) => check.field && check.exposure > 0))).toBe(true);
  });
});

describe("parseOverall(text)", () => {
  it("reads the score and its word for each unit in order", () => {
    const text = "→ Overall exposure level for a@i.service: 0.2 SAFE 😀\n…\n→ Overall exposure level for b.service: 9.6 UNSAFE 😨\n";
    expect(parseOverall(text)).toEqual([{ score: 0.2, rating: "SAFE" }, { score: 9.6, rating: "UNSAFE" }]);
  });
});

describe("analyzeSecurity(exec, units, offline)", () => {
  it("scores every unit of the repository as systemd-analyze does one unit at a time", async () => {
    const files = ["caretaker-system@.service", "caretaker-audit-ports.service", "caretaker-audit-sshd.service"].map((name) => join(units, name));
    const together = await analyzeSecurity(exec, files, true);
    for (const [index, file] of files.entries()) {
      const alone = execFileSync(systemdAnalyze, ["security", "--offline=true", "--no-pager", file], { encoding: "utf8" });
      expect(together[index].score).toBe(parseOverall(alone)[0].score);
      expect(together[index].failing).toHaveLength(alone.split("\n").filter((line) => line.startsWith("✗")).length);
    }
  });
});
