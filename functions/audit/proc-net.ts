// Listening sockets from /proc/net/{tcp,tcp6,udp,udp6} and the processes holding them (/proc/<pid>/fd),
// read without ss: the image ships no iproute2, and this is all ss reads for the same answer.
import { readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import type { Ports } from "./schema.ts";

type Port = Ports["ports"][number];

export interface Socket {
  protocol: "tcp" | "udp";
  address: string;
  port: number;
  uid: number;
  inode: string;
}

/** The kernel prints each 32-bit word of an address in host order (little-endian on amd64 and arm64). */
export function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((byte) => parseInt(byte, 16)));
  if (bytes.length === 4) return bytes.join(".");
  const groups = Array.from({ length: 8 }, (_, index) => ((bytes[index * 2] << 8) | bytes[index * 2 + 1]).toString(16));
  return compressIpv6(groups);
}

/** RFC 5952: the longest run of zero groups becomes "::". */
function compressIpv6(groups: string[]): string {
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === "0") length++;
    if (length > best.length && length > 1) best = { start, length };
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.length).join(":")}`;
}

const listening = { tcp: "0A", udp: "07" } as const;

/** Rows of one /proc/net table that listen (TCP LISTEN) or are bound and unconnected (UDP). */
export function parseTable(text: string, protocol: "tcp" | "udp"): Socket[] {
  return text
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 10 && fields[3] === listening[protocol] && fields[2].endsWith(":0000"))
    .map((fields) => {
      const [address, port] = fields[1].split(":");
      return { protocol, address: decodeAddress(address), port: parseInt(port, 16), uid: Number(fields[7]), inode: fields[9] };
    });
}

/** inode of a socket → the processes holding it; processes this reader may not look into are skipped. */
export async function socketOwners(proc = "/proc"): Promise<Map<string, { pid: number; command: string }[]>> {
  const owners = new Map<string, { pid: number; command: string }[]>();
  const pids = (await readdir(proc)).filter((entry) => /^\d+$/.test(entry));
  await Promise.all(pids.map(async (pid) => {
    try {
      const fds = await readdir(join(proc, pid, "fd"));
      const targets = await Promise.all(fds.map((fd) => readlink(join(proc, pid, "fd", fd)).catch(() => "")));
      const inodes = targets.map((target) => /^socket:\[(\d+)\]$/.exec(target)?.[1]).filter((inode): inode is string => Boolean(inode));
      if (inodes.length === 0) return;
      const command = (await readFile(join(proc, pid, "comm"), "utf8")).trim();
      for (const inode of new Set(inodes)) owners.set(inode, [...(owners.get(inode) ?? []), { pid: Number(pid), command }]);
    } catch {
      // gone meanwhile, or not ours to see
    }
  }));
  return owners;
}

function userNames(passwd: string): Map<number, string> {
  return new Map(passwd.split("\n").filter(Boolean).map((line) => line.split(":")).map((fields) => [Number(fields[2]), fields[0]]));
}

const loopback = (address: string) => address.startsWith("127.") || address === "::1";

export async function readPorts(proc = "/proc", passwdFile = "/etc/passwd"): Promise<Port[]> {
  const tables = [["tcp", "tcp"], ["tcp6", "tcp"], ["udp", "udp"], ["udp6", "udp"]] as const;
  const [texts, owners, passwd] = await Promise.all([
    Promise.all(tables.map(([file]) => readFile(join(proc, "net", file), "utf8").catch(() => ""))),
    socketOwners(proc),
    readFile(passwdFile, "utf8").catch(() => ""),
  ]);
  const names = userNames(passwd);
  const sockets = texts.flatMap((text, index) => parseTable(text, tables[index][1]));
  return sockets
    .map((socket): Port => ({
      protocol: socket.protocol,
      address: socket.address,
      port: socket.port,
      exposed: !loopback(socket.address),
      user: names.get(socket.uid) ?? String(socket.uid),
      processes: (owners.get(socket.inode) ?? []).sort((a, b) => a.pid - b.pid),
    }))
    .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address));
}
