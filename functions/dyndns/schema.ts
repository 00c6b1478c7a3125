// The DynDNS settings and status schemas (request, response and state files) and their inferred types.
import * as v from "valibot";

/** A DNS name with at least two labels, as every provider wants it (no trailing dot, no wildcard). */
const fqdn = (what: string) =>
  v.pipe(
    v.string(),
    v.toLowerCase(),
    v.maxLength(253),
    v.regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, "must be a fully qualified name such as box.example.org"),
    v.description(what),
  );

/** Only https: the address the box gets and the credential it sends must not cross the network in clear. */
const httpsUrl = (what: string) =>
  v.pipe(v.string(), v.maxLength(512), v.url(), v.startsWith("https://", "must start with https://"), v.description(what));

export const providerKinds = ["dyndns2", "desec", "duckdns", "cloudflare", "dynv6"] as const;
export type ProviderKind = (typeof providerKinds)[number];

export const ProviderSchema = v.pipe(
  v.variant("kind", [
    v.strictObject({
      kind: v.literal("dyndns2"),
      server: httpsUrl("the provider's update URL, e.g. https://members.dyndns.org/nic/update"),
      username: v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.regex(/^[^\s:]+$/, "must not contain spaces or colons")),
    }),
    v.strictObject({ kind: v.literal("desec") }),
    v.strictObject({ kind: v.literal("duckdns") }),
    v.strictObject({ kind: v.literal("cloudflare"), zone: fqdn("the Cloudflare zone that holds the record, e.g. example.org") }),
    v.strictObject({ kind: v.literal("dynv6") }),
  ]),
  v.description("who serves the name; the password or token is the separate `secret` and is never returned"),
);

export const SettingsInputSchema = v.strictObject({
  enabled: v.pipe(v.boolean(), v.description("false pauses the timer's updates without forgetting anything")),
  hostname: fqdn("the name that must point at this box, e.g. box.dedyn.io"),
  provider: ProviderSchema,
  secret: v.pipe(
    v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(512), v.regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"))),
    v.description("password or API token; leave out to keep the stored one. Stored for the update job only, never returned"),
  ),
  ipv4: v.strictObject({
    enabled: v.pipe(v.boolean(), v.description("keep the A record up to date")),
    lookupUrl: httpsUrl("a service that answers this box's public IPv4 address as plain text, e.g. https://ipv4.icanhazip.com"),
  }),
  ipv6: v.strictObject({
    enabled: v.pipe(v.boolean(), v.description("keep the AAAA record up to date with this box's own global address")),
  }),
});

export const SettingsSchema = v.strictObject({
  configured: v.pipe(v.boolean(), v.description("false until settings were saved once; the fields then hold the defaults")),
  revision: v.pipe(v.number(), v.integer(), v.minValue(0), v.description("counts saves; a stop caused by a provider's refusal lasts until it changes")),
  enabled: v.boolean(),
  hostname: v.string(),
  provider: ProviderSchema,
  secretSet: v.pipe(v.boolean(), v.description("whether a password or token is stored (it is never shown)")),
  ipv4: v.strictObject({ enabled: v.boolean(), lookupUrl: v.string() }),
  ipv6: v.strictObject({ enabled: v.boolean() }),
});

const timestamp = (what: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(what));
const address = (what: string) => v.pipe(v.nullable(v.string()), v.description(what));

export const RecordSchema = v.strictObject({
  ipv4: address("the A record as caretaker last set or confirmed it; null when not managed or not yet set"),
  ipv6: address("the AAAA record as caretaker last set or confirmed it"),
  confirmedAt: v.pipe(v.nullable(timestamp("")), v.description("when the provider last accepted these addresses")),
});

export const outcomeKinds = ["updated", "unchanged", "skipped", "retry", "stopped"] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];

export const HistoryEntrySchema = v.strictObject({
  at: timestamp("when the provider was asked (or, for skipped, when the check ran)"),
  outcome: v.pipe(v.picklist(outcomeKinds), v.description("updated/unchanged: success; retry: temporary failure; stopped: the provider refused, updates wait for new settings")),
  code: v.pipe(v.string(), v.description("the provider's own answer, e.g. good, nochg, badauth, 911, http-401, network")),
  message: v.pipe(v.string(), v.description("what happened, in plain words")),
  ipv4: v.nullable(v.string()),
  ipv6: v.nullable(v.string()),
});

/** What the update job keeps between runs (status.json in the state directory). */
export const JobRecordSchema = v.strictObject({
  revision: v.pipe(v.number(), v.integer(), v.description("the settings revision the record belongs to")),
  lastCheck: v.nullable(v.string()),
  lastAttempt: v.nullable(v.string()),
  lastSuccess: v.nullable(v.string()),
  record: RecordSchema,
  failures: v.pipe(v.number(), v.integer(), v.minValue(0)),
  retryAt: v.nullable(v.string()),
  retryRevision: v.pipe(v.nullable(v.number()), v.description("the settings revision the backoff belongs to: new settings end it")),
  stopped: v.nullable(v.strictObject({ revision: v.number(), code: v.string(), message: v.string() })),
  lastError: v.nullable(v.strictObject({ at: v.string(), code: v.string(), message: v.string() })),
  history: v.array(HistoryEntrySchema),
});

export const JobStateSchema = v.pipe(
  v.strictObject({
    unit: v.pipe(v.string(), v.description("caretaker-dyndns-update.service")),
    state: v.picklist(["never-run", "running", "succeeded", "failed"]),
    startedAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
    finishedAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
    exitCode: v.optional(v.number()),
  }),
  v.description("the update job's unit: a failed run is a crash, not a refused update (that is in the status)"),
);

export const EmptyBodySchema = v.pipe(v.strictObject({}), v.description("an empty JSON object"));

export const StatusSchema = v.strictObject({
  state: v.pipe(
    v.picklist(["not-configured", "paused", "waiting", "ok", "retrying", "stopped"]),
    v.description("waiting: configured, no update yet; retrying: a temporary failure, retried with backoff; stopped: the provider refused and updates wait for changed settings"),
  ),
  hostname: v.nullable(v.string()),
  provider: v.nullable(v.picklist(providerKinds)),
  record: RecordSchema,
  lastCheck: v.pipe(v.nullable(v.string()), v.description("when the job last looked at the addresses (ISO 8601)")),
  lastAttempt: v.pipe(v.nullable(v.string()), v.description("when the job last asked the provider")),
  lastSuccess: v.pipe(v.nullable(v.string()), v.description("when the provider last accepted an update")),
  retryAt: v.pipe(v.nullable(v.string()), v.description("no request to the provider before this time (backoff or the provider's rate limit)")),
  error: v.pipe(v.nullable(v.strictObject({ at: v.string(), code: v.string(), message: v.string() })), v.description("the last failure in plain words; null after a success")),
  schedule: v.pipe(
    v.variant("timer", [
      v.strictObject({ timer: v.literal(true), nextRun: v.pipe(v.nullable(v.string()), v.description("next elapse of caretaker-dyndns-update.timer; null if it is not active")) }),
      v.strictObject({ timer: v.literal(false), reason: v.string() }),
    ]),
    v.description("when the timer runs the update next"),
  ),
  job: JobStateSchema,
  history: v.pipe(v.array(HistoryEntrySchema), v.description("the last attempts, newest first (at most 50)")),
});

export type SettingsInput = v.InferOutput<typeof SettingsInputSchema>;
export type Settings = v.InferOutput<typeof SettingsSchema>;
export type Provider = v.InferOutput<typeof ProviderSchema>;
export type JobRecord = v.InferOutput<typeof JobRecordSchema>;
export type HistoryEntry = v.InferOutput<typeof HistoryEntrySchema>;
export type Status = v.InferOutput<typeof StatusSchema>;
export type JobStateBody = Status["job"];
