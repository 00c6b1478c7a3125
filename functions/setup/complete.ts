// Completing setup: store the admin and the box's name, then (last) the marker that ends the phase,
// so a failure half-way leaves the box in setup rather than with a half-made admin.
import { HttpError } from "../_shared/errors.ts";
import { type BoxRecord, ensureStateDirectory, readAdmin, withStateLock, writeState } from "../_shared/auth-state.ts";
import { readCredential } from "../_shared/credentials.ts";
import { hashPassword } from "../_shared/password.ts";
import { isSetupComplete, writePublicFile } from "../_shared/public-state.ts";
import { setupCodeMatches } from "./setup-code.ts";

export function checkSetupCode(code: string): void {
  if (!setupCodeMatches(code, readCredential("setup-code"))) {
    throw new HttpError(403, "the setup code is not right: read it again from the box's console or journal", { code: "wrong_setup_code" });
  }
}

export async function completeSetup(input: { code: string; password: string; box: BoxRecord }): Promise<BoxRecord> {
  checkSetupCode(input.code);
  ensureStateDirectory();
  const passwordHash = await hashPassword(input.password);
  const box: BoxRecord = { name: input.box.name.toLowerCase().replace(/\.$/, ""), tls: input.box.tls, ...(input.box.email ? { email: input.box.email } : {}) };
  return withStateLock(() => {
    // two wizards racing: the second finds the first one's marker
    if (isSetupComplete() || readAdmin()) throw new HttpError(409, "setup is already complete", { code: "setup_complete" });
    writeState("admin.json", { passwordHash, passwordChangedAt: new Date().toISOString() });
    writeState("box.json", box);
    writePublicFile("box", `${JSON.stringify(box, null, 2)}\n`);
    writePublicFile("setupComplete", `${new Date().toISOString()}\n`);
    return box;
  });
}
