// Gathers the system overview from every source at once; each source is injectable for tests.
import { exec as realExec, type Exec } from "../_shared/exec.ts";
import { readFilesystems, type FilesystemSources } from "./filesystems.ts";
import { readHost, type Host } from "./node-os.ts";
import { readOsRelease } from "./os-release.ts";
import { readProc } from "./proc.ts";
import type { Overview } from "./schema.ts";
import { readSystemd } from "./systemd.ts";
import { readTemperature } from "./thermal.ts";

export interface OverviewSources {
  exec?: Exec;
  procRoot?: string;
  osReleasePaths?: readonly string[];
  thermalRoot?: string;
  filesystems?: FilesystemSources;
  bootedMarker?: string;
  host?: () => Host;
  now?: () => Date;
}

export async function collectOverview(sources: OverviewSources = {}): Promise<Overview> {
  const host = (sources.host ?? readHost)();
  const [proc, os, temperature, filesystems, systemd] = await Promise.all([
    readProc(sources.procRoot),
    readOsRelease(sources.osReleasePaths),
    readTemperature(sources.thermalRoot),
    readFilesystems(sources.filesystems),
    readSystemd({ exec: sources.exec ?? realExec, bootedMarker: sources.bootedMarker }),
  ]);
  return {
    collectedAt: (sources.now ?? (() => new Date()))().toISOString(),
    hostname: host.hostname,
    os,
    kernel: host.kernel,
    uptimeSeconds: proc.uptimeSeconds,
    load: { ...proc.load, cpus: host.cpus },
    memory: proc.memory,
    temperature,
    filesystems,
    systemd,
  };
}
