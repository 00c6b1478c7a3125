// Which unit names the owner may put on the allow-list, and which units caretaker keeps to itself;
// shared by the function and its root jobs, which check again what the function already checked.
import * as v from "valibot";

/** systemd's unit name characters, one optional instance, and the kinds an owner starts and stops. */
export const unitNamePattern = /^(?![-.])[A-Za-z0-9:_.\\-]{1,100}(@[A-Za-z0-9:_.\\-]{1,100})?\.(service|socket|timer)$/;

export const UnitNameSchema = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(unitNamePattern, "must be a unit name such as nginx.service, postgresql@17-main.service or backup.timer"),
  v.description("a systemd unit (service, socket or timer), e.g. nginx.service"),
);

/**
 * Units no allow-list may hold: caretaker's own units and Caddy (stopping either locks the owner
 * out of this very page), and the bus and polkit that every decision here goes through.
 */
export function protectedReason(unit: string): string | undefined {
  if (unit.startsWith("caretaker-")) return "caretaker's own units are managed by caretaker: they can't be stopped, disabled or changed from here";
  if (unit === "caddy.service") return "Caddy is the door to this page: it can't be stopped, disabled or changed from here";
  if (/^(dbus|dbus-broker|polkit)\.(service|socket)$/.test(unit) || unit.startsWith("systemd-")) {
    return "the system's own services (systemd, D-Bus, polkit) can't be put on the allow-list";
  }
  return undefined;
}

export const AllowListSchema = v.pipe(
  v.array(
    v.pipe(
      UnitNameSchema,
      v.check((unit) => protectedReason(unit) === undefined, (issue) => protectedReason(String(issue.input)) ?? "protected unit"),
    ),
  ),
  v.maxLength(64),
  v.check((units) => new Set(units).size === units.length, "lists a unit twice"),
  v.description("the units the owner lets caretaker start, stop, restart, enable and disable"),
);
