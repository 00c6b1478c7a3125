// authenticate(request, access): the phase, the credential, its scope and the Origin of writes,
// against a real public-state folder and real Ed25519 keys.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Access, authenticate } from "./auth.ts";
import { type CredentialPayload, generateSigningKeys, importPrivateKey, signCredential } from "./credential.ts";
import { HttpError } from "./errors.ts";

let dir: string;
let key: CryptoKey;
const now = () => Math.floor(Date.now() / 1000);
const token = (overrides: Partial<CredentialPayload> = {}): CredentialPayload => ({ kind: "token", id: "token-id-1", name: "t", iat: now(), exp: now() + 60, scope: { functions: ["*"], write: true }, ...overrides });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "auth-test-"));
  process.env.CARETAKER_PUBLIC_STATE = dir;
  const keys = await generateSigningKeys();
  writeFileSync(join(dir, "signing.pub"), keys.publicPem);
  writeFileSync(join(dir, "setup-complete"), "");
  key = await importPrivateKey(keys.privatePem);
});
afterAll(() => {
  delete process.env.CARETAKER_PUBLIC_STATE;
  rmSync(dir, { recursive: true, force: true });
});

const access: Access = { function: "system", write: false };
function request(headers: Record<string, string>, method = "GET") {
  return new Request("http://box/api/system/overview", { method, headers: { host: "box", "x-forwarded-proto": "https", ...headers } });
}
async function status(promise: Promise<unknown>): Promise<number | string> {
  try {
    const principal = (await promise) as { kind: string };
    return principal.kind;
  } catch (error) {
    return error instanceof HttpError ? `${error.status} ${error.code}` : String(error);
  }
}
const bearer = async (payload: CredentialPayload) => ({ authorization: `Bearer ${await signCredential(payload, key)}` });

describe("authenticate(request, access)", () => {
  test("a valid token passes; none, garbage, expired or revoked get 401", async () => {
    expect(await status(authenticate(request(await bearer(token())), access))).toBe("token");
    expect(await status(authenticate(request({}), access))).toBe("401 unauthenticated");
    expect(await status(authenticate(request({ authorization: "Bearer ct1.x.y" }), access))).toBe("401 unauthenticated");
    expect(await status(authenticate(request(await bearer(token({ exp: now() - 1 }))), access))).toBe("401 unauthenticated");
    writeFileSync(join(dir, "revoked.json"), JSON.stringify({ revoked: [{ id: "token-id-1", exp: now() + 60 }] }));
    expect(await status(authenticate(request(await bearer(token())), access))).toBe("401 unauthenticated");
    rmSync(join(dir, "revoked.json"));
  });

  test("scope: another function or a write on a read-only credential get 403", async () => {
    expect(await status(authenticate(request(await bearer(token({ scope: { functions: ["backups"], write: true } }))), access))).toBe("403 forbidden");
    const readOnly = await bearer(token({ scope: { functions: ["system"], write: false } }));
    expect(await status(authenticate(request(readOnly), access))).toBe("token");
    expect(await status(authenticate(request(readOnly, "POST"), { ...access, write: true }))).toBe("403 forbidden");
  });

  test("sessions: the idle deadline and a password change end them", async () => {
    const session = (overrides: Partial<CredentialPayload>) => token({ kind: "session", idleExp: now() + 60, ...overrides });
    const cookie = async (payload: CredentialPayload) => ({ cookie: `other=1; caretaker_session=${await signCredential(payload, key)}` });
    expect(await status(authenticate(request(await cookie(session({}))), access))).toBe("session");
    expect(await status(authenticate(request(await cookie(session({ idleExp: now() - 1 }))), access))).toBe("401 unauthenticated");
    writeFileSync(join(dir, "revoked.json"), JSON.stringify({ revoked: [], sessionsIssuedAfter: now() + 1 }));
    expect(await status(authenticate(request(await cookie(session({}))), access))).toBe("401 unauthenticated");
    rmSync(join(dir, "revoked.json"));
  });

  test("writes without an Authorization header need this site's Origin; bearer writes do not", async () => {
    const write = { ...access, write: true };
    const cookie = { cookie: `caretaker_session=${await signCredential(token({ kind: "session", idleExp: now() + 60 }), key)}` };
    expect(await status(authenticate(request({ ...cookie, origin: "https://box" }, "POST"), write))).toBe("session");
    expect(await status(authenticate(request({ ...cookie, origin: "https://evil.example" }, "POST"), write))).toBe("403 forbidden");
    expect(await status(authenticate(request({ ...cookie, origin: "http://box" }, "POST"), write))).toBe("403 forbidden");
    expect(await status(authenticate(request(cookie, "POST"), write))).toBe("403 forbidden");
    expect(await status(authenticate(request({ ...(await bearer(token())), origin: "https://evil.example" }, "POST"), write))).toBe("token");
  });

  test("the phase: 503 before setup, 409 for setup routes after it; public routes need no credential", async () => {
    expect(await status(authenticate(request({}), { ...access, public: true }))).toBe("anonymous");
    expect(await status(authenticate(request({}), { ...access, public: true, phase: "setup" }))).toBe("409 setup_complete");
    rmSync(join(dir, "setup-complete"));
    expect(await status(authenticate(request(await bearer(token())), access))).toBe("503 setup_pending");
    expect(await status(authenticate(request({}), { ...access, public: true, phase: "setup" }))).toBe("anonymous");
    expect(await status(authenticate(request({}), { ...access, public: true, phase: "always" }))).toBe("anonymous");
    writeFileSync(join(dir, "setup-complete"), "");
  });
});
