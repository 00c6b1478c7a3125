// Turns a unit's sandbox settings (systemctl show, or the unit file's directives) into the facts an auditor reads.
import type { Sandbox } from "./schema.ts";

/** Each setting's assignments in order: the unit file's lines, or the one value systemctl shows. */
export type Settings = ReadonlyMap<string, readonly string[]>;

export const sandboxProperties = [
  "User", "DynamicUser", "Group", "SupplementaryGroups", "CapabilityBoundingSet", "AmbientCapabilities",
  "ProtectSystem", "ProtectHome", "ReadWritePaths", "ReadOnlyPaths", "BindReadOnlyPaths", "BindPaths", "InaccessiblePaths",
  "TemporaryFileSystem", "StateDirectory", "RuntimeDirectory", "CacheDirectory", "LogsDirectory", "LoadCredential",
  "PrivateNetwork", "IPAddressDeny", "IPAddressAllow", "RestrictAddressFamilies", "SystemCallFilter",
  "SystemCallArchitectures", "PrivateDevices", "DevicePolicy", "DeviceAllow",
] as const;

/** A list setting: an empty assignment resets it, every other adds its words (as systemd reads unit files). */
function list(settings: Settings, key: string): string[] {
  let words: string[] = [];
  for (const value of settings.get(key) ?? []) words = value.trim() === "" ? [] : [...words, ...value.trim().split(/\s+/)];
  return words;
}

function last(settings: Settings, key: string, fallback = ""): string {
  return settings.get(key)?.at(-1)?.trim() || fallback;
}

const yes = (value: string) => ["yes", "true", "1", "on"].includes(value.toLowerCase());
const unique = (items: string[]) => [...new Set(items)];

/** Directories systemd creates for the unit, under the folder each kind lives in. */
function ownDirectories(settings: Settings): string[] {
  const roots = { StateDirectory: "/var/lib", RuntimeDirectory: "/run", CacheDirectory: "/var/cache", LogsDirectory: "/var/log" };
  return Object.entries(roots).flatMap(([key, root]) => list(settings, key).map((name) => `${root}/${name.split(":")[0]}`));
}

/** "-/src:/dst:rbind" → "/src:/dst"; the "-" (ignore if missing) and mount options are not access. */
const mountPath = (entry: string) => entry.replace(/^[-+]+/, "").split(":").slice(0, 2).join(":");
/** "-/etc/shadow" → "/etc/shadow": the "-" only says a missing path is no error */
const path = (entry: string) => entry.replace(/^[-+]+/, "");

/** Live: one value, "~" before a deny-list of resolved names; offline: the lines as written. */
function syscallFilter(settings: Settings, live: boolean): Sandbox["syscallFilter"] {
  const assignments = (settings.get("SystemCallFilter") ?? []).map((value) => value.trim()).filter(Boolean);
  const architectures = list(settings, "SystemCallArchitectures");
  if (assignments.length === 0) return { mode: "none", entries: [], architectures };
  const mode = assignments[0].startsWith("~") ? "deny" : "allow";
  const entries = live ? assignments.join(" ").replace(/^~/, "").split(/\s+/).sort() : assignments;
  return { mode, entries, architectures };
}

/** DeviceAllow= entries are "<device> <access>" pairs: systemctl shows them comma-separated, a unit file one a line. */
function deviceAllow(settings: Settings): string[] {
  return (settings.get("DeviceAllow") ?? []).flatMap((value) => value.split(",")).map((entry) => entry.trim()).filter(Boolean);
}

export function sandboxFacts(settings: Settings, live: boolean): Omit<Sandbox, "unit" | "kind" | "function" | "analyzedAs" | "exposure"> {
  const dynamic = yes(last(settings, "DynamicUser", "no"));
  return {
    user: {
      name: last(settings, "User", "root"),
      dynamic,
      groups: unique([last(settings, "Group"), ...list(settings, "SupplementaryGroups")].filter(Boolean)),
    },
    capabilities: {
      bounding: list(settings, "CapabilityBoundingSet").map((name) => name.toLowerCase()),
      ambient: list(settings, "AmbientCapabilities").map((name) => name.toLowerCase()),
    },
    paths: {
      protectSystem: last(settings, "ProtectSystem", "no"),
      protectHome: last(settings, "ProtectHome", "no"),
      writable: unique([...list(settings, "ReadWritePaths").map(path), ...list(settings, "BindPaths").map(mountPath), ...ownDirectories(settings)]),
      readOnly: unique([...list(settings, "ReadOnlyPaths").map(path), ...list(settings, "BindReadOnlyPaths").map(mountPath)]),
      hidden: unique([...list(settings, "InaccessiblePaths").map(path), ...list(settings, "TemporaryFileSystem").map((entry) => entry.split(":")[0])]),
      credentials: unique(list(settings, "LoadCredential").map((entry) => entry.split(":")[0])),
    },
    network: {
      private: yes(last(settings, "PrivateNetwork", "no")),
      ipDeny: list(settings, "IPAddressDeny"),
      ipAllow: list(settings, "IPAddressAllow"),
    },
    addressFamilies: list(settings, "RestrictAddressFamilies").join(" "),
    syscallFilter: syscallFilter(settings, live),
    devices: {
      private: yes(last(settings, "PrivateDevices", "no")),
      policy: last(settings, "DevicePolicy", "auto"),
      allow: deviceAllow(settings),
    },
  };
}
