import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { parseSmartctl, smartctlAnswers, smartctlPath } from "./smartctl.ts";

describe("parseSmartctl(json): Smart", () => {
  test("the real smartctl on a device without SMART says so in its own words", () => {
    let stdout = "";
    try {
      stdout = execFileSync(smartctlPath, ["--json=c", "--all", "--", "/dev/null"], { encoding: "utf8" });
    } catch (error) {
      stdout = (error as { stdout: string }).stdout;
    }
    const smart = parseSmartctl(stdout);
    expect(smart).toEqual({ available: false, reason: expect.stringContaining("/dev/null") });
    expect(smartctlAnswers).toContain(JSON.parse(stdout).smartctl.exit_status);
  });

  // composed in smartctl 7.3's JSON layout (smartctl --json -a of an ATA drive), trimmed to what is read
  const failingDrive = {
    smartctl: { exit_status: 24 },
    model_name: "WDC WD40EFRX",
    smart_status: { passed: false },
    temperature: { current: 41 },
    power_on_time: { hours: 40321 },
    ata_smart_attributes: {
      table: [
        { id: 5, name: "Reallocated_Sector_Ct", value: 3, thresh: 140, when_failed: "now", flags: { prefailure: true }, raw: { value: 1904 } },
        { id: 197, name: "Current_Pending_Sector", value: 200, thresh: 0, when_failed: "", flags: { prefailure: false }, raw: { value: 12 } },
        { id: 1, name: "Raw_Read_Error_Rate", value: 200, thresh: 51, when_failed: "", flags: { prefailure: true }, raw: { value: 0 } },
      ],
    },
    ata_smart_data: { self_test: { status: { value: 0, string: "completed without error", passed: true } } },
    ata_smart_self_test_log: { standard: { table: [{ status: { string: "Completed: read failure", passed: false } }] } },
  };

  test("a failing ATA drive: verdict, key attributes, concerns and the last self-test", () => {
    const smart = parseSmartctl(JSON.stringify(failingDrive));
    expect(smart).toMatchObject({ available: true, passed: false, temperatureCelsius: 41, powerOnHours: 40321 });
    if (!smart.available) throw new Error("unreachable");
    expect(smart.attributes.map((attribute) => [attribute.id, attribute.raw, attribute.failed])).toEqual([[5, 1904, "now"], [197, 12, null]]);
    expect(smart.concerns).toEqual(["Reallocated_Sector_Ct is at its failure threshold", "1904 reallocated sectors", "12 sectors waiting to be reallocated"]);
    expect(smart.selfTest).toEqual({ running: false, remainingPercent: null, lastResult: "Completed: read failure", lastPassed: false });
  });

  test("an NVMe drive's health log becomes pseudo-attributes", () => {
    const smart = parseSmartctl(JSON.stringify({ smartctl: { exit_status: 0 }, smart_status: { passed: true }, nvme_smart_health_information_log: { critical_warning: 0, percentage_used: 93, media_errors: 0 } }));
    expect(smart).toMatchObject({ available: true, passed: true, concerns: ["93% of its rated life is used"] });
  });
});
