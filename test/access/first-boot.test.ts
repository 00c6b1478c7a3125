// First boot through Caddy: before setup everything but the wizard answers 503; setup takes the code
// once and then answers 409; each unit gets only its own credentials; wrong passwords get locked out.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { freePort } from "../support/processes.mjs";
import { startTestingStack } from "../support/testing-stack.mjs";
import { errorCode, type Stack } from "./door.ts";

let stack: Stack;
const password = "a long enough password";
const post = (path: string, body: unknown) => stack.api(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

beforeAll(async () => {
  stack = await startTestingStack({ port: await freePort(), setUp: false });
});
afterAll(async () => {
  await stack?.stop();
});

describe("before setup", () => {
  test("the first-boot job made the key pair and the setup code, private ones 0600", () => {
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect(mode(join(stack.credstore, "caretaker-signing-key"))).toBe("600");
    expect(mode(join(stack.credstore, "caretaker-setup-code"))).toBe("600");
    expect(mode(join(stack.publicState, "signing.pub"))).toBe("644");
    expect(readFileSync(join(stack.credstore, "caretaker-setup-code"), "utf8").trim()).toBe(stack.setupCode);
  });

  test("each function gets exactly the credentials its unit's LoadCredential= names", () => {
    const given = (fn: string) => (existsSync(join(stack.run, "credentials", fn)) ? readdirSync(join(stack.run, "credentials", fn)) : []);
    expect(given("setup")).toEqual(["setup-code"]);
    expect(given("auth")).toEqual(["signing-key"]);
    expect(given("system")).toEqual([]);
    expect(given("testing")).toEqual([]);
  });

  test("every function, and auth's login, answer 503 setup_pending", async () => {
    const overview = await stack.api("/api/system/overview");
    expect(overview.status).toBe(503);
    expect(await errorCode(overview)).toBe("setup_pending");
    const login = await post("/api/auth/login", { password });
    expect(login.status).toBe(503);
    expect(await errorCode(login)).toBe("setup_pending");
  });

  test("auth's status and the wizard's routes answer", async () => {
    expect(await (await stack.api("/api/auth/status")).json()).toMatchObject({ setupComplete: false, signedIn: null });
    const status = await (await stack.api("/api/setup/status")).json();
    expect(status.suggestions).toContain("127.0.0.1");
  });

  test("a wrong setup code is refused, the right one accepted", async () => {
    const wrong = await post("/api/setup/code", { code: "AAAA-BBBB-CCCC-DDDD" });
    expect(wrong.status).toBe(403);
    expect(await errorCode(wrong)).toBe("wrong_setup_code");
    expect((await post("/api/setup/code", { code: stack.setupCode.toLowerCase() })).status).toBe(200);
  });

  test("an impossible name is refused naming the field, and nothing is stored", async () => {
    const response = await post("/api/setup/complete", { code: stack.setupCode, password, box: { name: "box.local", tls: "acme", email: "a@example.org" } });
    expect(response.status).toBe(422);
    expect((await response.json()).error.message).toMatch(/^box\.tls/);
    const short = await post("/api/setup/complete", { code: stack.setupCode, password: "short", box: { name: "box.local", tls: "internal" } });
    expect((await short.json()).error.message).toContain("body.password");
    expect(existsSync(join(stack.publicState, "setup-complete"))).toBe(false);
  });
});

describe("setup", () => {
  test("completes once with the code, then every setup route answers 409", async () => {
    const done = await post("/api/setup/complete", { code: stack.setupCode, password, box: { name: "Cloud.Example.org", tls: "acme", email: "owner@example.org" } });
    expect(done.status).toBe(200);
    expect(JSON.parse(readFileSync(join(stack.publicState, "box.json"), "utf8"))).toEqual({ name: "cloud.example.org", tls: "acme", email: "owner@example.org" });
    const again = await post("/api/setup/complete", { code: stack.setupCode, password: "another password!", box: { name: "box.local", tls: "internal" } });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("setup_complete");
    const openapi = JSON.parse(readFileSync(join(root, "build/public/openapi.json"), "utf8"));
    for (const [path, operations] of Object.entries<Record<string, unknown>>(openapi.paths).filter(([path]) => path.startsWith("/api/setup/"))) {
      for (const method of Object.keys(operations)) {
        const response = await stack.api(path, method === "get" ? {} : { method: method.toUpperCase(), body: "{}", headers: { "content-type": "application/json" } });
        expect(`${method} ${path}: ${response.status}`).toBe(`${method} ${path}: 409`);
      }
    }
    expect(await (await stack.api("/api/auth/status")).json()).toMatchObject({ setupComplete: true, box: { name: "cloud.example.org", tls: "acme" } });
  });

  test("the admin's state is private to the shared StateDirectory (0600)", () => {
    const admin = join(stack.run, "state/caretaker-auth/admin.json");
    expect((statSync(admin).mode & 0o777).toString(8)).toBe("600");
    expect(readFileSync(admin, "utf8")).toMatch(/"passwordHash": "\$argon2id\$/);
    expect(readFileSync(admin, "utf8")).not.toContain(password);
  });
});

describe("login throttling", () => {
  test("repeated wrong passwords are locked out with Retry-After, even the right one then", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await post("/api/auth/login", { password: `wrong ${attempt}` });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const right = await post("/api/auth/login", { password });
    expect(right.status).toBe(429);
    // after waiting as told, the right password gets in and resets the count
    await new Promise((resolve) => setTimeout(resolve, Number(right.headers.get("retry-after")) * 1000 + 100));
    expect((await post("/api/auth/login", { password })).status).toBe(200);
    expect((await post("/api/auth/login", { password: "wrong again" })).status).toBe(401);
  }, 20_000);
});
