import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { osFromRelease, parseOsRelease, readOsRelease } from "./os-release.ts";

const raspberryPiOs = `PRETTY_NAME="Raspbian GNU/Linux 12 (bookworm)"
NAME="Raspbian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=raspbian
ID_LIKE=debian
`;

describe("parseOsRelease(text): fields", () => {
  it("unquotes and unescapes values, skips comments", () => {
    expect(parseOsRelease(`# comment\nNAME='Single'\nPRETTY_NAME="A \\"quoted\\" \\$name"\nID=plain\n`)).toEqual({
      NAME: "Single",
      PRETTY_NAME: 'A "quoted" $name',
      ID: "plain",
    });
  });
  it("reads Raspberry Pi OS", () => {
    expect(osFromRelease(parseOsRelease(raspberryPiOs))).toEqual({ id: "raspbian", name: "Raspbian GNU/Linux 12 (bookworm)", version: "12" });
  });
  it("leaves the version empty on a release without VERSION_ID (trixie before release, sid)", () => {
    expect(osFromRelease(parseOsRelease('PRETTY_NAME="Debian GNU/Linux trixie/sid"\nNAME="Debian GNU/Linux"\nID=debian\n'))).toEqual({
      id: "debian",
      name: "Debian GNU/Linux trixie/sid",
      version: "",
    });
  });
});

describe("readOsRelease(paths): Os", () => {
  it("falls back to /usr/lib/os-release when /etc has none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "os-release-"));
    writeFileSync(join(dir, "usr-lib-os-release"), raspberryPiOs);
    expect(await readOsRelease([join(dir, "missing"), join(dir, "usr-lib-os-release")])).toMatchObject({ id: "raspbian" });
  });
  it("reads this machine's", async () => {
    const os = await readOsRelease();
    expect(os.id).toMatch(/^[a-z0-9._-]+$/);
    expect(os.name.length).toBeGreaterThan(0);
  });
});
