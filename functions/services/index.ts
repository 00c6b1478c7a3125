// The services function: the units and timers that matter, with start, stop, restart, enable and
// disable for the units on the owner's allow-list (polkit and a root job decide, never this process).
import { existsSync } from "node:fs";
import * as v from "valibot";
import { defineFunction, route } from "../_shared/define.ts";
import { HttpError } from "../_shared/errors.ts";
import { exec } from "../_shared/exec.ts";
import { bootedMarker } from "../_shared/systemd.ts";
import { parseInput } from "../_shared/validate.ts";
import { perform, refusal, runTimer } from "./actions.ts";
import { readAllowList, saveAllowList, stateDirectory } from "./allow-list.ts";
import { readAllowed } from "./allowed.ts";
import { ActionResultSchema, AllowedInputSchema, AllowedSchema, EmptyBodySchema, RunResultSchema, TimersSchema, UnitParamsSchema, UnitsSchema } from "./schema.ts";
import { readTimers } from "./timers.ts";
import { UnitNameSchema } from "./unit-name.ts";
import { readUnits } from "./units.ts";

const notBooted = "systemd is not running as PID 1 (dev mode): there are no units to show";
const booted = () => existsSync(bootedMarker);
const allowedUnits = () => readAllowList(stateDirectory())?.units ?? [];

/** A read that cannot reach systemd says so in the answer instead of failing the page. */
async function whenBooted<T extends { available: boolean; reason?: string }>(read: () => Promise<T>, empty: Omit<T, "available" | "reason">): Promise<T> {
  if (!booted()) return { ...empty, available: false, reason: notBooted } as T;
  try {
    return await read();
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) throw error;
    return { ...empty, available: false, reason: `systemd did not answer over D-Bus: ${error instanceof Error ? error.message : String(error)}` } as T;
  }
}

function requireBooted() {
  if (!booted()) throw new HttpError(503, notBooted.replace("there are no units to show", "units can't be changed"), { code: "systemd_unavailable" });
}

const context = () => ({ exec, allowed: allowedUnits() });

export default defineFunction({
  name: "services",
  summary: "What runs on the box (caretaker, Caddy, the apps, containers) and its timers; start, stop, restart, enable and disable the units on the owner's allow-list",
  routes: [
    route({
      method: "GET",
      path: "/units",
      summary: "caretaker's own units, Caddy, the box's apps and Docker's containers: state, since when, memory, CPU, restarts, and what may be done to each",
      response: UnitsSchema,
      handle: () => whenBooted(() => readUnits(exec, allowedUnits()), { units: [], containers: { present: false, note: "" } }),
    }),
    route({
      method: "GET",
      path: "/timers",
      summary: "Every timer with its next and last run and the unit it starts (systemctl list-timers --all), and whether run now is offered",
      response: TimersSchema,
      handle: () => whenBooted(() => readTimers(exec, allowedUnits()), { timers: [] }),
    }),
    route({
      method: "GET",
      path: "/allowed",
      summary: "The owner's allow-list and whether polkit's rule was written from it",
      response: AllowedSchema,
      handle: () => readAllowed(stateDirectory(), booted()),
    }),
    route({
      method: "PUT",
      path: "/allowed",
      summary: "Replaces the allow-list (caretaker's own units, Caddy, systemd, D-Bus and polkit can't be on it) and has the root job rewrite polkit's rule from it",
      body: AllowedInputSchema,
      response: AllowedSchema,
      handle: async ({ body }) => {
        saveAllowList(stateDirectory(), body.units);
        return readAllowed(stateDirectory(), booted(), { apply: exec });
      },
    }),
    route({
      method: "POST",
      path: "/units/:unit/:action",
      summary: "start, stop, restart, enable or disable one unit on the allow-list; 403 for any other unit. Waits up to 8 s for systemd",
      body: EmptyBodySchema,
      response: ActionResultSchema,
      handle: ({ params }) => {
        const { unit, action } = parseInput(UnitParamsSchema, params, "query");
        const refused = refusal(unit, action, allowedUnits());
        if (refused) throw refused;
        requireBooted();
        return perform(unit, action, context());
      },
    }),
    route({
      method: "POST",
      path: "/timers/:timer/run",
      summary: "Run now: starts the timer's unit, when that unit is on the allow-list or is a caretaker job; 403 otherwise",
      body: EmptyBodySchema,
      response: RunResultSchema,
      handle: ({ params }) => {
        const timer = parseInput(v.object({ timer: UnitNameSchema }), params, "query").timer;
        requireBooted();
        return runTimer(timer, context());
      },
    }),
  ],
});
