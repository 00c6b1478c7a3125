// Lists the unit files and functions of a checkout; parsing lives in functions/_shared/unit-file.ts.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseUnitFile, type UnitFile } from "../../functions/_shared/unit-file.ts";

export { parseUnitFile, values, type Directive, type UnitFile } from "../../functions/_shared/unit-file.ts";

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
