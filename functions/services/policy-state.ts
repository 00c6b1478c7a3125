// Whether polkit's rule was written from the list now saved: the policy job leaves a receipt (the
// list it wrote, with its savedAt) where the function can read it, because the rule itself is not
// readable to it (/etc/polkit-1/rules.d is root:polkitd 0750).
import { existsSync, readFileSync } from "node:fs";
import type { Allowed } from "./schema.ts";

export const receiptPath = "/var/lib/caretaker-services-policy/applied.json";

export function readReceipt(path = receiptPath): { savedAt?: string; units?: string[] } | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

export function policyState(savedAt: string | undefined, receipt: { savedAt?: string } | undefined, booted: boolean, failure?: string): Allowed["policy"] {
  if (!booted) return { applied: false, note: "systemd is not running as PID 1 (dev mode): no polkit rule is written" };
  if (failure) return { applied: false, note: failure };
  if (!savedAt) return { applied: false, note: "no list saved yet: polkit refuses this function every unit" };
  if (receipt?.savedAt !== savedAt) return { applied: false, note: "polkit's rule was not written from this list yet" };
  return { applied: true, note: "polkit's rule holds exactly this list" };
}
