// The second factor through Caddy: enroll, confirm with a code an authenticator app would show,
// then login needs the code, a code works once, and turning it off needs the password and a code.
import { afterAll, beforeAll, expect, test } from "vitest";
import { fromBase32 } from "../../functions/_shared/base64url.ts";
import { totpAt } from "../../functions/_shared/totp.ts";
import { freePort } from "../support/processes.mjs";
import { startTestingStack } from "../support/testing-stack.mjs";
import { cookieValue, errorCode, type Stack, withCookie } from "./door.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startTestingStack({ port: await freePort() });
});
afterAll(async () => {
  await stack?.stop();
});

const login = (body: object) => stack.api("/api/auth/login", { anonymous: true, method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const code = (secret: string, offsetSteps = 0) => totpAt(fromBase32(secret), Date.now() / 1000 + offsetSteps * 30);

test("enroll, confirm, then login asks for a code that works once", async () => {
  const password = stack.admin!.password;
  const cookie = cookieValue((await login({ password })).headers.get("set-cookie"));
  expect(await (await withCookie(stack, "/api/auth/totp", cookie)).json()).toEqual({ enabled: false });
  const enrollment = await (await withCookie(stack, "/api/auth/totp/enroll", cookie, { method: "POST" })).json();
  expect(enrollment.uri).toBe(`otpauth://totp/caretaker%3Aadmin%40127.0.0.1?secret=${enrollment.secret}&issuer=caretaker&algorithm=SHA1&digits=6&period=30`);
  const wrong = await withCookie(stack, "/api/auth/totp/confirm", cookie, { method: "POST", body: { code: "000000" === (await code(enrollment.secret)) ? "111111" : "000000" } });
  expect(wrong.status).toBe(422);
  // the step before now: the login below uses the current one
  expect((await withCookie(stack, "/api/auth/totp/confirm", cookie, { method: "POST", body: { code: await code(enrollment.secret, -1) } })).status).toBe(200);

  const withoutCode = await login({ password });
  expect(withoutCode.status).toBe(401);
  expect(await errorCode(withoutCode)).toBe("totp_required");
  const current = await code(enrollment.secret);
  expect((await login({ password, totp: current })).status).toBe(200);
  const replay = await login({ password, totp: current });
  expect(replay.status).toBe(401);
  expect(await errorCode(replay)).toBe("wrong_credentials");

  const next = await code(enrollment.secret, 1);
  expect((await withCookie(stack, "/api/auth/totp/disable", cookie, { method: "POST", body: { password: "wrong password", code: next } })).status).toBe(403);
  const off = await withCookie(stack, "/api/auth/totp/disable", cookie, { method: "POST", body: { password, code: await code(enrollment.secret, 1) } });
  // the wrong-password try above did not spend the code: the password is checked first
  expect(off.status).toBe(200);
  expect((await login({ password })).status).toBe(200);
});
