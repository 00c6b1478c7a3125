// Writes the revocation list every function reads (public state): ids until their own expiry, pruned
// after it, and the time before which sessions are void (a password change signs everyone out).
import type { Revocations } from "../_shared/auth.ts";
import { withStateLock } from "../_shared/auth-state.ts";
import { readPublicJson, writePublicFile } from "../_shared/public-state.ts";

function update(change: (current: Revocations, now: number) => Revocations): Promise<void> {
  return withStateLock(() => {
    const now = Math.floor(Date.now() / 1000);
    const current = readPublicJson<Revocations>("revoked", { revoked: [] });
    const next = change({ ...current, revoked: current.revoked.filter((entry) => entry.exp > now) }, now);
    writePublicFile("revoked", `${JSON.stringify(next)}\n`);
  });
}

export function revoke(id: string, exp: number): Promise<void> {
  return update((current) => ({ ...current, revoked: [...current.revoked.filter((entry) => entry.id !== id), { id, exp }] }));
}

/** Voids every session issued before this second; tokens stay valid. */
export function voidSessions(): Promise<void> {
  return update((current, now) => ({ ...current, sessionsIssuedAfter: now }));
}
