// The units that matter on this box, with state, since when, memory, CPU and restarts: caretaker's
// own, Caddy, the apps it runs (well-known ones and the owner's allow-list) and Docker's containers.
import { callManager, parseListUnitFiles, parseListUnits, stringArray } from "../_shared/systemd-bus.ts";
import type { Exec } from "../_shared/exec.ts";
import type { Unit, Units } from "./schema.ts";
import { counter, showUnits, unixTime, type Shown } from "./systemctl.ts";
import { protectedReason } from "./unit-name.ts";

/** Apps a self-hosted box commonly runs; listed whenever they are installed, on the allow-list or not. */
export const wellKnownApps = [
  "apache2.service", "nginx.service", "postfix.service", "postfix@*.service", "dovecot.service",
  "mariadb.service", "mysql.service", "postgresql.service", "postgresql@*.service", "redis-server.service",
  "php*-fpm.service", "docker.service", "containerd.service", "nextcloud*.service", "nextcloud*.timer",
  "coturn.service", "ssh.service", "fail2ban.service",
];
const ownPatterns = ["caretaker-*", "caddy.service"];
const containerPattern = "docker-*.scope";
const template = /@\.(service|socket|timer)$/;
const groupOrder = ["caretaker", "front", "apps", "containers"];

export function groupOf(name: string): Unit["group"] {
  if (name.startsWith("caretaker-")) return "caretaker";
  if (name === "caddy.service") return "front";
  if (/^docker-[0-9a-f]+\.scope$/.test(name)) return "containers";
  return "apps";
}

function kindOf(name: string): Unit["kind"] {
  if (template.test(name)) return "template";
  return name.slice(name.lastIndexOf(".") + 1) as Unit["kind"];
}

/** What may be done from here: everything to a unit on the list, nothing to caretaker's own or the rest. */
export function actionsFor(name: string, allowed: ReadonlySet<string>): Unit["actions"] {
  if (!allowed.has(name) || protectedReason(name)) return [];
  return ["start", "stop", "restart", "enable", "disable"];
}

export function toUnit(name: string, shown: Shown, fileState: string | undefined, allowed: ReadonlySet<string>): Unit {
  const kind = kindOf(name);
  return {
    name,
    description: shown.Description ?? "",
    group: groupOf(name),
    kind,
    load: shown.LoadState ?? "",
    active: shown.ActiveState ?? "",
    sub: shown.SubState ?? "",
    enabled: shown.UnitFileState || fileState || "",
    since: unixTime(shown.ActiveEnterTimestamp),
    memoryBytes: counter(shown.MemoryCurrent),
    cpuNanoseconds: counter(shown.CPUUsageNSec),
    restarts: kind === "service" ? counter(shown.NRestarts) : null,
    allowed: allowed.has(name),
    actions: actionsFor(name, allowed),
  };
}

/** Rows for the named units (no templates), in the order given. */
export async function describeUnits(exec: Exec, names: readonly string[], allowed: ReadonlySet<string>, fileStates = new Map<string, string>()): Promise<Unit[]> {
  const shown = await showUnits(exec, names);
  const byId = new Map(shown.map((fields) => [fields.Id ?? "", fields]));
  // blocks come in the order asked; an alias (dbus.service) answers with its real Id
  return names.map((name, index) => toUnit(name, shown.length === names.length ? shown[index] : (byId.get(name) ?? {}), fileStates.get(name), allowed));
}

function containersNote(units: readonly Unit[]): Units["containers"] {
  const present = units.some((unit) => unit.group === "containers");
  const docker = units.find((unit) => unit.name === "docker.service");
  if (!docker && !present) return { present, note: "Docker is not installed: no containers." };
  return {
    present,
    note:
      "Containers are shown as systemd sees them (docker-<id>.scope: state, memory, CPU), read-only and by id: " +
      "their names and Nextcloud AIO's container roles need the Docker API, and caretaker is given no access to " +
      "/run/docker.sock, because whoever may use it is root on this box.",
  };
}

export async function readUnits(exec: Exec, allowedList: readonly string[]): Promise<Units> {
  const allowed = new Set(allowedList);
  const patterns = [...ownPatterns, ...wellKnownApps, ...allowedList];
  const [loadedReply, filesReply] = await Promise.all([
    callManager(exec, "ListUnitsByPatterns", "asas", ["0", ...stringArray([...patterns, containerPattern])]),
    callManager(exec, "ListUnitFilesByPatterns", "asas", ["0", ...stringArray(patterns)]),
  ]);
  const loaded = parseListUnits(loadedReply);
  const fileStates = parseListUnitFiles(filesReply);
  const names = new Set([...loaded.map((unit) => unit.name), ...fileStates.keys(), ...allowedList]);
  // templates: caretaker's function templates only, with how many instances run (apps show their instances)
  const templates = [...names].filter((name) => template.test(name) && name.startsWith("caretaker-"));
  const plain = [...names].filter((name) => !template.test(name)).sort();
  const units = await describeUnits(exec, plain, allowed, fileStates);
  for (const name of templates) {
    const prefix = name.slice(0, name.indexOf("@") + 1);
    units.push({
      ...toUnit(name, { Description: "template: one instance per connection" }, fileStates.get(name), allowed),
      instances: loaded.filter((unit) => unit.name.startsWith(prefix)).length,
    });
  }
  units.sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { available: true, units, containers: containersNote(units) };
}
