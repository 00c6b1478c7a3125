// updateCloudflare(request, http) against a local Cloudflare API v4: lookups, PATCH, and its refusals.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startCloudflareServer } from "../../../test/dyndns/servers/cloudflare.ts";
import { json } from "../../../test/dyndns/servers/local-server.ts";
import { updateCloudflare } from "./cloudflare.ts";
import { createHttp } from "./http.ts";
import type { UpdateRequest } from "./outcome.ts";

let server: Awaited<ReturnType<typeof startCloudflareServer>>;
beforeAll(async () => {
  server = await startCloudflareServer("example.org", "cf-token", [
    { id: "rec-a", type: "A", name: "box.example.org", content: "198.51.100.1" },
    { id: "rec-aaaa", type: "AAAA", name: "box.example.org", content: "2001:db8::7" },
  ]);
});
afterAll(() => server.close());

const request = (changes: Partial<UpdateRequest> = {}): UpdateRequest => ({
  hostname: "box.example.org", provider: { kind: "cloudflare", zone: "example.org" }, secret: "cf-token", ipv4: "203.0.113.7", ipv6: "2001:db8::7", ...changes,
});

test("patches the A record that changed and leaves the AAAA record that did not", async () => {
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "updated", code: "success" });
  expect(server.records.map((record) => record.content)).toEqual(["203.0.113.7", "2001:db8::7"]);
  const patches = server.seen.filter((seen) => seen.method === "PATCH");
  expect(patches).toEqual([expect.objectContaining({ path: "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records/rec-a", body: '{"content":"203.0.113.7"}', authorization: "Bearer cf-token" })]);
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "unchanged" });
});

test("a refused token, an unknown zone and a missing record stop updates", async () => {
  expect(await updateCloudflare(request({ secret: "bad" }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "http-403" });
  expect(await updateCloudflare(request({ provider: { kind: "cloudflare", zone: "example.net" } }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "no-zone" });
  expect(await updateCloudflare(request({ hostname: "new.example.org" }), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "no-record" });
});

test("success=false is a refusal; 429 and 5xx are retried", async () => {
  server.force(json(200, { success: false, errors: [{ code: 1004, message: "DNS Validation Error" }], messages: [], result: null }));
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "stopped", code: "api-error", message: expect.stringContaining("DNS Validation Error") });
  server.force(json(429, { success: false, errors: [{ code: 971, message: "Please wait and consider throttling your request speed" }] }, { "retry-after": "30" }));
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", retryAfterSeconds: 30 });
  server.force(json(503, { success: false, errors: [] }));
  expect(await updateCloudflare(request(), createHttp(server.origin))).toMatchObject({ kind: "retry", code: "http-503" });
});
