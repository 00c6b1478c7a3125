// Software RAID state from /proc/mdstat: readable without privileges, unlike `mdadm --detail`,
// which opens the array device (a job's right, not the function's).
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface RaidArray {
  name: string;
  state: string;
  level: string | null;
  members: { device: string; role: number; failed: boolean; spare: boolean }[];
  /** [n/m]: the array wants n devices and m are working */
  wanted: number | null;
  working: number | null;
  degraded: boolean;
  /** resync, recovery, reshape or check in progress, with its share done */
  sync: { action: string; percent: number } | null;
}

/**
 * md0 : active raid1 sdb1[1] sda1[0](F)
 *       1048512 blocks super 1.2 [2/1] [_U]
 *       [==>........]  recovery = 12.6% (132096/1048512) finish=0.1min speed=132096K/sec
 */
export function parseMdstat(text: string): RaidArray[] {
  const arrays: RaidArray[] = [];
  let current: RaidArray | null = null;
  for (const line of text.split("\n")) {
    const head = /^(md\w+)\s*:\s*(\S+)\s+(.*)$/.exec(line);
    if (head) {
      const words = head[3].trim().split(/\s+/);
      const level = words[0] && !/\[\d+\]/.test(words[0]) && !words[0].startsWith("(") ? words.shift()! : null;
      const members = words
        .map((word) => /^([\w.-]+)\[(\d+)\](\((\w)\))?/.exec(word))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => ({ device: match[1], role: Number(match[2]), failed: match[4] === "F", spare: match[4] === "S" }));
      current = { name: head[1], state: head[2], level, members, wanted: null, working: null, degraded: false, sync: null };
      arrays.push(current);
      continue;
    }
    // a line that is not indented, or blank, ends the array's block
    if (!current || !/^\s/.test(line) || !line.trim()) {
      current = null;
      continue;
    }
    const counts = /\[(\d+)\/(\d+)\]\s+\[([U_]+)\]/.exec(line);
    if (counts) {
      current.wanted = Number(counts[1]);
      current.working = Number(counts[2]);
      current.degraded = current.working < current.wanted || counts[3].includes("_");
    }
    const sync = /\b(resync|recovery|reshape|check|repair)\s*=\s*([\d.]+)%/.exec(line);
    if (sync) current.sync = { action: sync[1], percent: Number(sync[2]) };
  }
  for (const array of arrays) if (array.members.some((member) => member.failed)) array.degraded = true;
  return arrays;
}

/** No /proc/mdstat (md not loaded, a container): no arrays. */
export async function readMdstat(procRoot = "/proc"): Promise<RaidArray[]> {
  try {
    return parseMdstat(await readFile(join(procRoot, "mdstat"), "utf8"));
  } catch {
    return [];
  }
}
