// The one test seam of the update job, CARETAKER_DYNDNS_TEST (JSON): local origins that stand in for
// the providers and the IPv4 lookup, and a stand-in for /proc/net/if_inet6 (this build host has no
// global IPv6). No unit sets it; an origin must be loopback, so even a stray value cannot send the
// box's secret anywhere else.
import * as v from "valibot";

const loopbackOrigin = v.pipe(v.string(), v.regex(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/, "must be http://127.0.0.1:<port>"));

const TestSeamSchema = v.strictObject({
  servers: v.optional(v.record(v.picklist(["dyndns2", "desec", "duckdns", "cloudflare", "dynv6", "lookup"]), loopbackOrigin), {}),
  ifInet6: v.optional(v.pipe(v.string(), v.startsWith("/"))),
});

export type TestSeam = v.InferOutput<typeof TestSeamSchema>;

export function testSeam(env: NodeJS.ProcessEnv = process.env): TestSeam {
  const raw = env.CARETAKER_DYNDNS_TEST;
  if (!raw) return { servers: {} };
  return v.parse(TestSeamSchema, JSON.parse(raw));
}
