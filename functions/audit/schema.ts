// The audit's response schemas (also its OpenAPI description) and the types inferred from them.
import * as v from "valibot";

const words = (what: string) => v.pipe(v.array(v.string()), v.description(what));
const iso = (what: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(what));

export const CheckSchema = v.strictObject({
  check: v.pipe(v.string(), v.description('systemd-analyze\'s name of the check, e.g. "PrivateNetwork=" or "RestrictAddressFamilies=~AF_UNIX"')),
  field: v.pipe(v.string(), v.description("its json_field, stable across systemd versions")),
  description: v.pipe(v.string(), v.description("what the unit may do because the check fails")),
  exposure: v.pipe(v.number(), v.minValue(0), v.description("what the check adds to the score")),
});

export const SandboxSchema = v.strictObject({
  unit: v.pipe(v.string(), v.description("the unit file: caretaker-<fn>@.service (a function) or caretaker-<fn>-<job>[@].service (a job)")),
  kind: v.picklist(["function", "job"]),
  function: v.pipe(v.string(), v.description("the function the unit belongs to")),
  analyzedAs: v.pipe(v.string(), v.description("the unit name given to systemd (a template needs an instance: @audit)")),
  user: v.strictObject({
    name: v.pipe(v.string(), v.description('User=; "root" when the unit sets none')),
    dynamic: v.pipe(v.boolean(), v.description("DynamicUser=: a user allocated per run, owning nothing outside its own directories")),
    groups: words("Group= and SupplementaryGroups="),
  }),
  capabilities: v.strictObject({
    bounding: words("CapabilityBoundingSet=: the most the unit's processes can ever hold (lower-case names); empty means none"),
    ambient: words("AmbientCapabilities=: what they hold without being root"),
  }),
  paths: v.strictObject({
    protectSystem: v.pipe(v.string(), v.description('ProtectSystem= ("strict": the whole file system read-only but for the paths below)')),
    protectHome: v.pipe(v.string(), v.description("ProtectHome=")),
    writable: words("ReadWritePaths=, StateDirectory=, RuntimeDirectory=, CacheDirectory=, LogsDirectory= (the last four below /var/lib, /run, /var/cache, /var/log)"),
    readOnly: words("ReadOnlyPaths= and BindReadOnlyPaths="),
    hidden: words("InaccessiblePaths= and TemporaryFileSystem="),
    credentials: words("LoadCredential= ids: secrets handed to the unit alone"),
  }),
  network: v.strictObject({
    private: v.pipe(v.boolean(), v.description("PrivateNetwork=: only a loopback of its own")),
    ipDeny: words("IPAddressDeny="),
    ipAllow: words("IPAddressAllow="),
  }),
  addressFamilies: v.pipe(v.string(), v.description('RestrictAddressFamilies= as systemd shows it ("AF_UNIX", "~AF_PACKET", "" for unrestricted)')),
  syscallFilter: v.strictObject({
    mode: v.pipe(v.picklist(["allow", "deny", "none"]), v.description("allow-list, deny-list, or no filter")),
    entries: words("live: the syscalls as systemd resolved them, sorted; offline: the groups as written (@system-service, ~@privileged …)"),
    architectures: words("SystemCallArchitectures="),
  }),
  devices: v.strictObject({
    private: v.pipe(v.boolean(), v.description("PrivateDevices=: a /dev with pseudo devices only")),
    policy: v.pipe(v.string(), v.description("DevicePolicy=")),
    allow: words("DeviceAllow= (ProtectClock= adds char-rtc r)"),
  }),
  exposure: v.strictObject({
    score: v.pipe(v.number(), v.minValue(0), v.maxValue(10), v.description("systemd-analyze security's overall exposure (0 safest, 10 unprotected)")),
    rating: v.pipe(v.string(), v.description("its word: SAFE, OK, MEDIUM, EXPOSED or UNSAFE")),
    failing: v.pipe(v.array(CheckSchema), v.description("checks with an exposure above 0, by field")),
  }),
});

export const FunctionsSchema = v.strictObject({
  source: v.pipe(
    v.picklist(["live", "offline"]),
    v.description('"live": systemd (PID 1) over D-Bus and `systemd-analyze security <unit>`; "offline": dev mode without systemd, the shipped unit files read directly and scored with `--offline=true`'),
  ),
  systemd: v.pipe(v.string(), v.description("the systemd version that scored the units (scores differ between versions)")),
  units: v.pipe(v.array(SandboxSchema), v.description("every caretaker function and job unit, sorted by unit name; nothing time-dependent, so two answers diff cleanly")),
});

const SettingSchema = v.strictObject({
  keyword: v.pipe(v.string(), v.description("lower-case sshd keyword, as sshd -T prints it")),
  value: v.pipe(v.string(), v.description("the effective value (sshd -T)")),
  file: v.pipe(v.nullable(v.string()), v.description("the file whose line sshd took (the first one it read); null when the value is sshd's default")),
  line: v.pipe(v.nullable(v.number()), v.description("its line number")),
  ignored: v.pipe(
    v.array(v.strictObject({ file: v.string(), line: v.number(), value: v.string() })),
    v.description("later lines for the same keyword that sshd ignored because it had already read one (first match wins)"),
  ),
});

export const SshSchema = v.variant("installed", [
  v.strictObject({ installed: v.literal(false), reason: v.string() }),
  v.strictObject({
    installed: v.literal(true),
    readAt: iso("when the job read the configuration"),
    settings: v.pipe(v.array(SettingSchema), v.description("the effective values of the keywords below that matter for login, with the file that set each")),
    findings: v.pipe(
      v.array(v.strictObject({
        level: v.picklist(["critical", "warning", "ok"]),
        keyword: v.string(),
        message: v.pipe(v.string(), v.description("what the value means for the box, naming the file responsible")),
      })),
      v.description("password login, root login and keyboard-interactive login, judged"),
    ),
    files: words("every file sshd reads, in the order it reads them"),
  }),
]);

export const PortsSchema = v.strictObject({
  readAt: iso("when the job read the sockets"),
  ports: v.pipe(
    v.array(v.strictObject({
      protocol: v.picklist(["tcp", "udp"]),
      address: v.pipe(v.string(), v.description("local address: 0.0.0.0 or :: for every interface")),
      port: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)),
      exposed: v.pipe(v.boolean(), v.description("reachable from other machines (not only loopback)")),
      user: v.pipe(v.string(), v.description("owner of the socket (name, or the uid when it has none)")),
      processes: v.array(v.strictObject({ pid: v.number(), command: v.string() })),
    })),
    v.description("listening TCP sockets and bound UDP sockets, by port"),
  ),
});

export const CertificatesSchema = v.variant("available", [
  v.strictObject({ available: v.literal(false), reason: v.string() }),
  v.strictObject({
    available: v.literal(true),
    readAt: iso("when the domain function's certificates job last read Caddy's storage"),
    certificates: v.array(v.strictObject({
      names: v.array(v.string()),
      issuer: v.string(),
      notAfter: iso("expiry"),
      daysLeft: v.pipe(v.number(), v.description("days until expiry (one decimal), negative once expired")),
      renewal: v.pipe(v.picklist(["scheduled", "due", "overdue", "expired"]), v.description("where it stands in Caddy's renewal cycle (as the domain function judges it)")),
      message: v.string(),
      level: v.pipe(v.picklist(["critical", "warning", "ok"]), v.description("expired: critical; renewal overdue: warning")),
    })),
  }),
]);

export const UpdatesSchema = v.variant("available", [
  v.strictObject({ available: v.literal(false), reason: v.string() }),
  v.strictObject({
    available: v.literal(true),
    listsUpdatedAt: v.pipe(v.nullable(v.string()), v.description("newest package list (apt update); null when there is none")),
    pending: v.pipe(
      v.array(v.strictObject({ package: v.string(), from: v.string(), to: v.string(), origin: v.string(), security: v.boolean() })),
      v.description("what `apt-get -s dist-upgrade` would install, by package"),
    ),
    security: v.pipe(v.number(), v.integer(), v.description("how many of them come from a security archive")),
  }),
]);

export type Check = v.InferOutput<typeof CheckSchema>;
export type Sandbox = v.InferOutput<typeof SandboxSchema>;
export type Functions = v.InferOutput<typeof FunctionsSchema>;
export type Ssh = v.InferOutput<typeof SshSchema>;
export type Ports = v.InferOutput<typeof PortsSchema>;
export type Certificates = v.InferOutput<typeof CertificatesSchema>;
export type Updates = v.InferOutput<typeof UpdatesSchema>;
