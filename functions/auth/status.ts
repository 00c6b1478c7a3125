// GET /api/auth/status: what the page needs to choose between the wizard, the login and the app.
import type { Principal } from "../_shared/auth.ts";
import { isSetupComplete, readPublicJson } from "../_shared/public-state.ts";
import { isoSeconds } from "./signing.ts";

export function status(principal: Principal) {
  const credential = principal.credential;
  const box = readPublicJson<{ name: string; tls: "internal" | "acme" } | null>("box", null);
  return {
    setupComplete: isSetupComplete(),
    signedIn: credential ? { kind: credential.kind, name: principal.name } : null,
    session: credential?.kind === "session" ? { expiresAt: isoSeconds(credential.exp), idleExpiresAt: isoSeconds(credential.idleExp!) } : null,
    box: box ? { name: box.name, tls: box.tls } : null,
  };
}
