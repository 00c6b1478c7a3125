// Sessions: login (password, then the second factor when enabled), refresh, logout, password change.
import { HttpError } from "../_shared/errors.ts";
import type { Principal } from "../_shared/auth.ts";
import { readAdmin, withStateLock, writeState, type AdminRecord } from "../_shared/auth-state.ts";
import type { CredentialPayload } from "../_shared/credential.ts";
import { hashPassword, verifyPassword } from "../_shared/password.ts";
import { matchTotp } from "../_shared/totp.ts";
import { clearSessionCookie, setSessionCookie } from "./cookie.ts";
import { beginAttempt, succeeded } from "./login-limiter.ts";
import { revoke, voidSessions } from "./revocation.ts";
import { isoSeconds, newSession, refreshed, sign } from "./signing.ts";

function admin(): AdminRecord {
  const record = readAdmin();
  if (!record) throw new HttpError(503, "there is no admin yet: complete setup first", { code: "setup_pending" });
  return record;
}

/** A 200 carrying the session's deadlines and its cookie. */
async function sessionResponse(request: Request, session: CredentialPayload): Promise<Response> {
  const cookie = setSessionCookie(request, await sign(session), session.exp - Math.floor(Date.now() / 1000));
  return Response.json(
    { expiresAt: isoSeconds(session.exp), idleExpiresAt: isoSeconds(session.idleExp!) },
    { headers: { "set-cookie": cookie, "cache-control": "no-store" } },
  );
}

/** Accepts a TOTP code once: its time step is remembered, so the same code cannot be replayed. */
export async function acceptTotp(code: string): Promise<boolean> {
  const secret = admin().totp?.secret;
  if (!secret) return false;
  const step = await matchTotp(secret, code, Date.now() / 1000);
  if (step === undefined) return false;
  return withStateLock(() => {
    const current = admin();
    if (!current.totp || step <= current.totp.lastStep) return false;
    writeState("admin.json", { ...current, totp: { ...current.totp, lastStep: step } });
    return true;
  });
}

export async function login(request: Request, input: { password: string; totp?: string }): Promise<Response> {
  const source = request.headers.get("x-forwarded-for") ?? "local";
  const attempt = beginAttempt(source);
  const record = admin();
  if (!(await verifyPassword(input.password, record.passwordHash))) throw new HttpError(401, "wrong password", { code: "wrong_credentials" });
  if (record.totp) {
    if (!input.totp) throw new HttpError(401, "enter the code of your authenticator app", { code: "totp_required" });
    if (!(await acceptTotp(input.totp))) throw new HttpError(401, "the authenticator code is wrong or was used already", { code: "wrong_credentials" });
  }
  await succeeded(attempt, source);
  return sessionResponse(request, newSession());
}

/** Only a session (not an API token) may manage credentials: a leaked token cannot mint more. */
export function requireSession(principal: Principal): CredentialPayload {
  if (principal.kind !== "session" || !principal.credential) {
    throw new HttpError(403, "sign in with the password to manage sessions, tokens and the password", { code: "session_required" });
  }
  return principal.credential;
}

export function refresh(request: Request, principal: Principal): Promise<Response> {
  return sessionResponse(request, refreshed(requireSession(principal)));
}

export async function logout(request: Request, principal: Principal): Promise<Response> {
  const session = requireSession(principal);
  await revoke(session.id, session.exp);
  return Response.json({ ok: true }, { headers: { "set-cookie": clearSessionCookie(request) } });
}

/** A new password signs out every other session; this one gets a fresh cookie. */
export async function changePassword(request: Request, principal: Principal, input: { current: string; new: string }): Promise<Response> {
  const session = requireSession(principal);
  if (!(await verifyPassword(input.current, admin().passwordHash))) throw new HttpError(403, "the current password is wrong", { code: "wrong_credentials" });
  const passwordHash = await hashPassword(input.new);
  await withStateLock(() => writeState("admin.json", { ...admin(), passwordHash, passwordChangedAt: new Date().toISOString() }));
  await voidSessions();
  await revoke(session.id, session.exp);
  return sessionResponse(request, newSession());
}
