// Job caretaker-services-policy.service (root, no capabilities): writes polkit's rule from the
// owner's allow-list, after checking every name again, and a receipt the function can read.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { readCredentialList } from "../credential.ts";
import { writePolkitRule } from "../polkit-rule.ts";
import { receiptPath } from "../policy-state.ts";

export default async function policy(): Promise<void> {
  const list = readCredentialList();
  const path = writePolkitRule(list.units);
  // after the rule: a receipt means the rule holds this list
  mkdirSync(dirname(receiptPath), { recursive: true });
  writeFileSync(`${receiptPath}.tmp`, JSON.stringify({ savedAt: list.savedAt, units: list.units }) + "\n", { mode: 0o644 });
  renameSync(`${receiptPath}.tmp`, receiptPath);
  console.log(`services: wrote ${path} for ${list.units.length} unit(s) of the list saved ${list.savedAt}: ${list.units.join(" ") || "(none)"}`);
}
