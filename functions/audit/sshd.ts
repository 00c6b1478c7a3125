// Everything that knows sshd: its effective configuration (sshd -T), who set each login keyword, and the verdict.
import { existsSync } from "node:fs";
import type { Exec } from "../_shared/exec.ts";
import type { Ssh } from "./schema.ts";
import { parseEffective, readConfigTree, type ConfigTree, type Source } from "./sshd-config.ts";

export const sshdBinary = "/usr/sbin/sshd";
export const sshdConfig = "/etc/ssh/sshd_config";

/** The keywords that decide who may log in and how, in the order the page lists them. */
export const loginKeywords = [
  "passwordauthentication", "permitrootlogin", "kbdinteractiveauthentication", "permitemptypasswords",
  "pubkeyauthentication", "usepam", "authenticationmethods", "port",
] as const;

/**
 * Runs tools as caretaker-audit-sshd.service does when this process is root (dev mode, tests): as an
 * unprivileged user holding CAP_DAC_READ_SEARCH alone. sshd run as root would also demand /run/sshd.
 */
export function asTheJob(exec: Exec): Exec {
  if (process.getuid?.() !== 0) return exec;
  const setpriv = ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all,+dac_read_search", "--ambient-caps=-all,+dac_read_search", "--bounding-set=-all,+dac_read_search"];
  return (file, args, options) => exec("/usr/bin/setpriv", [...setpriv, file, ...args], options);
}

type Installed = Extract<Ssh, { installed: true }>;
type Finding = Installed["findings"][number];

const where = (source: Source) => `${source.file}:${source.line}`;

/** "set in A:3, overriding B:1 (no)": the file responsible, and what it won over. */
function origin(sources: readonly Source[] | undefined): string {
  if (!sources?.length) return "sshd's built-in default (no file sets it)";
  const [taken, ...ignored] = sources;
  const lost = ignored.filter((source) => source.value.toLowerCase() !== taken.value.toLowerCase());
  return `set in ${where(taken)}${lost.length ? `, which wins over ${lost.map((source) => `${where(source)} (${source.value})`).join(", ")} because sshd takes the first value it reads` : ""}`;
}

export function judge(effective: ReadonlyMap<string, string>, tree: ConfigTree): Finding[] {
  const value = (keyword: string) => (effective.get(keyword) ?? "").toLowerCase();
  const from = (keyword: string) => origin(tree.assignments.get(keyword));
  const findings: Finding[] = [];
  const password = value("passwordauthentication") === "yes";
  findings.push(password
    ? { level: "critical", keyword: "passwordauthentication", message: `Password login is on: anyone can try passwords against every account (${from("passwordauthentication")}).` }
    : { level: "ok", keyword: "passwordauthentication", message: `Password login is off (${from("passwordauthentication")}).` });
  const root = value("permitrootlogin");
  findings.push(root === "yes"
    ? { level: "critical", keyword: "permitrootlogin", message: `root may log in, with a password too where password login is on (${from("permitrootlogin")}).` }
    : root === "no"
      ? { level: "ok", keyword: "permitrootlogin", message: `root may not log in (${from("permitrootlogin")}).` }
      : { level: "warning", keyword: "permitrootlogin", message: `root may log in with a key (${root}; ${from("permitrootlogin")}).` });
  const keyboard = value("kbdinteractiveauthentication") === "yes";
  const pam = value("usepam") === "yes";
  findings.push(keyboard
    ? { level: pam ? "critical" : "warning", keyword: "kbdinteractiveauthentication", message: `Keyboard-interactive login is on${pam ? ": with UsePAM yes, PAM asks for the password this way even when PasswordAuthentication is no" : ""} (${from("kbdinteractiveauthentication")}).` }
    : { level: "ok", keyword: "kbdinteractiveauthentication", message: `Keyboard-interactive login is off (${from("kbdinteractiveauthentication")}).` });
  if (value("permitemptypasswords") === "yes") {
    findings.push({ level: "critical", keyword: "permitemptypasswords", message: `Accounts without a password may log in (${from("permitemptypasswords")}).` });
  }
  return findings;
}

/** The whole SSH report; `exec` runs sshd -T (the job runs it with CAP_DAC_READ_SEARCH, tests under setpriv). */
export async function readSsh(exec: Exec, config = sshdConfig, binary = sshdBinary, now = () => new Date()): Promise<Ssh> {
  if (!existsSync(binary)) return { installed: false, reason: `${binary} is not installed: nobody can log in over SSH` };
  const tree = readConfigTree(config);
  const { stdout } = await exec(binary, ["-T", "-f", config], { timeoutMs: 10_000 });
  const effective = parseEffective(stdout);
  const settings = loginKeywords.filter((keyword) => effective.has(keyword)).map((keyword) => {
    const [taken, ...rest] = tree.assignments.get(keyword) ?? [];
    return {
      keyword,
      value: effective.get(keyword) as string,
      file: taken?.file ?? null,
      line: taken?.line ?? null,
      ignored: rest.map(({ file, line, value }) => ({ file, line, value })),
    };
  });
  return { installed: true, readAt: now().toISOString(), settings, findings: judge(effective, tree), files: tree.files };
}
