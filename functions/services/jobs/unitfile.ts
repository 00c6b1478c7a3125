// Job caretaker-services-unitfile@<enable|disable>:<unit>.service (root, no capabilities): enables
// or disables one unit on the owner's allow-list. polkit cannot restrict this per unit (its
// manage-unit-files action names none), so this job is the check: the list, again, and the name.
import * as v from "valibot";
import { exec } from "../../_shared/exec.ts";
import { protectedReason, UnitNameSchema } from "../unit-name.ts";
import { readCredentialList } from "../credential.ts";

/** "enable:nginx.service" → the verb and the validated unit; anything else is refused. */
export function parseInstance(instance: string | undefined): { verb: "enable" | "disable"; unit: string } {
  const match = /^(enable|disable):(.+)$/.exec(instance ?? "");
  if (!match) throw new Error(`instance "${instance}" is not <enable|disable>:<unit>`);
  const unit = v.parse(UnitNameSchema, match[2]);
  return { verb: match[1] as "enable" | "disable", unit };
}

export default async function unitfile(instance: string | undefined): Promise<void> {
  const { verb, unit } = parseInstance(instance);
  const reason = protectedReason(unit);
  if (reason) throw new Error(`refused to ${verb} ${unit}: ${reason}`);
  const list = readCredentialList();
  if (!list.units.includes(unit)) throw new Error(`refused to ${verb} ${unit}: it is not on the allow-list saved ${list.savedAt}`);
  // over D-Bus as uid 0: PID 1 itself writes the symlinks, so this job needs no write access at all
  const { stdout, stderr } = await exec("/usr/bin/systemctl", [verb, "--no-ask-password", "--", unit], { timeoutMs: 60_000 });
  console.log(`services: ${verb} ${unit}: ${(stdout + stderr).trim().replace(/\n/g, " | ") || "nothing to change"}`);
}
