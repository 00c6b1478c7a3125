// Mints sessions and tokens with the private signing key, which only this unit holds (a credential).
import { type CredentialPayload, importPrivateKey, newCredentialId, type Scope, signCredential } from "../_shared/credential.ts";
import { readCredential } from "../_shared/credentials.ts";

export const sessionLifetimeSeconds = 12 * 3600;
export const sessionIdleSeconds = 30 * 60;

const now = () => Math.floor(Date.now() / 1000);

export async function sign(payload: CredentialPayload): Promise<string> {
  return signCredential(payload, await importPrivateKey(readCredential("signing-key")));
}

export function newSession(): CredentialPayload {
  const issued = now();
  return {
    kind: "session",
    id: newCredentialId(),
    iat: issued,
    exp: issued + sessionLifetimeSeconds,
    idleExp: issued + sessionIdleSeconds,
    scope: { functions: ["*"], write: true },
  };
}

/** The same session with its idle deadline moved on, never past its absolute expiry. */
export function refreshed(session: CredentialPayload): CredentialPayload {
  return { ...session, idleExp: Math.min(session.exp, now() + sessionIdleSeconds) };
}

export function newToken(name: string, expiresInDays: number, scope: Scope): CredentialPayload {
  const issued = now();
  return { kind: "token", id: newCredentialId(), name, iat: issued, exp: issued + expiresInDays * 86400, scope };
}

export const isoSeconds = (seconds: number) => new Date(seconds * 1000).toISOString();
