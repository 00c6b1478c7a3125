// updateDuckdns(request, http) against a local DuckDNS endpoint: OK/UPDATED, OK/NOCHANGE and KO.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startDuckdnsServer } from "../../../test/dyndns/servers/duckdns.ts";
import { text } from "../../../test/dyndns/servers/local-server.ts";
import { updateDuckdns } from "./duckdns.ts";
import { createHttp } from "./http.ts";
import type { UpdateRequest } from "./outcome.ts";

let server: Awaited<ReturnType<typeof startDuckdnsServer>>;
beforeAll(async () => {
  server = await startDuckdnsServer("mybox", "a7c4d0ad-114e-40ef-ba1d-d217904a50f2");
});
afterAll(() => server.close());

const request = (changes: Partial<UpdateRequest> = {}): UpdateRequest => ({
  hostname: "mybox.duckdns.org", provider: { kind: "duckdns" }, secret: "a7c4d0ad-114e-40ef-ba1d-d217904a50f2", ipv4: "203.0.113.7", ipv6: "2001:db8::7", ...changes,
});

test("OK with UPDATED, then NOCHANGE; the domain is sent without .duckdns.org", async () => {
  const http = createHttp(server.origin);
  expect(await updateDuckdns(request(), http)).toMatchObject({ kind: "updated", code: "OK" });
  expect(await updateDuckdns(request(), http)).toMatchObject({ kind: "unchanged", code: "OK" });
  expect(server.seen[0]).toMatchObject({ path: "/update", query: { domains: "mybox", ip: "203.0.113.7", ipv6: "2001:db8::7", verbose: "true" } });
});

test("an IPv6-only update sends no ip=, so DuckDNS does not put the connection's IPv4 in the A record", async () => {
  const http = createHttp(server.origin);
  expect(await updateDuckdns(request({ ipv4: null, ipv6: "2001:db8::8" }), http)).toMatchObject({ kind: "updated" });
  expect(server.seen.at(-1)!.query).not.toHaveProperty("ip");
  expect(server.records).toEqual({ ip: "203.0.113.7", ipv6: "2001:db8::8" });
});

test("KO (wrong token or domain) stops updates", async () => {
  expect(await updateDuckdns(request({ secret: "wrong" }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "KO" });
});

test("an outage is retried", async () => {
  server.force(text(502, "Bad Gateway"));
  expect(await updateDuckdns(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", code: "http-502" });
});
