// Reads systemd unit files into sections of ordered directives and the comments around them
// (the unit-file checks in test/units and the audit function's offline view share it).
import { readFileSync } from "node:fs";

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

export function parseUnitText(text: string, name: string, path = name): UnitFile {
  const sections = new Map<string, Directive[]>();
  const comments: string[] = [];
  let current: Directive[] | undefined;
  text.split("\n").forEach((raw, index) => {
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

export function parseUnitFile(path: string, name = path.slice(path.lastIndexOf("/") + 1)): UnitFile {
  return parseUnitText(readFileSync(path, "utf8"), name, path);
}

/** Every value of a key in a section, in order. */
export function values(unit: UnitFile, section: string, key: string): string[] {
  return (unit.sections.get(section) ?? []).filter((directive) => directive.key === key).map((directive) => directive.value);
}
