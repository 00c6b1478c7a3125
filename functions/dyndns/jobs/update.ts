// The update job (caretaker-dyndns-update.service, run by its timer and by "check now"): finds the
// box's addresses, asks the provider only when the policy says so, and records the answer.
import { readSecret } from "../credential.ts";
import { ownIpv6 } from "../if-inet6.ts";
import { readRecord, withHistory, writeRecord } from "../job-record.ts";
import { lookupIpv4 } from "../lookup.ts";
import { apply, decide, gate, type Addresses } from "../policy.ts";
import { createHttp } from "../providers/http.ts";
import { sendUpdate } from "../providers/index.ts";
import type { JobRecord } from "../schema.ts";
import { readSettings } from "../settings.ts";
import { stateDirectory } from "../state-files.ts";
import { testSeam } from "../test-seam.ts";

/** A failure to find any address is recorded (once per kind of failure) but costs the provider nothing. */
function noAddress(record: JobRecord, found: Addresses, problems: string[], at: string): JobRecord {
  const error = { at, code: "no-address", message: problems.join("; ") || "no address to publish" };
  const next = { ...record, lastError: error };
  if (record.lastError?.code === "no-address" && record.lastError.message === error.message) return next;
  return withHistory(next, { at, outcome: "retry", code: "no-address", message: error.message, ...found });
}

export default async function main(): Promise<void> {
  const dir = stateDirectory();
  const seam = testSeam();
  const settings = readSettings(dir);
  const now = Date.now();
  const at = new Date(now).toISOString();
  let record: JobRecord = { ...readRecord(dir), lastCheck: at };
  const gated = gate(settings, record, now);
  if (!gated.go) {
    if (settings.configured) writeRecord(dir, record);
    console.log(`dyndns: nothing sent: ${gated.message}`);
    return;
  }

  const found: Addresses = { ipv4: null, ipv6: null };
  const problems: string[] = [];
  if (settings.ipv4.enabled) {
    const looked = await lookupIpv4(settings.ipv4.lookupUrl, createHttp(seam.servers.lookup));
    if ("address" in looked) found.ipv4 = looked.address;
    else problems.push(looked.error);
  }
  if (settings.ipv6.enabled) {
    found.ipv6 = ownIpv6(seam.ifInet6);
    if (!found.ipv6) problems.push("the box has no global IPv6 address");
  }
  if (!found.ipv4 && !found.ipv6) {
    writeRecord(dir, noAddress(record, found, problems, at));
    console.log(`dyndns: nothing sent: ${problems.join("; ")}`);
    return;
  }

  const decision = decide(settings, record, found, now);
  if (!decision.send) {
    writeRecord(dir, decision.reason === "unchanged" && record.lastError?.code === "no-address" ? { ...record, lastError: null } : record);
    console.log(`dyndns: nothing sent: ${decision.message}`);
    return;
  }
  const outcome = await sendUpdate(
    { hostname: settings.hostname, provider: settings.provider, secret: readSecret(), ...found },
    createHttp(seam.servers[settings.provider.kind]),
  );
  record = apply(settings, record, found, outcome, now);
  writeRecord(dir, record);
  // the outcome's words never contain the secret: providers' replies are status words and JSON errors
  console.log(`dyndns: ${settings.provider.kind} ${settings.hostname} (${decision.why}): ${outcome.kind} ${outcome.code}: ${outcome.message}`);
}
