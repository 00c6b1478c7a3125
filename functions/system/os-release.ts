// Reads the distribution's identity from os-release(5).
import { readFile } from "node:fs/promises";
import type { Os } from "./schema.ts";

/** os-release is shell-like `KEY=value` with optional quotes and backslash escapes; comments start with #. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\([$"\\`])/g, "$1");
    }
    fields[match[1]] = value;
  }
  return fields;
}

export function osFromRelease(fields: Record<string, string>): Os {
  return {
    id: fields.ID ?? "linux",
    name: fields.PRETTY_NAME ?? fields.NAME ?? "Linux",
    version: fields.VERSION_ID ?? "",
  };
}

/** /etc/os-release wins; /usr/lib/os-release is the fallback os-release(5) names (an image with an empty /etc). */
export async function readOsRelease(paths: readonly string[] = ["/etc/os-release", "/usr/lib/os-release"]): Promise<Os> {
  for (const path of paths) {
    try {
      return osFromRelease(parseOsRelease(await readFile(path, "utf8")));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return osFromRelease({});
}
