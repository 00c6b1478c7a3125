// updateDesec(request, http) against a local deSEC update endpoint: preserve, 401 and throttling.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startDesecServer } from "../../../test/dyndns/servers/desec.ts";
import { text } from "../../../test/dyndns/servers/local-server.ts";
import { updateDesec } from "./desec.ts";
import { createHttp } from "./http.ts";
import type { UpdateRequest } from "./outcome.ts";

let server: Awaited<ReturnType<typeof startDesecServer>>;
beforeAll(async () => {
  server = await startDesecServer("box.dedyn.io", "token-1");
});
afterAll(() => server.close());

const request = (changes: Partial<UpdateRequest> = {}): UpdateRequest => ({
  hostname: "box.dedyn.io", provider: { kind: "desec" }, secret: "token-1", ipv4: "203.0.113.7", ipv6: null, ...changes,
});

test("good sets the A record and keeps the AAAA record with myipv6=preserve", async () => {
  server.records.AAAA = "2001:db8::1";
  expect(await updateDesec(request(), createHttp(server.origin))).toMatchObject({ kind: "updated", code: "good" });
  expect(server.records).toEqual({ A: "203.0.113.7", AAAA: "2001:db8::1" });
  expect(server.seen.at(-1)).toMatchObject({ path: "/nic/update", query: { hostname: "box.dedyn.io", myipv4: "203.0.113.7", myipv6: "preserve" } });
});

test("a refused token (401) and a name the token does not own (404 nohost) stop updates", async () => {
  expect(await updateDesec(request({ secret: "wrong" }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "badauth", message: expect.stringContaining("HTTP 401") });
  server.force(text(404, "nohost"));
  expect(await updateDesec(request(), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "nohost", message: expect.stringContaining("HTTP 404 nohost") });
});

test("throttling (429, plain text) is retried after Retry-After", async () => {
  server.force(text(429, "Request was throttled. Expected available in 57 seconds.", { "retry-after": "57" }));
  const outcome = await updateDesec(request(), createHttp(server.origin));
  expect(outcome).toMatchObject({ kind: "retry", code: "http-429", retryAfterSeconds: 57 });
  expect(outcome.message).toContain("Expected available in 57 seconds");
});
