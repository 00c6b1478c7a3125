// Every request passes here before its handler: the setup phase, then a session cookie or a bearer
// token (Ed25519-signed, see credential.ts), checked for expiry, revocation, scope and, for writes
// that carry no Authorization header, a same-origin Origin (Caddy checks it too). 401/403/503 otherwise.
import { readFileSync } from "node:fs";
import { type CredentialPayload, importPublicKey, type Scope, verifyCredential } from "./credential.ts";
import { HttpError } from "./errors.ts";
import { isSetupComplete, publicPath, readPublicJson } from "./public-state.ts";

export interface Principal {
  kind: "anonymous" | "session" | "token";
  /** for the audit trail: "admin (session <id>)", "token <name> (<id>)" or "anonymous" */
  name: string;
  credential?: CredentialPayload;
}

/** When a route answers: "ready" (default) only after setup, "setup" only before it, "always" in both. */
export type Phase = "ready" | "setup" | "always";

export interface Access {
  function: string;
  /** true for methods that change state (anything but GET and HEAD) */
  write: boolean;
  /** the route needs no credential (login, status, setup) */
  public?: boolean;
  phase?: Phase;
}

export interface Revocations {
  /** ids of revoked tokens and logged-out sessions, kept until their own expiry (seconds) */
  revoked: { id: string; exp: number }[];
  /** sessions issued before this time (seconds) are void: set by a password change */
  sessionsIssuedAfter?: number;
}

export const sessionCookie = "caretaker_session";

const anonymous: Principal = { kind: "anonymous", name: "anonymous" };

export async function authenticate(request: Request, access: Access): Promise<Principal> {
  checkPhase(access.phase ?? "ready");
  if (access.write && !request.headers.has("authorization")) checkOrigin(request);
  const presented = presentedCredential(request);
  if (!presented) {
    if (access.public) return anonymous;
    throw new HttpError(401, "sign in, or send Authorization: Bearer <token>");
  }
  const payload = await validCredential(presented);
  if (!payload) {
    // a public route (status, login) still answers a caller whose old cookie has lapsed
    if (access.public) return anonymous;
    throw new HttpError(401, "the session or token is not valid (forged, expired, revoked or logged out)");
  }
  const principal: Principal = {
    kind: payload.kind,
    name: payload.kind === "session" ? `admin (session ${payload.id})` : `token ${payload.name ?? "?"} (${payload.id})`,
    credential: payload,
  };
  if (!access.public) checkScope(payload.scope, access);
  return principal;
}

function checkPhase(phase: Phase) {
  if (phase === "always") return;
  const complete = isSetupComplete();
  if (phase === "ready" && !complete) {
    throw new HttpError(503, "this box is not set up yet: open the page and enter the setup code shown on its console", { code: "setup_pending" });
  }
  if (phase === "setup" && complete) throw new HttpError(409, "setup is already complete", { code: "setup_complete" });
}

/** The origin this request was made to: the scheme Caddy saw (X-Forwarded-Proto) and the Host. */
export function ownOrigin(request: Request): string {
  const scheme = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.slice(0, -1);
  return `${scheme}://${request.headers.get("host") ?? new URL(request.url).host}`;
}

function checkOrigin(request: Request) {
  const origin = request.headers.get("origin");
  if (origin !== ownOrigin(request)) {
    throw new HttpError(403, "state-changing requests must come from this site (Origin header) or carry a bearer token");
  }
}

function presentedCredential(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  // a request with an Authorization header is judged by it alone, never by an ambient cookie
  if (header !== null) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? "";
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === sessionCookie) return value.join("=");
  }
  return undefined;
}

async function validCredential(text: string): Promise<CredentialPayload | undefined> {
  if (!text) return undefined;
  let publicKeyPem: string;
  try {
    publicKeyPem = readFileSync(publicPath("signingKey"), "utf8");
  } catch {
    // before the first-boot job has run there is no key, hence no valid credential
    return undefined;
  }
  const revocations = readPublicJson<Revocations>("revoked", { revoked: [] });
  const payload = await verifyCredential(text, await importPublicKey(publicKeyPem));
  if (!payload) return undefined;
  const now = Math.floor(Date.now() / 1000);
  if (payload.exp <= now) return undefined;
  if (payload.kind === "session") {
    if (payload.idleExp === undefined || payload.idleExp <= now) return undefined;
    if (revocations.sessionsIssuedAfter !== undefined && payload.iat < revocations.sessionsIssuedAfter) return undefined;
  }
  if (revocations.revoked.some((entry) => entry.id === payload.id)) return undefined;
  return payload;
}

function checkScope(scope: Scope, access: Access) {
  const functions: readonly string[] = scope.functions;
  if (!functions.includes("*") && !functions.includes(access.function)) {
    throw new HttpError(403, `this credential is not scoped to the ${access.function} function`);
  }
  if (access.write && !scope.write) throw new HttpError(403, "this credential is read-only");
}
