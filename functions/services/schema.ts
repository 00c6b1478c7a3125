// The services function's request and response schemas (valibot) and their inferred types.
import * as v from "valibot";
import { AllowListSchema, UnitNameSchema } from "./unit-name.ts";

const iso = (what: string) => v.pipe(v.nullable(v.pipe(v.string(), v.isoTimestamp())), v.description(what));
const count = (what: string) => v.pipe(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))), v.description(what));

export const actions = ["start", "stop", "restart", "enable", "disable"] as const;
export type Action = (typeof actions)[number];

const Unavailable = {
  available: v.pipe(v.boolean(), v.description("false when systemd is not PID 1 (dev mode) or did not answer; `reason` says which")),
  reason: v.optional(v.string()),
};

export const UnitSchema = v.strictObject({
  name: v.string(),
  description: v.string(),
  group: v.pipe(v.picklist(["caretaker", "front", "apps", "containers"]), v.description("caretaker's own units, Caddy, the box's apps (well-known ones and the allow-list), Docker containers")),
  kind: v.pipe(v.picklist(["service", "socket", "timer", "template", "scope"]), v.description("template: a unit file with instances (caretaker-<fn>@.service), listed with its file state only")),
  load: v.pipe(v.string(), v.description("loaded, not-found, masked…")),
  active: v.pipe(v.string(), v.description("active, inactive, failed, activating…")),
  sub: v.pipe(v.string(), v.description("running, exited, listening, waiting, dead…")),
  enabled: v.pipe(v.string(), v.description("the unit file state: enabled, disabled, static, indirect… or \"\" when there is no file")),
  since: iso("when the unit last became active (ActiveEnterTimestamp); null if it never did"),
  memoryBytes: count("memory the unit's cgroup holds now (MemoryCurrent); null without memory accounting"),
  cpuNanoseconds: count("CPU time used since it started (CPUUsageNSec); null without CPU accounting"),
  restarts: count("automatic restarts since it was started by hand (NRestarts); null for units that are not services"),
  instances: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("templates: how many instances are loaded now"))),
  allowed: v.pipe(v.boolean(), v.description("on the owner's allow-list")),
  actions: v.pipe(v.array(v.picklist(actions)), v.description("what may be done to it from here")),
});
export type Unit = v.InferOutput<typeof UnitSchema>;

export const UnitsSchema = v.strictObject({
  ...Unavailable,
  units: v.array(UnitSchema),
  containers: v.pipe(
    v.strictObject({ present: v.boolean(), note: v.string() }),
    v.description("Docker: whether containers run (each is a docker-<id>.scope unit) and what caretaker can and cannot see of them"),
  ),
});
export type Units = v.InferOutput<typeof UnitsSchema>;

export const TimerSchema = v.strictObject({
  name: v.string(),
  description: v.string(),
  unit: v.pipe(v.string(), v.description("the unit it starts (ACTIVATES in systemctl list-timers)")),
  active: v.string(),
  next: iso("next elapse (NextElapseUSecRealtime, or the monotonic one turned into wall-clock time); null if none is scheduled"),
  last: iso("last trigger (LastTriggerUSec); null if never"),
  runNow: v.pipe(v.boolean(), v.description("whether \"run now\" may start its unit from here")),
  runNowReason: v.pipe(v.string(), v.description("why run now is or is not offered")),
});
export type Timer = v.InferOutput<typeof TimerSchema>;

export const TimersSchema = v.strictObject({ ...Unavailable, timers: v.array(TimerSchema) });
export type Timers = v.InferOutput<typeof TimersSchema>;

export const AllowedSchema = v.strictObject({
  units: AllowListSchema,
  policy: v.pipe(
    v.strictObject({
      applied: v.pipe(v.boolean(), v.description("polkit's rule (/etc/polkit-1/rules.d/60-caretaker-services.rules) was written from this very list")),
      note: v.string(),
    }),
    v.description("the polkit rule generated from the list by the root job caretaker-services-policy.service"),
  ),
});
export type Allowed = v.InferOutput<typeof AllowedSchema>;

export const AllowedInputSchema = v.strictObject({ units: AllowListSchema });
export const EmptyBodySchema = v.strictObject({});

export const UnitParamsSchema = v.strictObject({ unit: UnitNameSchema, action: v.picklist(actions) });

export const ActionResultSchema = v.strictObject({
  unit: v.string(),
  action: v.picklist(actions),
  done: v.pipe(v.boolean(), v.description("systemd finished the job within the wait; false: it still runs, look again")),
  job: v.pipe(v.nullable(v.string()), v.description("enable and disable: the root job unit that did it")),
  status: v.nullable(UnitSchema),
});

export const RunResultSchema = v.strictObject({ timer: v.string(), unit: v.string(), started: v.boolean(), status: v.nullable(UnitSchema) });
