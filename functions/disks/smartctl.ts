// Everything that knows smartctl: argv and its --json output turned into a verdict, key attributes and concerns.
import type { Smart } from "./schema-health.ts";

export const smartctlPath = "/usr/sbin/smartctl";

/**
 * smartctl's exit status is a bit mask (smartctl(8) RETURN VALUES) and every value is an answer:
 * even bit 0 ("command line did not parse") is what 7.3 sets for "Unable to detect device type".
 */
export const smartctlAnswers = Array.from({ length: 255 }, (_, index) => index + 1);

export const smartctlReadArgs = (path: string) => ["--json=c", "--all", "--nocheck=standby", "--", path];
export const smartctlTestArgs = (path: string, type: "short" | "long") => ["--json=c", "--test", type, "--", path];

/** The ATA attributes that predict failure (Backblaze's drive stats and smartmontools' own warnings). */
const keyAttributes = new Map<number, string>([
  [5, "reallocated sectors"], [9, "power-on hours"], [177, "wear leveling"], [187, "reported uncorrectable errors"],
  [194, "temperature"], [197, "sectors waiting to be reallocated"], [198, "uncorrectable sectors"], [199, "cable (CRC) errors"], [231, "life left"],
]);
const countsThatMustStayZero = new Set([5, 187, 197, 198]);

interface SmartctlJson {
  smartctl?: { exit_status?: number; messages?: { string: string; severity?: string }[] };
  model_name?: string;
  smart_support?: { available?: boolean; enabled?: boolean };
  smart_status?: { passed?: boolean };
  temperature?: { current?: number };
  power_on_time?: { hours?: number };
  ata_smart_attributes?: { table?: { id: number; name: string; value?: number; thresh?: number; when_failed?: string; flags?: { prefailure?: boolean }; raw?: { value?: number } }[] };
  nvme_smart_health_information_log?: { critical_warning?: number; percentage_used?: number; media_errors?: number; available_spare?: number; available_spare_threshold?: number };
  ata_smart_data?: { self_test?: { status?: { value?: number; string?: string; remaining_percent?: number; passed?: boolean } } };
  ata_smart_self_test_log?: { standard?: { table?: { status?: { string?: string; passed?: boolean } }[] } };
  nvme_self_test_log?: { current_self_test_operation?: { value?: number }; current_self_test_completion_percent?: number; table?: { self_test_result?: { value?: number; string?: string } }[] };
}

function selfTestOf(json: SmartctlJson): NonNullable<Extract<Smart, { available: true }>["selfTest"]> | null {
  const ata = json.ata_smart_data?.self_test?.status;
  const ataLast = json.ata_smart_self_test_log?.standard?.table?.[0]?.status;
  if (ata || ataLast) {
    // status value 0xF_ means "in progress" (ATA self-test execution status)
    const running = ata?.value !== undefined && ata.value >> 4 === 0xf;
    return { running, remainingPercent: running ? ata?.remaining_percent ?? null : null, lastResult: ataLast?.string ?? null, lastPassed: ataLast?.passed ?? null };
  }
  const nvme = json.nvme_self_test_log;
  if (nvme) {
    const running = (nvme.current_self_test_operation?.value ?? 0) !== 0;
    const last = nvme.table?.[0]?.self_test_result;
    return { running, remainingPercent: running ? 100 - (nvme.current_self_test_completion_percent ?? 0) : null, lastResult: last?.string ?? null, lastPassed: last ? last.value === 0 : null };
  }
  return null;
}

export function parseSmartctl(text: string): Smart {
  let json: SmartctlJson;
  try {
    json = JSON.parse(text);
  } catch {
    return { available: false, reason: "smartctl printed no JSON" };
  }
  const status = json.smartctl?.exit_status ?? 0;
  const said = (json.smartctl?.messages ?? []).map((message) => message.string).join("; ");
  // bits 0 and 1: the device type is unknown, it could not be opened, or it has no SMART
  // (SD cards, most USB bridges, loop and virtual disks)
  if (status & 3 || json.smart_support?.available === false || json.smart_status === undefined) {
    return { available: false, reason: said || "the device does not support SMART" };
  }
  const attributes: Extract<Smart, { available: true }>["attributes"] = [];
  const concerns: string[] = [];
  for (const row of json.ata_smart_attributes?.table ?? []) {
    const failed = row.when_failed && row.when_failed !== "-" ? row.when_failed.replace("in_the_", "") : null;
    const prefail = row.flags?.prefailure ?? false;
    if (failed) concerns.push(`${row.name} ${failed === "now" ? "is" : "was"} at its failure threshold`);
    const raw = row.raw?.value ?? 0;
    if (countsThatMustStayZero.has(row.id) && raw > 0) concerns.push(`${raw} ${keyAttributes.get(row.id)}`);
    if (keyAttributes.has(row.id) || failed) {
      attributes.push({ id: row.id, name: row.name, value: row.value ?? null, threshold: row.thresh ?? null, raw, prefail, failed });
    }
  }
  const nvme = json.nvme_smart_health_information_log;
  if (nvme) {
    const add = (id: number, name: string, raw: number | undefined) => raw !== undefined && attributes.push({ id, name, value: null, threshold: null, raw, prefail: false, failed: null });
    add(1, "Critical_Warning", nvme.critical_warning);
    add(5, "Percentage_Used", nvme.percentage_used);
    add(14, "Media_Errors", nvme.media_errors);
    if (nvme.critical_warning) concerns.push(`the drive raises critical warning 0x${nvme.critical_warning.toString(16)}`);
    if ((nvme.percentage_used ?? 0) >= 90) concerns.push(`${nvme.percentage_used}% of its rated life is used`);
    if ((nvme.media_errors ?? 0) > 0) concerns.push(`${nvme.media_errors} media errors`);
  }
  return {
    available: true,
    passed: json.smart_status?.passed ?? false,
    model: json.model_name ?? null,
    temperatureCelsius: json.temperature?.current ?? null,
    powerOnHours: json.power_on_time?.hours ?? null,
    attributes,
    concerns,
    selfTest: selfTestOf(json),
  };
}
