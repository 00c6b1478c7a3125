// The system overview's response schema (also its OpenAPI description) and the types inferred from it.
import * as v from "valibot";

const bytes = (what: string) => v.pipe(v.number(), v.integer(), v.minValue(0), v.description(what));

export const OsSchema = v.strictObject({
  id: v.pipe(v.string(), v.description("ID= of os-release, e.g. debian")),
  name: v.pipe(v.string(), v.description("PRETTY_NAME= of os-release (NAME= when absent)")),
  version: v.pipe(v.string(), v.description("VERSION_ID= of os-release; empty on releases without one (testing, sid)")),
});

export const KernelSchema = v.strictObject({
  release: v.pipe(v.string(), v.description("uname -r")),
  machine: v.pipe(v.string(), v.description("uname -m, e.g. x86_64 or aarch64")),
});

export const LoadSchema = v.strictObject({
  one: v.pipe(v.number(), v.minValue(0), v.description("load average over 1 minute")),
  five: v.pipe(v.number(), v.minValue(0), v.description("load average over 5 minutes")),
  fifteen: v.pipe(v.number(), v.minValue(0), v.description("load average over 15 minutes")),
  cpus: v.pipe(v.number(), v.integer(), v.minValue(1), v.description("CPUs this process may run on, to read the load against")),
});

export const MemorySchema = v.strictObject({
  totalBytes: bytes("MemTotal"),
  availableBytes: bytes("MemAvailable: what can be used without swapping"),
  usedBytes: bytes("MemTotal - MemAvailable"),
  swapTotalBytes: bytes("SwapTotal"),
  swapFreeBytes: bytes("SwapFree"),
});

export const TemperatureSchema = v.pipe(
  v.nullable(
    v.strictObject({
      celsius: v.pipe(v.number(), v.description("degrees Celsius, one decimal")),
      zone: v.pipe(v.string(), v.description("the thermal zone's type, e.g. cpu-thermal (Raspberry Pi) or x86_pkg_temp")),
    }),
  ),
  v.description("CPU temperature; null when the hardware reports none (most VMs)"),
);

export const FilesystemSchema = v.strictObject({
  mountpoint: v.string(),
  role: v.pipe(v.picklist(["root", "data"]), v.description('"root" for /, "data" for every other block-backed filesystem')),
  device: v.pipe(v.string(), v.description("mount source, e.g. /dev/mmcblk0p2")),
  type: v.pipe(v.string(), v.description("filesystem type, e.g. ext4")),
  sizeBytes: bytes("total size"),
  usedBytes: bytes("size - free (as df counts it)"),
  availableBytes: bytes("free space available to unprivileged users"),
  usedPercent: v.pipe(v.number(), v.minValue(0), v.maxValue(100), v.description("used / (used + available) * 100, one decimal, as df computes it")),
  inodesTotal: v.pipe(v.number(), v.integer(), v.minValue(0)),
  inodesFree: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export const UnitSchema = v.strictObject({
  name: v.pipe(v.string(), v.description("caretaker-<fn>.socket, the template caretaker-<fn>@.service, or a running instance of it")),
  kind: v.picklist(["socket", "service"]),
  load: v.pipe(v.string(), v.description('systemd LoadState (loaded, not-found, masked, …); "-" for a template, which systemd never loads')),
  active: v.pipe(v.string(), v.description('systemd ActiveState (active, inactive, failed, …); "-" for a template')),
  sub: v.pipe(v.string(), v.description('systemd SubState (listening, running, dead, …); "-" for a template')),
  enabled: v.pipe(v.string(), v.description('unit file state (enabled, static, disabled, …); an instance reports its template\'s; "-" when there is no unit file')),
});

export const SystemdSchema = v.pipe(
  v.variant("available", [
    v.strictObject({ available: v.literal(true), units: v.array(UnitSchema) }),
    v.strictObject({ available: v.literal(false), reason: v.pipe(v.string(), v.description("why no unit state can be given")) }),
  ]),
  v.description("state of every caretaker socket and function unit, straight from systemd; never guessed"),
);

export const OverviewSchema = v.strictObject({
  collectedAt: v.pipe(v.string(), v.isoTimestamp(), v.description("when this overview was read (ISO 8601)")),
  hostname: v.string(),
  os: OsSchema,
  kernel: KernelSchema,
  uptimeSeconds: v.pipe(v.number(), v.minValue(0)),
  load: LoadSchema,
  memory: MemorySchema,
  temperature: TemperatureSchema,
  filesystems: v.pipe(v.array(FilesystemSchema), v.description("the root filesystem first, then data filesystems by mountpoint")),
  systemd: SystemdSchema,
});

export type Os = v.InferOutput<typeof OsSchema>;
export type Kernel = v.InferOutput<typeof KernelSchema>;
export type Load = v.InferOutput<typeof LoadSchema>;
export type Memory = v.InferOutput<typeof MemorySchema>;
export type Temperature = v.InferOutput<typeof TemperatureSchema>;
export type Filesystem = v.InferOutput<typeof FilesystemSchema>;
export type Unit = v.InferOutput<typeof UnitSchema>;
export type Systemd = v.InferOutput<typeof SystemdSchema>;
export type Overview = v.InferOutput<typeof OverviewSchema>;
