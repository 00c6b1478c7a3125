// What node:os knows from uname(2) and the scheduler: host name, kernel, machine and usable CPUs.
import os from "node:os";
import type { Kernel } from "./schema.ts";

export interface Host {
  hostname: string;
  kernel: Kernel;
  cpus: number;
}

export function readHost(): Host {
  return {
    hostname: os.hostname(),
    kernel: { release: os.release(), machine: os.machine() },
    cpus: Math.max(1, os.availableParallelism()),
  };
}
