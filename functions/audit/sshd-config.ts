// Reads sshd's configuration files as sshd does (Include in place, globs sorted, first value wins,
// Match blocks apart) to say which file and line set each login keyword, and which lines lost.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Source {
  file: string;
  line: number;
  value: string;
}

export interface ConfigTree {
  /** every file read, in reading order */
  files: string[];
  /** per lower-case keyword, every global assignment in reading order: the first is the one sshd took */
  assignments: Map<string, Source[]>;
}

/** Old names sshd still accepts, under the name sshd -T prints. */
const aliases: Record<string, string> = { challengeresponseauthentication: "kbdinteractiveauthentication" };

/** A glob of Include (only "*" and "?" in the last part, as in the stock sshd_config), sorted like glob(3). */
function expand(pattern: string, base: string): string[] {
  const path = pattern.startsWith("/") ? pattern : join(base, pattern);
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (!/[*?[]/.test(name)) return [path];
  const matcher = new RegExp(`^${name.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
  try {
    return readdirSync(dirname(path)).filter((entry) => matcher.test(entry) && !entry.startsWith(".")).sort().map((entry) => join(dirname(path), entry));
  } catch {
    return []; // a glob that matches nothing is fine for sshd
  }
}

/** `Keyword value`, `Keyword=value` or `Keyword = value`; quotes kept out of the value. */
function split(line: string): [string, string] | undefined {
  const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
  if (!match) return undefined;
  return [match[1].toLowerCase(), match[2].trim().replace(/^"(.*)"$/, "$1")];
}

/** `base` resolves a relative Include: sshd takes it relative to /etc/ssh, whichever file names it. */
export function readConfigTree(mainFile: string, base = "/etc/ssh"): ConfigTree {
  const tree: ConfigTree = { files: [], assignments: new Map() };
  const read = (file: string, depth: number) => {
    if (depth > 16) throw new Error(`${file}: Include nested too deep`);
    tree.files.push(file);
    // a Match block runs to the next Match or the end of its file; its lines are not global values
    let inMatch = false;
    readFileSync(file, "utf8").split("\n").forEach((raw, index) => {
      const text = raw.replace(/\s+#.*$/, "").trim();
      if (!text || text.startsWith("#")) return;
      const parts = split(text);
      if (!parts) return;
      const [keyword, value] = parts;
      if (keyword === "match") return void (inMatch = !/^all$/i.test(value));
      if (keyword === "include") {
        for (const pattern of value.split(/\s+/)) for (const included of expand(pattern, base)) read(included, depth + 1);
        return;
      }
      if (inMatch) return;
      const name = aliases[keyword] ?? keyword;
      tree.assignments.set(name, [...(tree.assignments.get(name) ?? []), { file, line: index + 1, value }]);
    });
  };
  read(mainFile, 0);
  return tree;
}

/** `sshd -T` prints "keyword value" lines; a keyword that may repeat (port, hostkey …) keeps its first. */
export function parseEffective(stdout: string): Map<string, string> {
  const effective = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const at = line.indexOf(" ");
    if (at <= 0) continue;
    const keyword = line.slice(0, at).toLowerCase();
    if (!effective.has(keyword)) effective.set(keyword, line.slice(at + 1).trim());
  }
  return effective;
}
