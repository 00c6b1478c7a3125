// readSsh(exec, config) against the real sshd -T on configuration trees made here, run as the job runs it.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exec } from "../_shared/exec.ts";
import { asTheJob, readSsh } from "./sshd.ts";
import { readConfigTree } from "./sshd-config.ts";

let dir: string;
let main: string;
let dropIns: string;

/** Debian's layout: the Include of sshd_config.d/*.conf comes first, so a drop-in beats the main file. */
function tree(mainLines: string[], files: Record<string, string[]>) {
  writeFileSync(main, [`Include ${dropIns}/*.conf`, `HostKey ${dir}/host_key`, ...mainLines, ""].join("\n"));
  for (const [name, lines] of Object.entries(files)) {
    writeFileSync(join(dropIns, name), [...lines, ""].join("\n"));
    chmodSync(join(dropIns, name), 0o600); // as cloud-init writes 50-cloud-init.conf
  }
}

const run = () => readSsh(asTheJob(exec), main);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "audit-sshd-"));
  chmodSync(dir, 0o755);
  main = join(dir, "sshd_config");
  dropIns = join(dir, "sshd_config.d");
  mkdirSync(dropIns);
  execFileSync("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_key")]);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("readSsh(exec, config)", () => {
  it("names the cloud-init drop-in that turns password login back on, and the line it wins over", async () => {
    tree(["PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitRootLogin no", "Match User backup", "  PermitRootLogin yes"], {
      "50-cloud-init.conf": ["PasswordAuthentication yes"],
    });
    const report = await run();
    if (!report.installed) throw new Error(report.reason);
    const password = report.settings.find((setting) => setting.keyword === "passwordauthentication");
    // sshd itself says yes: the first value it read wins
    expect(password).toEqual({ keyword: "passwordauthentication", value: "yes", file: join(dropIns, "50-cloud-init.conf"), line: 1, ignored: [{ file: main, line: 3, value: "no" }] });
    const finding = report.findings.find((entry) => entry.keyword === "passwordauthentication");
    expect(finding?.level).toBe("critical");
    expect(finding?.message).toContain(`set in ${join(dropIns, "50-cloud-init.conf")}:1, which wins over ${main}:3 (no)`);
    // the Match block's PermitRootLogin yes is not the global value
    expect(report.settings.find((setting) => setting.keyword === "permitrootlogin")).toMatchObject({ value: "no", file: main, line: 5 });
    expect(report.files).toEqual([main, join(dropIns, "50-cloud-init.conf")]);
  });

  it("reports password login off, from the main file, when no drop-in turns it on", async () => {
    tree(["PasswordAuthentication no", "KbdInteractiveAuthentication no"], { "10-hardening.conf": ["PermitRootLogin prohibit-password"] });
    const report = await run();
    if (!report.installed) throw new Error(report.reason);
    expect(report.findings.map((finding) => [finding.keyword, finding.level])).toEqual([
      ["passwordauthentication", "ok"],
      ["permitrootlogin", "warning"],
      ["kbdinteractiveauthentication", "ok"],
    ]);
    // sshd 9.2 (bookworm) still prints the old name of prohibit-password
    expect(report.settings.find((setting) => setting.keyword === "permitrootlogin")).toMatchObject({ value: expect.stringMatching(/^(prohibit|without)-password$/), file: join(dropIns, "10-hardening.conf") });
  });

  it("takes the old ChallengeResponseAuthentication name as keyboard-interactive, critical with PAM", async () => {
    tree(["PasswordAuthentication no", "UsePAM yes"], { "20-legacy.conf": ["ChallengeResponseAuthentication=yes"] });
    const report = await run();
    if (!report.installed) throw new Error(report.reason);
    const finding = report.findings.find((entry) => entry.keyword === "kbdinteractiveauthentication");
    expect(finding).toMatchObject({ level: "critical" });
    expect(finding?.message).toContain(`${join(dropIns, "20-legacy.conf")}:1`);
  });

  it("says sshd's default set a value no file mentions", async () => {
    tree([], {});
    const report = await run();
    if (!report.installed) throw new Error(report.reason);
    expect(report.settings.find((setting) => setting.keyword === "passwordauthentication")).toMatchObject({ value: "yes", file: null, line: null });
    expect(report.findings[0].message).toContain("sshd's built-in default");
  });

  it("answers installed: false without sshd", async () => {
    expect(await readSsh(exec, main, join(dir, "no-sshd"))).toMatchObject({ installed: false });
  });
});

describe("readConfigTree(main, base)", () => {
  it("resolves a relative Include against the base folder, as sshd does against /etc/ssh", () => {
    writeFileSync(main, "Include sshd_config.d/*.conf\nPort 2222\n");
    writeFileSync(join(dropIns, "b.conf"), "Port 22\n");
    writeFileSync(join(dropIns, "a.conf"), "# comment\nport 2200 # trailing\n");
    const parsed = readConfigTree(main, dir);
    expect(parsed.files).toEqual([main, join(dropIns, "a.conf"), join(dropIns, "b.conf")]);
    expect(parsed.assignments.get("port")?.map((source) => source.value)).toEqual(["2200", "22", "2222"]);
  });
});
