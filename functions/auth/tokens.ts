// The list of API tokens (auth's own state): ids, names, scopes and expiry, never the tokens
// themselves; the token is the signed credential, shown once when created.
import { HttpError } from "../_shared/errors.ts";
import { readState, withStateLock, writeState } from "../_shared/auth-state.ts";
import type { Scope } from "../_shared/credential.ts";
import type { TokenInfo } from "./schema.ts";
import { revoke } from "./revocation.ts";
import { isoSeconds, newToken, sign } from "./signing.ts";

const file = "tokens.json";

export function listTokens(): TokenInfo[] {
  const now = new Date().toISOString();
  return readState<TokenInfo[]>(file, []).filter((token) => token.expiresAt > now);
}

export async function createToken(input: { name: string; expiresInDays: number; scope: Scope }): Promise<TokenInfo & { token: string }> {
  const payload = newToken(input.name, input.expiresInDays, input.scope);
  const token = await sign(payload);
  const info: TokenInfo = { id: payload.id, name: input.name, createdAt: isoSeconds(payload.iat), expiresAt: isoSeconds(payload.exp), scope: input.scope };
  await withStateLock(() => writeState(file, [...listTokens(), info]));
  return { ...info, token };
}

export async function revokeToken(id: string): Promise<void> {
  const token = listTokens().find((entry) => entry.id === id);
  if (!token) throw new HttpError(404, `no token with id ${id}`);
  // revoked first: if the list update failed, the token would be listed but already dead, never the reverse
  await revoke(id, Math.ceil(Date.parse(token.expiresAt) / 1000));
  await withStateLock(() => writeState(file, listTokens().filter((entry) => entry.id !== id)));
}
