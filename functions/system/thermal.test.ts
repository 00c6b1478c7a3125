import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pickTemperature, readTemperature } from "./thermal.ts";

/** A fake /sys/class/thermal: zone name -> [type, temp] (temp undefined: a sensor that cannot be read). */
function thermalTree(zones: Record<string, [string, string | undefined]>): string {
  const root = mkdtempSync(join(tmpdir(), "thermal-"));
  for (const [name, [type, temp]] of Object.entries(zones)) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, "type"), `${type}\n`);
    if (temp !== undefined) writeFileSync(join(root, name, "temp"), `${temp}\n`);
  }
  mkdirSync(join(root, "cooling_device0"));
  return root;
}

describe("readTemperature(thermalRoot): Temperature", () => {
  it("reads a Raspberry Pi's cpu-thermal zone", async () => {
    expect(await readTemperature(thermalTree({ thermal_zone0: ["cpu-thermal", "48312"] }))).toEqual({ celsius: 48.3, zone: "cpu-thermal" });
  });
  it("prefers the CPU package over ACPI and wifi zones", async () => {
    const root = thermalTree({
      thermal_zone0: ["acpitz", "27800"],
      thermal_zone1: ["iwlwifi_1", undefined],
      thermal_zone2: ["x86_pkg_temp", "55000"],
    });
    expect(await readTemperature(root)).toEqual({ celsius: 55, zone: "x86_pkg_temp" });
  });
  it("takes the first readable zone when none is named after the CPU", async () => {
    expect(await readTemperature(thermalTree({ thermal_zone1: ["acpitz", "16800"], thermal_zone0: ["iwlwifi_1", undefined] }))).toEqual({
      celsius: 16.8,
      zone: "acpitz",
    });
  });
  it("is null without zones, or without the directory at all", async () => {
    expect(await readTemperature(thermalTree({}))).toBeNull();
    expect(await readTemperature("/nonexistent/thermal")).toBeNull();
  });
  it("reads this machine's zones (a VM usually has none)", async () => {
    const temperature = await readTemperature();
    if (!existsSync("/sys/class/thermal/thermal_zone0")) expect(temperature).toBeNull();
    else expect(temperature?.celsius).toBeTypeOf("number");
  });
});

describe("pickTemperature(zones)", () => {
  it("rounds to one decimal and keeps negative readings", () => {
    expect(pickTemperature([{ type: "soc_thermal", millidegrees: -5250 }])).toEqual({ celsius: -5.2, zone: "soc_thermal" });
  });
});
