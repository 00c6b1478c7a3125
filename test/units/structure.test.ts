// House rules for every function unit and socket: the hardening baseline of the design and sorted directives.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { functionNames, unitFiles, values, type UnitFile } from "./unit-file.ts";

const root = join(import.meta.dirname, "../..");
const services = unitFiles(root, "units", ".service");
const sockets = unitFiles(root, "socket-units", ".socket");
const functionUnits = functionNames(root)
  .map((fn) => ({ fn, unit: services.find((unit) => unit.name === `caretaker-${fn}@.service`) }))
  .filter((entry): entry is { fn: string; unit: UnitFile } => entry.unit !== undefined);

function problem(unit: UnitFile, rule: string): string {
  return `${unit.name}: ${rule}`;
}

/** setup and auth share one dynamic user and state: allowed when the other function's unit has the same User= and StateDirectory=. */
function sharesUser(unit: UnitFile): boolean {
  const user = values(unit, "Service", "User").at(-1) ?? "";
  const owner = functionUnits.find((entry) => `caretaker-${entry.fn}` === user)?.unit;
  const state = (file: UnitFile) => values(file, "Service", "StateDirectory").at(-1);
  return owner !== undefined && owner !== unit && values(owner, "Service", "User").at(-1) === user && state(owner) !== undefined && state(owner) === state(unit);
}

/** Which rules a function unit breaks; an empty list is a pass. */
function functionUnitProblems(fn: string, unit: UnitFile): string[] {
  const one = (key: string) => values(unit, "Service", key);
  const has = (key: string, expected: string) => one(key).at(-1) === expected;
  const problems: string[] = [];
  const require = (ok: boolean, rule: string) => ok || problems.push(problem(unit, rule));
  require(has("DynamicUser", "yes"), "needs DynamicUser=yes");
  require(has("User", `caretaker-${fn}`) || sharesUser(unit), `needs User=caretaker-${fn} (or the User= and StateDirectory= of the function it shares its state with)`);
  require(has("PrivateNetwork", "yes"), "needs PrivateNetwork=yes (the socket is inherited)");
  require(has("ProtectSystem", "strict"), "needs ProtectSystem=strict");
  require(has("MemoryDenyWriteExecute", "yes"), "needs MemoryDenyWriteExecute=yes");
  require(one("Environment").some((value) => value.split(/\s+/).includes("BUN_JSC_useJIT=0")), "needs Environment=BUN_JSC_useJIT=0");
  require(one("CapabilityBoundingSet").length > 0 && has("CapabilityBoundingSet", ""), "needs an empty CapabilityBoundingSet=");
  require(one("SystemCallFilter").some((value) => value !== "" && !value.startsWith("~")), "needs a SystemCallFilter= allow-list");
  require(one("MemoryMax").length > 0, "needs MemoryMax=");
  require(one("RuntimeMaxSec").length > 0, "needs RuntimeMaxSec=");
  const execStart = new RegExp(`^/\\S+/bun --no-env-file /usr/lib/caretaker/functions/${fn}\\.js$`);
  require(one("ExecStart").length === 1 && execStart.test(one("ExecStart")[0]), `needs ExecStart=<bun> --no-env-file /usr/lib/caretaker/functions/${fn}.js`);
  return problems;
}

/** Keys of each section in ascending order (repeats side by side); Description= may open [Unit]. */
function unsorted(unit: UnitFile): string[] {
  const problems: string[] = [];
  for (const [section, directives] of unit.sections) {
    const keys = directives.map((directive) => directive.key);
    if (section === "Unit" && keys[0] === "Description") keys.shift();
    keys.forEach((key, index) => {
      if (index > 0 && key < keys[index - 1]) problems.push(problem(unit, `[${section}] is not sorted: ${key} comes after ${keys[index - 1]}`));
    });
  }
  return problems;
}

function socketProblems(unit: UnitFile): string[] {
  const fn = /^caretaker-(.+)\.socket$/.exec(unit.name)?.[1];
  const one = (key: string) => values(unit, "Socket", key).at(-1);
  const problems: string[] = [];
  const require = (ok: boolean, rule: string) => ok || problems.push(problem(unit, rule));
  require(fn !== undefined, "is not named caretaker-<fn>.socket");
  require(one("Accept") === "yes", "needs Accept=yes (one instance per connection)");
  require(/^\d+$/.test(one("MaxConnections") ?? ""), "needs MaxConnections=<n>");
  require(one("SocketGroup") === "caddy", "needs SocketGroup=caddy");
  require(one("SocketMode") === "0660", "needs SocketMode=0660");
  require(one("ListenStream") === `/run/caretaker/${fn}.sock` && values(unit, "Socket", "ListenStream").length === 1, `needs ListenStream=/run/caretaker/${fn}.sock`);
  return problems;
}

describe("units", () => {
  it("every function has its unit and its socket", () => {
    const missing = functionNames(root).flatMap((fn) => [
      ...(existsSync(join(root, "units", `caretaker-${fn}@.service`)) ? [] : [`caretaker-${fn}@.service: missing in units/`]),
      ...(existsSync(join(root, "socket-units", `caretaker-${fn}.socket`)) ? [] : [`caretaker-${fn}.socket: missing in socket-units/`]),
    ]);
    expect(missing).toEqual([]);
  });

  it.each(functionUnits.map(({ fn, unit }) => [unit.name, fn, unit] as const))("%s keeps the function hardening baseline", (_, fn, unit) => {
    expect(functionUnitProblems(fn, unit)).toEqual([]);
  });

  it.each([...services, ...sockets].map((unit) => [unit.name, unit] as const))("%s has its directives sorted", (_, unit) => {
    expect(unsorted(unit)).toEqual([]);
  });

  it.each(sockets.map((unit) => [unit.name, unit] as const))("%s accepts one connection per instance, for caddy only", (_, unit) => {
    expect(socketProblems(unit)).toEqual([]);
  });
});

describe("the rules themselves", () => {
  it("name the unit and the rule they catch", () => {
    const [{ fn, unit }] = functionUnits;
    const broken: UnitFile = { ...unit, sections: new Map([...unit.sections].map(([name, directives]) => [name, directives.filter((directive) => directive.key !== "PrivateNetwork")])) };
    expect(functionUnitProblems(fn, broken)).toEqual([`${unit.name}: needs PrivateNetwork=yes (the socket is inherited)`]);
    const shuffled: UnitFile = { ...unit, sections: new Map([["Service", [...unit.sections.get("Service")!].reverse()]]) };
    expect(unsorted(shuffled)[0]).toMatch(new RegExp(`^${unit.name.replace(/[.@]/g, "\\$&")}: \\[Service\\] is not sorted`));
  });
});
