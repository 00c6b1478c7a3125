// Reads systemd unit files into sections of ordered directives and the comments around them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Directive {
  key: string;
  value: string;
  line: number;
}

export interface UnitFile {
  name: string;
  path: string;
  sections: Map<string, Directive[]>;
  comments: string[];
}

export function parseUnitFile(path: string, name = path.slice(path.lastIndexOf("/") + 1)): UnitFile {
  const sections = new Map<string, Directive[]>();
  const comments: string[] = [];
  let current: Directive[] | undefined;
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((raw, index) => {
      const line = raw.trim();
      if (!line) return;
      if (line.startsWith("#") || line.startsWith(";")) return void comments.push(line.slice(1).trim());
      const section = /^\[(.+)\]$/.exec(line);
      if (section) {
        current = [];
        sections.set(section[1], current);
        return;
      }
      const directive = /^([A-Za-z0-9]+)\s*=\s*(.*)$/.exec(line);
      if (!directive || !current) throw new Error(`${name}:${index + 1}: not a directive: ${line}`);
      current.push({ key: directive[1], value: directive[2], line: index + 1 });
    });
  return { name, path, sections, comments };
}

/** Every value of a key in a section, in order. */
export function values(unit: UnitFile, section: string, key: string): string[] {
  return (unit.sections.get(section) ?? []).filter((directive) => directive.key === key).map((directive) => directive.value);
}

export function unitFiles(root: string, folder: string, suffix: string): UnitFile[] {
  return readdirSync(join(root, folder))
    .filter((file) => file.endsWith(suffix))
    .sort()
    .map((file) => parseUnitFile(join(root, folder, file)));
}

/** The capabilities: every folder of functions/ that is not shared code. */
export function functionNames(root: string): string[] {
  return readdirSync(join(root, "functions"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
    .map((entry) => entry.name)
    .sort();
}
