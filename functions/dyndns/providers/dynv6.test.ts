// updateDynv6(request, http) against a local dynv6 endpoint: updated, unchanged, 401, 404 and 5xx.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startDynv6Server } from "../../../test/dyndns/servers/dynv6.ts";
import { text } from "../../../test/dyndns/servers/local-server.ts";
import { updateDynv6 } from "./dynv6.ts";
import { createHttp } from "./http.ts";
import type { UpdateRequest } from "./outcome.ts";

let server: Awaited<ReturnType<typeof startDynv6Server>>;
beforeAll(async () => {
  server = await startDynv6Server("mybox.dynv6.net", "tok");
});
afterAll(() => server.close());

const request = (changes: Partial<UpdateRequest> = {}): UpdateRequest => ({
  hostname: "mybox.dynv6.net", provider: { kind: "dynv6" }, secret: "tok", ipv4: null, ipv6: "2001:db8::7", ...changes,
});

test("addresses updated, then addresses unchanged; a family left out is not sent", async () => {
  const http = createHttp(server.origin);
  expect(await updateDynv6(request(), http)).toMatchObject({ kind: "updated" });
  expect(await updateDynv6(request(), http)).toMatchObject({ kind: "unchanged" });
  expect(server.seen[0]).toMatchObject({ path: "/api/update", query: { hostname: "mybox.dynv6.net", token: "tok", ipv6: "2001:db8::7" } });
  expect(server.seen[0].query).not.toHaveProperty("ipv4");
});

test("a wrong token (401) and an unknown zone (404) stop updates", async () => {
  expect(await updateDynv6(request({ secret: "nope" }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "http-401" });
  expect(await updateDynv6(request({ hostname: "other.dynv6.net" }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "http-404" });
});

test("a server error is retried", async () => {
  server.force(text(500, "internal error"));
  expect(await updateDynv6(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", code: "http-500" });
});
