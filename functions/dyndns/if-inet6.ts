// The box's own public IPv6 address, from /proc/net/if_inet6: no tool and no netlink socket needed.
// Each line is "address ifindex prefixlen scope flags ifname" in hex (net/ipv6/addrconf.c,
// if6_seq_show); scope 00 is global, and the flags byte carries IFA_F_* from linux/if_addr.h.
import { readFileSync } from "node:fs";

const flag = {
  temporary: 0x01, // privacy extension address (RFC 8981): rotates daily, wrong for a DNS name
  dadFailed: 0x08,
  deprecated: 0x20, // preferred lifetime over: still valid, about to go away
  tentative: 0x40, // duplicate address detection still running: not usable yet
  permanent: 0x80, // configured statically, not from router advertisements
};

export interface Ipv6Address {
  address: string;
  interface: string;
  prefixLength: number;
  temporary: boolean;
  deprecated: boolean;
  permanent: boolean;
}

function format(hex: string): string {
  const groups = hex.match(/.{4}/g)!.map((group) => group.replace(/^0+(?=.)/, ""));
  // compress the longest run of zero groups (RFC 5952), as the providers will print it back
  let best = { at: -1, length: 0 };
  for (let at = 0; at < 8; ) {
    let length = 0;
    while (at + length < 8 && groups[at + length] === "0") length++;
    if (length > best.length && length > 1) best = { at, length };
    at += length || 1;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.length).join(":")}`;
}

/** Global unicast only: scope 00 also covers ULAs (fc00::/7), which the internet cannot reach. */
export function parseIfInet6(text: string): Ipv6Address[] {
  const found: Ipv6Address[] = [];
  for (const line of text.split("\n")) {
    const [hex, , prefix, scope, flags, name] = line.trim().split(/\s+/);
    if (!hex || hex.length !== 32 || scope !== "00") continue;
    if (!/^[23]/.test(hex)) continue; // 2000::/3 is global unicast
    const bits = Number.parseInt(flags, 16);
    if (bits & (flag.tentative | flag.dadFailed)) continue;
    found.push({
      address: format(hex),
      interface: name,
      prefixLength: Number.parseInt(prefix, 16),
      temporary: Boolean(bits & flag.temporary),
      deprecated: Boolean(bits & flag.deprecated),
      permanent: Boolean(bits & flag.permanent),
    });
  }
  return found;
}

/** The address to publish: stable before temporary, valid before deprecated, static before autoconfigured. */
export function chooseIpv6(addresses: Ipv6Address[]): string | null {
  const rank = (entry: Ipv6Address) => (entry.deprecated ? 4 : 0) + (entry.temporary ? 2 : 0) + (entry.permanent ? 0 : 1);
  const sorted = [...addresses].sort((a, b) => rank(a) - rank(b) || a.address.localeCompare(b.address));
  return sorted[0]?.address ?? null;
}

export function ownIpv6(path = "/proc/net/if_inet6"): string | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null; // a kernel without IPv6
  }
  return chooseIpv6(parseIfInet6(text));
}
