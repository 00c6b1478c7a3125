// updateCloudflare(request, http) against a local Cloudflare API v4: lookups, PATCH, and its refusals.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startCloudflareServer } from "../../../test/dyndns/servers/cloudflare.ts";
import { json } from "../../../test/dyndns/servers/local-server.ts";
import { updateCloudflare } from "./cloudflare.ts";
import { createHttp } from "./http.ts";
import type { UpdateRequest } from "./outcome.ts";

// API tokens are 40 characters of [A-Za-z0-9_-]
const token = "Yx1sQ7cT0pLr9vN3bZ8wKe2uJh6dFg4Ai5Mo0Rt_";
const readOnly = "rO7nLy3kT9pQw2Xz5cV8bN1mA4sD6fG0hJ-kL3qW";
let server: Awaited<ReturnType<typeof startCloudflareServer>>;
beforeAll(async () => {
  server = await startCloudflareServer("example.org", token, [
    { id: "rec-a", type: "A", name: "box.example.org", content: "198.51.100.1" },
    { id: "rec-aaaa", type: "AAAA", name: "box.example.org", content: "2001:db8::7" },
  ], readOnly);
});
afterAll(() => server.close());

const request = (changes: Partial<UpdateRequest> = {}): UpdateRequest => ({
  hostname: "box.example.org", provider: { kind: "cloudflare", zone: "example.org" }, secret: token, ipv4: "203.0.113.7", ipv6: "2001:db8::7", ...changes,
});

test("patches the A record that changed and leaves the AAAA record that did not", async () => {
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "updated", code: "success" });
  expect(server.records.map((record) => record.content)).toEqual(["203.0.113.7", "2001:db8::7"]);
  const patches = server.seen.filter((seen) => seen.method === "PATCH");
  expect(patches).toEqual([expect.objectContaining({ path: "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records/rec-a", body: '{"content":"203.0.113.7"}', authorization: `Bearer ${token}` })]);
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "unchanged" });
});

test("a malformed, an unknown and a read-only token stop updates, naming Cloudflare's error", async () => {
  const malformed = await updateCloudflare(request({ secret: "not/a=token" }), createHttp(server.origin));
  expect(malformed).toMatchObject({ kind: "stopped", code: "http-400" });
  expect(malformed.message).toContain("Invalid request headers (6003): Invalid format for Authorization header (6111)");
  const unknown = await updateCloudflare(request({ secret: token.replace("Y", "Z") }), createHttp(server.origin));
  expect(unknown).toMatchObject({ kind: "stopped", code: "http-403", message: expect.stringContaining("Invalid access token (9109)") });
  const before = server.records.map((record) => record.content);
  const readOnlyAnswer = await updateCloudflare(request({ secret: readOnly, ipv4: "203.0.113.99" }), createHttp(server.origin));
  expect(readOnlyAnswer).toMatchObject({ kind: "stopped", code: "http-403", message: expect.stringContaining("Authentication error (10000)") });
  expect(server.records.map((record) => record.content)).toEqual(before);
});

test("an unknown zone and a missing record stop updates", async () => {
  expect(await updateCloudflare(request({ provider: { kind: "cloudflare", zone: "example.net" } }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "no-zone" });
  expect(await updateCloudflare(request({ hostname: "new.example.org" }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "no-record" });
});

test("success=false is a refusal; 429 waits Retry-After or Cloudflare's 5-minute block; 5xx is retried", async () => {
  server.force(json(200, { success: false, errors: [{ code: 1004, message: "DNS Validation Error" }], messages: [], result: null }));
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "api-error", message: expect.stringContaining("DNS Validation Error") });
  server.force(json(429, { success: false, errors: [{ code: 971, message: "Please wait and consider throttling your request speed" }] }, { "retry-after": "30" }));
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", retryAfterSeconds: 30 });
  server.force(json(429, { success: false, errors: [{ code: 10429, message: "Rate limited" }] }));
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", code: "http-429", retryAfterSeconds: 300 });
  server.force(json(503, { success: false, errors: [] }));
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", code: "http-503" });
});
