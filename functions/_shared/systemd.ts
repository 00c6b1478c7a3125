// Facts about the service manager this process runs under, and systemd's unit-name escaping.

/** sd_booted(3): systemd is PID 1 exactly when this directory exists. */
export const bootedMarker = "/run/systemd/system";

/**
 * systemd-escape for an instance name: "/" becomes "-", bytes outside [A-Za-z0-9:_.] (and a
 * leading ".") become \xHH, so any validated string maps to exactly one unit name and back.
 */
export function escapeInstance(value: string): string {
  let escaped = "";
  const bytes = new TextEncoder().encode(value);
  bytes.forEach((byte, index) => {
    const char = String.fromCharCode(byte);
    if (char === "/") escaped += "-";
    else if (/[A-Za-z0-9:_]/.test(char) || (char === "." && index > 0)) escaped += char;
    else escaped += `\\x${byte.toString(16).padStart(2, "0")}`;
  });
  return escaped;
}

/** The unit name of a function's job: caretaker-<fn>-<job>[@<escaped instance>].service */
export function jobUnit(fn: string, job: string, instance?: string): string {
  return `caretaker-${fn}-${job}${instance === undefined ? "" : `@${escapeInstance(instance)}`}.service`;
}
