// parseIfInet6(text) and chooseIpv6(addresses): real /proc/net/if_inet6 lines of a home box, a VPS and this host.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { chooseIpv6, ownIpv6, parseIfInet6 } from "./if-inet6.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");

describe("parseIfInet6(text)", () => {
  test("keeps global unicast only, drops tentative ones, and reads the flags", () => {
    const found = parseIfInet6(fixture("if_inet6-home.txt"));
    expect(found.map((entry) => entry.address)).toEqual(["2a01:4b8:abcd:12:1111:2222:3333:4444", "2a01:4b8:abcd:12:211:22ff:fe33:4455", "2a01:4b8:abcd:12::99"]);
    expect(found.map((entry) => [entry.temporary, entry.deprecated])).toEqual([[true, false], [false, false], [false, true]]);
  });
  test("a ULA and link-local addresses are not public", () => {
    expect(parseIfInet6(fixture("if_inet6-none.txt"))).toEqual([]);
  });
});

describe("chooseIpv6(addresses)", () => {
  test("a stable address wins over a temporary and a deprecated one", () => {
    expect(chooseIpv6(parseIfInet6(fixture("if_inet6-home.txt")))).toBe("2a01:4b8:abcd:12:211:22ff:fe33:4455");
  });
  test("a temporary address is still better than nothing", () => {
    const [temporary] = parseIfInet6(fixture("if_inet6-home.txt"));
    expect(chooseIpv6([temporary])).toBe("2a01:4b8:abcd:12:1111:2222:3333:4444");
  });
  test("a VPS's static address", () => {
    expect(chooseIpv6(parseIfInet6(fixture("if_inet6-vps.txt")))).toBe("2001:67c:1bc0:a::2");
  });
});

test("ownIpv6() reads this host's real file and answers an address or null", () => {
  const answer = ownIpv6();
  expect(answer === null || /^[23][0-9a-f]{0,3}:/.test(answer)).toBe(true);
  expect(ownIpv6("/nonexistent/if_inet6")).toBeNull();
});
