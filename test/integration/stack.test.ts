// The real bundles under systemd-socket-activate behind real Caddy: what a client of the API sees.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import system from "../../functions/system/index.ts";
import { root } from "../../functions/_build/build.mjs";
import { freePort, functionProcesses, waitUntil } from "../support/processes.mjs";
import { startTestingStack } from "../support/testing-stack.mjs";

let stack: { url: string; run: string; stop(): Promise<void>; api(path: string, init?: RequestInit & { anonymous?: boolean }): Promise<Response>; admin?: { token: string } };
const marks = join(root, "build/test/marks.txt");
const errorBody = v.object({ error: v.object({ code: v.string(), message: v.pipe(v.string(), v.minLength(1)) }) });

beforeAll(async () => {
  mkdirSync(join(root, "build/test"), { recursive: true });
  writeFileSync(marks, "");
  stack = await startTestingStack({ port: await freePort(), env: { CARETAKER_TEST_MARKS: marks } });
});
afterAll(async () => {
  await stack?.stop();
});

async function expectJsonError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = v.parse(errorBody, await response.json());
  expect(body.error.code).toBe(code);
  return body.error.message;
}

describe("system overview through Caddy", () => {
  test("GET /api/system/overview answers 200 with the documented shape", async () => {
    const response = await stack.api("/api/system/overview");
    expect(response.status).toBe(200);
    const overview = await response.json();
    const schema = system.routes.find((entry) => entry.path === "/overview")!.response as v.GenericSchema;
    expect(() => v.parse(schema, overview)).not.toThrow();
    expect(overview.hostname).toBe(readFileSync("/proc/sys/kernel/hostname", "utf8").trim());
    expect(overview.systemd).toEqual({ available: false, reason: expect.stringContaining("systemd") });
  });

  test("the page and its API description are served", async () => {
    expect((await fetch(`${stack.url}/`)).headers.get("content-security-policy")).toContain("default-src 'self'");
    const openapi = await (await fetch(`${stack.url}/openapi.json`)).json();
    expect(openapi.paths["/api/system/overview"].get).toBeDefined();
  });
});

describe("errors are JSON", () => {
  test("an unknown route of a function is 404 from the function", async () => {
    const message = await expectJsonError(await fetch(`${stack.url}/api/system/nothing-here`), 404, "not_found");
    expect(message).toContain("/api/system/nothing-here");
  });

  test("an unknown function is 404 from Caddy", async () => {
    await expectJsonError(await fetch(`${stack.url}/api/nothing/here`), 404, "not_found");
  });

  test("a wrong method is 405 naming the allowed one", async () => {
    const response = await fetch(`${stack.url}/api/system/overview`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url },
      body: "{}",
    });
    expect(response.headers.get("allow")).toBe("GET");
    expect(await expectJsonError(response, 405, "method_not_allowed")).toContain("GET");
  });

  test("a body over the limit is 413 from Caddy", async () => {
    const response = await fetch(`${stack.url}/api/testing/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url },
      body: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }),
    });
    await expectJsonError(response, 413, "payload_too_large");
  });

  test("invalid input is 422 naming the field, and valid input passes", async () => {
    const post = (body: unknown) => stack.api("/api/testing/echo", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    expect(await expectJsonError(await post({ name: "" }), 422, "invalid_input")).toContain("body.name");
    expect(await (await post({ name: "ok", size: 3 })).json()).toEqual({ name: "ok", size: 3 });
  });

  test("a state-changing request from another origin is 403", async () => {
    const response = await fetch(`${stack.url}/api/testing/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ name: "x" }),
    });
    await expectJsonError(response, 403, "forbidden");
  });
});

describe("the runtime under load and hang-ups", () => {
  test("a streamed response arrives in pieces, as produced", async () => {
    const response = await stack.api("/api/testing/stream");
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const arrivals: number[] = [];
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arrivals.push(Date.now());
      text += new TextDecoder().decode(value);
    }
    expect(text.match(/^data: /gm)).toHaveLength(5);
    expect(arrivals.length).toBeGreaterThanOrEqual(4);
    // five events 150 ms apart: the first must not have waited for the last
    expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThan(400);
  });

  test("a client that hangs up ends its handler process", async () => {
    const before = new Set(functionProcesses().map((p) => p.pid));
    const req = request(`${stack.url}/api/testing/hold?ms=30000`, { headers: { authorization: `Bearer ${stack.admin!.token}` } });
    req.on("error", () => {});
    req.end();
    let pid = 0;
    // hang up once the handler holds the request (a client gone before that starts nothing: define.test.ts)
    expect(
      await waitUntil(() => {
        pid = functionProcesses().find((p) => !before.has(p.pid))?.pid ?? 0;
        return pid !== 0 && readFileSync(marks, "utf8").includes(`holding ${pid}\n`);
      }, 15_000),
    ).toBe(true);
    req.destroy();
    expect(await waitUntil(() => !functionProcesses().some((p) => p.pid === pid), 5000)).toBe(true);
    expect(readFileSync(marks, "utf8")).toContain(`aborted ${pid}`);
  });

  test("50 concurrent requests are all answered while concurrency stays capped", async () => {
    writeFileSync(marks, "");
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        stack.api("/api/testing/hold?ms=150").then(async (r) => ({ status: r.status, body: await r.json() })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(responses.map((r) => r.body.pid)).size).toBe(50);
    // each handler noted when it held the request: the most that overlapped is the concurrency
    const held = readFileSync(marks, "utf8").trim().split("\n").filter((line) => line.startsWith("held ")).map((line) => line.split(" ").slice(2).map(Number));
    expect(held).toHaveLength(50);
    // Caddy closing the connection after a complete answer is not a hang-up
    expect(readFileSync(marks, "utf8")).not.toContain("aborted");
    const peak = Math.max(...held.map(([start]) => held.filter(([s, e]) => s <= start && start < e).length));
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
  });

  test("no function process remains once requests have finished", async () => {
    expect(await waitUntil(() => functionProcesses().length === 0, 5000)).toBe(true);
  });
});
