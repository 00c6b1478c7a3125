// updateDyndns2(request, http) against a local dyndns2 server: every return-code class of the protocol.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startDyndns2Server } from "../../../test/dyndns/servers/dyndns2.ts";
import { text } from "../../../test/dyndns/servers/local-server.ts";
import { createHttp } from "./http.ts";
import { classifyDyndns2, fatalCodes, updateDyndns2 } from "./dyndns2.ts";
import { sendUpdate } from "./index.ts";
import type { UpdateRequest } from "./outcome.ts";

let server: Awaited<ReturnType<typeof startDyndns2Server>>;
beforeAll(async () => {
  server = await startDyndns2Server({ username: "owner", password: "s3cret", hosts: ["box.example.org"] });
});
afterAll(() => server.close());

const request = (changes: Partial<UpdateRequest> = {}): UpdateRequest => ({
  hostname: "box.example.org",
  provider: { kind: "dyndns2", server: "https://members.dyndns.org/nic/update", username: "owner" },
  secret: "s3cret",
  ipv4: "203.0.113.7",
  ipv6: "2001:db8::7",
  ...changes,
});

describe("updateDyndns2(request, http)", () => {
  test("good, then nochg for the same address; the request is the protocol's", async () => {
    const http = createHttp(server.origin);
    expect(await updateDyndns2(request(), http)).toMatchObject({ kind: "updated", code: "good" });
    expect(await updateDyndns2(request(), http)).toMatchObject({ kind: "unchanged", code: "nochg" });
    const [first] = server.seen;
    expect(first).toMatchObject({ method: "GET", path: "/nic/update", query: { hostname: "box.example.org", myip: "203.0.113.7,2001:db8::7" } });
    expect(first.authorization).toBe(`Basic ${Buffer.from("owner:s3cret").toString("base64")}`);
    expect(first.userAgent).toMatch(/^caretaker - dyndns - /);
  });

  test("badauth, nohost and notfqdn stop updates", async () => {
    const http = createHttp(server.origin);
    expect(await updateDyndns2(request({ secret: "wrong" }), http)).toMatchObject({ kind: "stopped", code: "badauth" });
    expect(await updateDyndns2(request({ hostname: "other.example.org" }), http)).toMatchObject({ kind: "stopped", code: "nohost" });
    expect(await updateDyndns2(request({ hostname: "localhost" }), http)).toMatchObject({ kind: "stopped", code: "notfqdn" });
  });

  test.each(["abuse", "!donator", "numhost", "dnserr", "badagent", "!yours"])("%s (forced by the server) stops updates", async (code) => {
    server.force(text(200, code));
    const outcome = await updateDyndns2(request(), createHttp(server.origin));
    expect(outcome).toMatchObject({ kind: "stopped", code });
    expect(outcome.message).toContain(fatalCodes[code]);
  });

  test("\"good 127.0.0.1\" (an agent the provider ignores) stops updates; caretaker's own agent is accepted", async () => {
    const http = createHttp(server.origin);
    const foreignAgent: typeof http = (url, init = {}) => http(url, { ...init, headers: { ...init.headers, "user-agent": "curl/8.11" } });
    expect(await updateDyndns2(request(), foreignAgent)).toMatchObject({ kind: "stopped", code: "badagent", message: expect.stringContaining("good 127.0.0.1") });
    expect(await updateDyndns2(request({ ipv4: "203.0.113.9" }), http)).toMatchObject({ kind: "updated", code: "good" });
  });

  test("911 is retried, no sooner than 30 minutes", async () => {
    server.force(text(200, "911"));
    expect(await updateDyndns2(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", code: "911", retryAfterSeconds: 1800 });
  });

  test("a server error and no server at all are retried", async () => {
    server.force(text(503, "Service Unavailable", { "retry-after": "120" }));
    expect(await updateDyndns2(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", code: "http-503", retryAfterSeconds: 120 });
    const closed = await startDyndns2Server({ username: "x", password: "y", hosts: [] });
    await closed.close();
    expect(await sendUpdate(request(), createHttp(closed.origin))).toMatchObject({ kind: "retry", code: "network" });
  });
});

describe("classifyDyndns2(status, headers, body)", () => {
  const headers = new Headers();
  test("HTTP 401 is badauth; a wait code is a retry after that time", () => {
    expect(classifyDyndns2(401, headers, "")).toMatchObject({ kind: "stopped", code: "badauth" });
    expect(classifyDyndns2(200, headers, "w5m")).toMatchObject({ kind: "retry", retryAfterSeconds: 300 });
  });
  test("the status comes first (ddclient's header_ok); a 4xx keeps the protocol's word", () => {
    expect(classifyDyndns2(503, headers, "badauth")).toMatchObject({ kind: "retry", code: "http-503" });
    expect(classifyDyndns2(404, headers, "nohost")).toMatchObject({ kind: "stopped", code: "nohost" });
    expect(classifyDyndns2(403, headers, "<html>Forbidden</html>")).toMatchObject({ kind: "stopped", code: "http-403" });
  });
  test("good 127.0.0.1 is an update only when 127.0.0.1 was asked for", () => {
    expect(classifyDyndns2(200, headers, "good 127.0.0.1", ["127.0.0.1", null])).toMatchObject({ kind: "updated" });
    expect(classifyDyndns2(200, headers, "good 127.0.0.1", ["203.0.113.7", null])).toMatchObject({ kind: "stopped", code: "badagent" });
  });
  test("an unknown answer (a captive portal's page) is retried, not trusted", () => {
    expect(classifyDyndns2(200, headers, "<html>Login</html>")).toMatchObject({ kind: "retry", code: "unexpected" });
  });
});
