// The door over HTTP through Caddy (and, for what the runtime alone must decide, straight to a
// socket): every route needs a credential; forged, expired, revoked and lapsed ones get 401; scopes
// give 403; cross-origin writes get 403; sessions refresh, log out and die with a password change.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { generateSigningKeys, importPrivateKey, newCredentialId, signCredential } from "../../functions/_shared/credential.ts";
import { freePort, waitUntil } from "../support/processes.mjs";
import { startTestingStack } from "../support/testing-stack.mjs";
import { cookieValue, decodeCredential, errorCode, mint, now, type Stack, toSocket, withCookie } from "./door.ts";

let stack: Stack;
let log = "";
const json = { "content-type": "application/json" };

beforeAll(async () => {
  stack = await startTestingStack({ port: await freePort(), log: (chunk: Buffer) => (log += chunk) });
});
afterAll(async () => {
  await stack?.stop();
});

async function login(password = stack.admin!.password) {
  const response = await stack.api("/api/auth/login", { anonymous: true, method: "POST", body: JSON.stringify({ password }), headers: json });
  expect(response.status).toBe(200);
  return { cookie: cookieValue(response.headers.get("set-cookie")), setCookie: response.headers.get("set-cookie")! };
}

async function createToken(scope: { functions: string[]; write: boolean }, cookie: string) {
  const response = await withCookie(stack, "/api/auth/tokens", cookie, { method: "POST", body: { name: `t-${scope.functions.join("-")}`, expiresInDays: 1, scope } });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; token: string };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("every route of every function (from openapi.json)", () => {
  const openapi = JSON.parse(readFileSync(join(root, "build/public/openapi.json"), "utf8"));
  const routes = Object.entries<Record<string, { security?: unknown[] }>>(openapi.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "x"), isPublic: Array.isArray(operation.security) && operation.security.length === 0 })),
  );

  test("there are routes, and only setup's, login and status are public", () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((entry) => entry.isPublic).map((entry) => `${entry.method} ${entry.path}`).sort()).toEqual(
      ["GET /api/auth/status", "GET /api/setup/status", "POST /api/auth/login", "POST /api/setup/code", "POST /api/setup/complete"],
    );
  });

  test("answers 401 without credentials, and with a forged or expired one", async () => {
    const stranger = await generateSigningKeys();
    const forged = await signCredential({ kind: "token", id: newCredentialId(), iat: now(), exp: now() + 3600, scope: { functions: ["*"], write: true } }, await importPrivateKey(stranger.privatePem));
    const expired = await mint(stack, { kind: "token", id: newCredentialId(), name: "old", iat: now() - 7200, exp: now() - 10, scope: { functions: ["*"], write: true } });
    const tampered = stack.admin!.token.replace(/\.([^.]+)\./, (_, body: string) => `.${Buffer.from(JSON.stringify({ ...decodeCredential(stack.admin!.token), exp: now() + 999999 })).toString("base64url")}.`);
    const problems: string[] = [];
    for (const { method, path } of routes.filter((entry) => !entry.isPublic)) {
      for (const [what, headers] of [["none", {}], ["forged", bearer(forged)], ["expired", bearer(expired)], ["tampered", bearer(tampered)], ["garbage", bearer("nonsense")]] as const) {
        const init = method === "GET" ? { headers } : { method, headers: { ...headers, ...json }, body: "{}" };
        const response = await stack.api(path, { anonymous: true, ...init });
        if (response.status !== 401) problems.push(`${method} ${path} with ${what} credential: ${response.status} ${await errorCode(response)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("tokens", () => {
  test("a revoked token gets 401 at once", async () => {
    const { cookie } = await login();
    const token = await createToken({ functions: ["*"], write: false }, cookie);
    expect((await stack.api("/api/system/overview", { headers: bearer(token.token) })).status).toBe(200);
    const listed = await (await withCookie(stack, "/api/auth/tokens", cookie)).json();
    expect(listed.tokens.map((entry: { id: string }) => entry.id)).toContain(token.id);
    expect(JSON.stringify(listed)).not.toContain(token.token);
    expect((await withCookie(stack, `/api/auth/tokens/${token.id}`, cookie, { method: "DELETE" })).status).toBe(200);
    expect((await stack.api("/api/system/overview", { headers: bearer(token.token) })).status).toBe(401);
  });

  test("a token scoped to one function gets 403 elsewhere, and on writes when read-only", async () => {
    const { cookie } = await login();
    const readTesting = await createToken({ functions: ["testing"], write: false }, cookie);
    const writeSystem = await createToken({ functions: ["system"], write: true }, cookie);
    const echo = (token: string) => stack.api("/api/testing/echo", { method: "POST", headers: { ...bearer(token), ...json }, body: JSON.stringify({ name: "x" }) });
    expect((await stack.api("/api/testing/hold?ms=0", { headers: bearer(readTesting.token) })).status).toBe(200);
    expect((await stack.api("/api/system/overview", { headers: bearer(readTesting.token) })).status).toBe(403);
    expect((await echo(readTesting.token)).status).toBe(403);
    expect((await echo(writeSystem.token)).status).toBe(403);
    expect((await stack.api("/api/system/overview", { headers: bearer(writeSystem.token) })).status).toBe(200);
  });

  test("a token cannot manage credentials: that takes a signed-in session", async () => {
    const response = await stack.api("/api/auth/tokens", { method: "POST", headers: json, body: JSON.stringify({ name: "more", expiresInDays: 1, scope: { functions: ["*"], write: true } }) });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("session_required");
  });
});

describe("CSRF", () => {
  test("a cross-origin POST with the session cookie gets 403 from Caddy", async () => {
    const { cookie } = await login();
    const response = await withCookie(stack, "/api/testing/echo", cookie, { method: "POST", body: { name: "x" }, origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect((await withCookie(stack, "/api/testing/echo", cookie, { method: "POST", body: { name: "x" } })).status).toBe(200);
  });

  test("the runtime checks the Origin again, past Caddy; a bearer token is exempt", async () => {
    const { cookie } = await login();
    const post = (headers: Record<string, string>) => toSocket(stack, "testing", "/api/testing/echo", { method: "POST", headers: { ...json, ...headers }, body: '{"name":"x"}' });
    expect((await post({ cookie, origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ cookie })).status).toBe(403);
    expect((await post({ cookie, origin: stack.url })).status).toBe(200);
    expect((await post({ ...bearer(stack.admin!.token), origin: "https://evil.example" })).status).toBe(200);
  });
});

describe("sessions", () => {
  test("the cookie is HttpOnly, SameSite=Strict, Path=/, and Secure behind HTTPS", async () => {
    const { setCookie } = await login();
    expect(setCookie).toMatch(/^caretaker_session=ct1\.[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43\d{3}$/);
    const overHttps = await toSocket(stack, "auth", "/api/auth/login", { method: "POST", headers: { ...json, origin: "https://box.example", host: "box.example", "x-forwarded-proto": "https" }, body: JSON.stringify({ password: stack.admin!.password }) });
    expect(overHttps.status).toBe(200);
    expect(String(overHttps.headers["set-cookie"])).toMatch(/; Secure$/);
  });

  test("refresh moves the idle deadline on; a lapsed idle deadline gets 401", async () => {
    const { cookie } = await login();
    const before = decodeCredential(cookie.split("=")[1]);
    expect(before.exp - before.iat).toBe(12 * 3600);
    expect(before.idleExp! - before.iat).toBe(30 * 60);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refreshed = await withCookie(stack, "/api/auth/refresh", cookie, { method: "POST" });
    expect(refreshed.status).toBe(200);
    const after = decodeCredential(cookieValue(refreshed.headers.get("set-cookie")).split("=")[1]);
    expect(after.id).toBe(before.id);
    expect(after.exp).toBe(before.exp);
    expect(after.idleExp!).toBeGreaterThan(before.idleExp!);
    const idle = await mint(stack, { ...before, idleExp: now() - 1 });
    expect((await withCookie(stack, "/api/system/overview", `caretaker_session=${idle}`)).status).toBe(401);
  });

  test("logout revokes the session", async () => {
    const { cookie } = await login();
    expect((await withCookie(stack, "/api/system/overview", cookie)).status).toBe(200);
    const out = await withCookie(stack, "/api/auth/logout", cookie, { method: "POST" });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^caretaker_session=; .*Max-Age=0/);
    expect((await withCookie(stack, "/api/system/overview", cookie)).status).toBe(401);
    expect(await (await withCookie(stack, "/api/auth/status", cookie)).json()).toMatchObject({ signedIn: null });
  });

  test("a password change signs other sessions out, keeps tokens", async () => {
    const other = await login();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const mine = await login();
    const newPassword = `changed ${Date.now()}`;
    const changed = await withCookie(stack, "/api/auth/password", mine.cookie, { method: "POST", body: { current: stack.admin!.password, new: newPassword } });
    expect(changed.status).toBe(200);
    expect((await withCookie(stack, "/api/system/overview", other.cookie)).status).toBe(401);
    expect((await withCookie(stack, "/api/system/overview", mine.cookie)).status).toBe(401);
    expect((await withCookie(stack, "/api/system/overview", cookieValue(changed.headers.get("set-cookie")))).status).toBe(200);
    expect((await stack.api("/api/system/overview")).status).toBe(200);
    await login(newPassword);
    stack.admin!.password = newPassword;
  });
});

describe("the audit trail", () => {
  test("a write is recorded with who, what and the result, never its body", async () => {
    const marker = `secret-${Date.now()}`;
    // a line still arriving is not JSON yet: skip it until it is whole
    const parse = (line: string) => { try { return [JSON.parse(line).audit]; } catch { return []; } };
    const read = () => log.split("\n").filter((line) => line.startsWith('{"audit"')).flatMap(parse);
    const echoes = () => read().filter((record) => record.action === "POST /api/testing/echo");
    const before = echoes().length;
    await stack.api("/api/testing/echo", { method: "POST", headers: json, body: JSON.stringify({ name: marker }) });
    await stack.api("/api/testing/echo", { anonymous: true, method: "POST", headers: json, body: JSON.stringify({ name: marker }) });
    // the function's stderr reaches this process on its own pipe, maybe after the response did
    await waitUntil(() => echoes().length >= before + 2, 5000);
    const records = read();
    expect(echoes().slice(before)).toContainEqual({ function: "testing", principal: expect.stringMatching(/^token dev-stack \(/), action: "POST /api/testing/echo", result: 200, source: "127.0.0.1" });
    expect(echoes().slice(before)).toContainEqual({ function: "testing", principal: "unauthenticated", action: "POST /api/testing/echo", result: 401, source: "127.0.0.1" });
    expect(records.some((record) => record.action === "POST /api/auth/login" && record.result === 200)).toBe(true);
    expect(log).not.toContain(marker);
    expect(log).not.toContain(stack.admin!.password);
  });
});
