// The optional second factor: enroll (a pending secret), confirm with a first code, disable with
// the password and a code.
import { HttpError } from "../_shared/errors.ts";
import { readAdmin, withStateLock, writeState } from "../_shared/auth-state.ts";
import { readPublicJson } from "../_shared/public-state.ts";
import { verifyPassword } from "../_shared/password.ts";
import { matchTotp, newTotpSecret, otpauthUri } from "../_shared/totp.ts";
import { acceptTotp } from "./login.ts";

function change(update: (admin: NonNullable<ReturnType<typeof readAdmin>>) => object) {
  return withStateLock(() => {
    const admin = readAdmin();
    if (!admin) throw new HttpError(503, "there is no admin yet", { code: "setup_pending" });
    writeState("admin.json", update(admin));
  });
}

export async function enroll(): Promise<{ secret: string; uri: string }> {
  if (readAdmin()?.totp) throw new HttpError(409, "a second factor is already enabled: disable it first", { code: "totp_enabled" });
  const secret = newTotpSecret();
  await change((admin) => ({ ...admin, pendingTotp: secret }));
  const box = readPublicJson<{ name?: string }>("box", {}).name ?? "box";
  return { secret, uri: otpauthUri(secret, `admin@${box}`) };
}

export async function confirm(code: string): Promise<{ enabled: boolean }> {
  const pending = readAdmin()?.pendingTotp;
  if (!pending) throw new HttpError(409, "no enrollment is waiting: POST /api/auth/totp/enroll first", { code: "totp_not_enrolling" });
  const step = await matchTotp(pending, code, Date.now() / 1000);
  if (step === undefined) throw new HttpError(422, "body.code: the code does not match; check the app's clock");
  await change(({ pendingTotp: _, ...admin }) => ({ ...admin, totp: { secret: pending, lastStep: step } }));
  return { enabled: true };
}

export async function disable(password: string, code: string): Promise<{ enabled: boolean }> {
  const admin = readAdmin();
  if (!admin?.totp) throw new HttpError(409, "no second factor is enabled", { code: "totp_disabled" });
  if (!(await verifyPassword(password, admin.passwordHash)) || !(await acceptTotp(code))) {
    throw new HttpError(403, "the password or the code is wrong", { code: "wrong_credentials" });
  }
  await change(({ totp: _, ...rest }) => rest);
  return { enabled: false };
}
