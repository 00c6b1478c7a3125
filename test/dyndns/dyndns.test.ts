// The dyndns function and its update job end to end: real bundles under the dev stack behind Caddy,
// the job spawned as in dev mode, and local servers that speak each provider's protocol.
import { join } from "node:path";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { SettingsSchema, StatusSchema, type SettingsInput, type Status } from "../../functions/dyndns/schema.ts";
import { freePort } from "../support/processes.mjs";
import { startCloudflareServer } from "./servers/cloudflare.ts";
import { startDesecServer } from "./servers/desec.ts";
import { startDuckdnsServer } from "./servers/duckdns.ts";
import { startDyndns2Server } from "./servers/dyndns2.ts";
import { startDynv6Server } from "./servers/dynv6.ts";
import { text, type LocalServer } from "./servers/local-server.ts";
import { startLookupServer } from "./servers/lookup.ts";

type Api = (path: string, init?: { method?: string; body?: unknown }) => Promise<Response>;
let stack: { api: Api; stop(): Promise<void> };
let lookup: Awaited<ReturnType<typeof startLookupServer>>;
let dyndns2: Awaited<ReturnType<typeof startDyndns2Server>>;
let desec: Awaited<ReturnType<typeof startDesecServer>>;
let duckdns: Awaited<ReturnType<typeof startDuckdnsServer>>;
let cloudflare: Awaited<ReturnType<typeof startCloudflareServer>>;
let dynv6: Awaited<ReturnType<typeof startDynv6Server>>;
const servers = () => [lookup, dyndns2, desec, duckdns, cloudflare, dynv6] as LocalServer[];
// a home box: a stable, a temporary and a deprecated global address (this host has no global IPv6)
const ifInet6 = join(root, "functions/dyndns/fixtures/if_inet6-home.txt");
const stableIpv6 = "2a01:4b8:abcd:12:211:22ff:fe33:4455";

beforeAll(async () => {
  [lookup, dyndns2, desec, duckdns, cloudflare, dynv6] = await Promise.all([
    startLookupServer("203.0.113.7"),
    startDyndns2Server({ username: "owner", password: "dyn-password", hosts: ["box.example.org"] }),
    startDesecServer("box.dedyn.io", "desec-token"),
    startDuckdnsServer("mybox", "duck-token"),
    startCloudflareServer("example.org", "cf-token", [
      { id: "a1", type: "A", name: "box.example.org", content: "198.51.100.1" },
      { id: "aaaa1", type: "AAAA", name: "box.example.org", content: "2001:db8::1" },
    ]),
    startDynv6Server("mybox.dynv6.net", "dynv6-token"),
  ]);
  const seam = { servers: { lookup: lookup.origin, dyndns2: dyndns2.origin, desec: desec.origin, duckdns: duckdns.origin, cloudflare: cloudflare.origin, dynv6: dynv6.origin }, ifInet6 };
  stack = await startStack({ port: await freePort(), env: { CARETAKER_DYNDNS_TEST: JSON.stringify(seam) }, setUp: true });
});
afterAll(async () => {
  await stack?.stop();
  await Promise.all(servers().map((server) => server?.close()));
});
beforeEach(async () => {
  expect((await stack.api("/api/dyndns/settings", { method: "DELETE", body: {} })).status).toBe(200);
  lookup.address.current = "203.0.113.7";
});

const settings = (changes: Partial<SettingsInput> = {}): SettingsInput => ({
  enabled: true,
  hostname: "box.dedyn.io",
  provider: { kind: "desec" },
  secret: "desec-token",
  ipv4: { enabled: true, lookupUrl: "https://ipv4.icanhazip.com" },
  ipv6: { enabled: true },
  ...changes,
});

async function save(body: SettingsInput) {
  const response = await stack.api("/api/dyndns/settings", { method: "PUT", body });
  expect(response.status, await response.clone().text()).toBe(200);
  return v.parse(SettingsSchema, await response.json());
}

async function status(): Promise<Status> {
  const response = await stack.api("/api/dyndns/status");
  expect(response.status).toBe(200);
  return v.parse(StatusSchema, await response.json());
}

/** "Check now", then wait for the job to finish, as the page does. */
async function runJob(): Promise<Status> {
  const started = await stack.api("/api/dyndns/run", { method: "POST", body: {} });
  expect(started.status, await started.clone().text()).toBe(200);
  for (let tries = 0; tries < 200; tries++) {
    const current = await status();
    if (current.job.state !== "running") {
      expect(current.job.state).toBe("succeeded");
      return current;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the update job did not finish");
}

const providerRequests = (server: LocalServer) => server.seen.length;

describe("settings", () => {
  test("a fresh box is not configured; the secret is stored but never returned", async () => {
    expect(await status()).toMatchObject({ state: "not-configured", history: [], schedule: { timer: false } });
    const saved = await save(settings());
    expect(saved).toMatchObject({ configured: true, secretSet: true, hostname: "box.dedyn.io" });
    const read = await (await stack.api("/api/dyndns/settings")).text();
    expect(read).not.toContain("desec-token");
  });

  test("invalid input is a 422 that names the field, and changes nothing", async () => {
    await save(settings());
    const response = await stack.api("/api/dyndns/settings", { method: "PUT", body: { ...settings(), ipv4: { enabled: true, lookupUrl: "http://example.org" } } });
    expect(response.status).toBe(422);
    expect((await response.json()).error.message).toContain("body.ipv4.lookupUrl");
    expect(await (await stack.api("/api/dyndns/settings")).json()).toMatchObject({ revision: 1 });
  });
});

describe("the update job", () => {
  test("sends the stable IPv6 and the looked-up IPv4 once, and nothing while they stay the same", async () => {
    await save(settings());
    const before = providerRequests(desec);
    const first = await runJob();
    expect(first).toMatchObject({ state: "ok", error: null, record: { ipv4: "203.0.113.7", ipv6: stableIpv6 } });
    expect(first.history[0]).toMatchObject({ outcome: "updated", code: "good" });
    expect(desec.records).toEqual({ A: "203.0.113.7", AAAA: stableIpv6 });
    expect(providerRequests(desec)).toBe(before + 1);

    const second = await runJob();
    expect(providerRequests(desec)).toBe(before + 1);
    expect(second.history).toHaveLength(1);
    expect(Date.parse(second.lastCheck!)).toBeGreaterThan(Date.parse(first.lastCheck!));

    lookup.address.current = "203.0.113.99";
    const third = await runJob();
    expect(providerRequests(desec)).toBe(before + 2);
    expect(third.record.ipv4).toBe("203.0.113.99");
  });

  test("a fatal answer (dyndns2 badauth) stops the updates until the settings change", async () => {
    await save(settings({ hostname: "box.example.org", provider: { kind: "dyndns2", server: "https://members.dyndns.org/nic/update", username: "owner" }, secret: "wrong" }));
    const stopped = await runJob();
    expect(stopped).toMatchObject({ state: "stopped", error: { code: "badauth" } });
    expect(stopped.error!.message).toMatch(/user name or password was refused/);
    const asked = providerRequests(dyndns2);
    lookup.address.current = "203.0.113.50"; // even a new address is not sent
    expect(await runJob()).toMatchObject({ state: "stopped" });
    expect(providerRequests(dyndns2)).toBe(asked);

    await save(settings({ hostname: "box.example.org", provider: { kind: "dyndns2", server: "https://members.dyndns.org/nic/update", username: "owner" }, secret: "dyn-password" }));
    const resumed = await runJob();
    expect(resumed).toMatchObject({ state: "ok", record: { ipv4: "203.0.113.50" } });
    expect(resumed.history.map((entry) => entry.code)).toEqual(["good", "badauth"]);
    expect(dyndns2.seen.at(-1)!.query).toEqual({ hostname: "box.example.org", myip: `203.0.113.50,${stableIpv6}` });
  });

  test("911 is retried later with backoff: the next run sends nothing", async () => {
    await save(settings({ hostname: "box.example.org", provider: { kind: "dyndns2", server: "https://members.dyndns.org/nic/update", username: "owner" }, secret: "dyn-password" }));
    dyndns2.force(text(200, "911"));
    const failed = await runJob();
    expect(failed).toMatchObject({ state: "retrying", error: { code: "911" } });
    expect(Date.parse(failed.retryAt!) - Date.parse(failed.lastAttempt!)).toBe(30 * 60 * 1000);
    const asked = providerRequests(dyndns2);
    expect(await runJob()).toMatchObject({ state: "retrying" });
    expect(providerRequests(dyndns2)).toBe(asked);
  });

  test("a provider's outage (HTTP 503) is a retry, not a stop", async () => {
    await save(settings({ hostname: "mybox.dynv6.net", provider: { kind: "dynv6" }, secret: "dynv6-token" }));
    dynv6.force(text(503, "Service Unavailable"));
    expect(await runJob()).toMatchObject({ state: "retrying", error: { code: "http-503" } });
  });

  test.each([
    ["duckdns", { hostname: "mybox.duckdns.org", provider: { kind: "duckdns" }, secret: "duck-token" }, "OK", "KO"],
    ["cloudflare", { hostname: "box.example.org", provider: { kind: "cloudflare", zone: "example.org" }, secret: "cf-token" }, "success", "http-403"],
    ["dynv6", { hostname: "mybox.dynv6.net", provider: { kind: "dynv6" }, secret: "dynv6-token" }, "updated", "http-401"],
  ] as const)("%s: an update, then its refusal of a wrong token stops", async (_, changes, okCode, fatalCode) => {
    await save(settings(changes as Partial<SettingsInput>));
    expect(await runJob()).toMatchObject({ state: "ok", history: [{ outcome: "updated", code: okCode }] });
    await save(settings({ ...(changes as Partial<SettingsInput>), secret: "not-the-token" }));
    lookup.address.current = "203.0.113.8";
    expect(await runJob()).toMatchObject({ state: "stopped", error: { code: fatalCode } });
  });

  test("the job never writes the secret into the status or the history", async () => {
    await save(settings({ secret: "wrong-desec-token" }));
    const after = await runJob();
    expect(JSON.stringify(after)).not.toContain("wrong-desec-token");
    expect(after).toMatchObject({ state: "stopped", error: { code: "badauth" } });
  });
});
