// parseSimulation and readUpdates: lines as bookworm's apt-get -s prints them, and the real apt of this host.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exec } from "../_shared/exec.ts";
import { aptGet, parseSimulation, readUpdates } from "./apt.ts";

const simulation = `NOTE: This is only a simulation!
Inst base-files [12.4+deb12u11] (12.4+deb12u15 Debian:12.15/oldstable [amd64])
Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])
Inst liblzma-dev [5.4.1-1] (5.4.1-1+deb12u2 Debian-Security:12/oldstable-security [amd64]) []
Inst linux-image-6.1.0-42-amd64 (6.1.159-1 Debian-Security:12/oldstable-security [amd64])
Conf base-files (12.4+deb12u15 Debian:12.15/oldstable [amd64])
`;

describe("parseSimulation(stdout)", () => {
  it("lists what would be installed, by package, and tells security fixes by their archive", () => {
    expect(parseSimulation(simulation)).toEqual([
      { package: "base-files", from: "12.4+deb12u11", to: "12.4+deb12u15", origin: "Debian:12.15/oldstable", security: false },
      { package: "libgcrypt20", from: "1.10.1-3", to: "1.10.1-3+deb12u1", origin: "Debian:12.15/oldstable, Debian-Security:12/oldstable-security", security: true },
      { package: "liblzma-dev", from: "5.4.1-1", to: "5.4.1-1+deb12u2", origin: "Debian-Security:12/oldstable-security", security: true },
      { package: "linux-image-6.1.0-42-amd64", from: "", to: "6.1.159-1", origin: "Debian-Security:12/oldstable-security", security: true },
    ]);
  });
});

describe("readUpdates(exec)", () => {
  it("asks this host's apt and says when its lists were fetched", async () => {
    expect(existsSync(aptGet), "the test host is Debian with apt").toBe(true);
    const updates = await readUpdates(exec);
    if (!updates.available) throw new Error(updates.reason);
    expect(updates.security).toBe(updates.pending.filter((entry) => entry.security).length);
    expect(updates.listsUpdatedAt === null || !Number.isNaN(Date.parse(updates.listsUpdatedAt))).toBe(true);
  }, 90_000);
  it("answers available: false where there is no apt (the appliance image)", async () => {
    expect(await readUpdates(exec, "/nonexistent/apt-get")).toMatchObject({ available: false });
  });
});
