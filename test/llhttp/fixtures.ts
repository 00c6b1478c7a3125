// Reads llhttp's request fixtures (markdown) into cases, rewriting raw blocks exactly as llhttp's md-test.ts does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";

export interface FixtureCase {
  /** `<file> › <heading>`, made unique with ` (2)` and so on */
  name: string;
  meta: { type?: string; mode?: string; noScan?: boolean; skipBody?: boolean };
  /** the request bytes, UTF-8 encoded like llhttp's harness does */
  input: Uint8Array;
  log: string[];
}

export function readFixtures(directory: string): FixtureCase[] {
  const cases: FixtureCase[] = [];
  const seen = new Map<string, number>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith(".md")).sort()) {
    for (const raw of splitCases(readFileSync(join(directory, file), "utf8"))) {
      const base = `${file} › ${raw.heading}`;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      cases.push({
        name: count === 1 ? base : `${base} (${count})`,
        meta: raw.meta,
        input: new TextEncoder().encode(rewriteInput(raw.http)),
        log: raw.log.replace(/\\t/g, "\t").replace(/\\f/g, "\f").split("\n").slice(0, -1),
      });
    }
  }
  return cases;
}

interface RawCase {
  heading: string;
  meta: FixtureCase["meta"];
  http: string;
  log: string;
}

/** Pairs each fenced `http` block with the `meta` comment before it and the `log` block after it. */
function splitCases(markdown: string): RawCase[] {
  const lines = markdown.split("\n");
  const cases: RawCase[] = [];
  let heading = "";
  let meta: FixtureCase["meta"] = {};
  let http: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const fence = /^```(\w+)\s*$/.exec(line);
    if (/^#+ /.test(line)) heading = line.replace(/^#+ /, "").trim();
    else if (line.startsWith("<!-- meta=")) meta = JSON.parse(line.slice("<!-- meta=".length, line.lastIndexOf("-->")));
    else if (fence) {
      let content = "";
      for (index++; lines[index] !== "```"; index++) content += lines[index] + "\n";
      if (fence[1] === "http") http = content;
      if (fence[1] === "log" && http !== undefined) {
        cases.push({ heading, meta, http, log: content });
        http = undefined;
        meta = {};
      }
    }
  }
  return cases;
}

/** The rewriting of llhttp's test/md-test.ts, step by step and in the same order. */
export function rewriteInput(block: string): string {
  let input = block.replace(/\n$/, "");
  input = input.replace(/\\(\r\n|\r|\n)/g, "");
  input = input.replace(/\r\n|\r|\n/g, "\r\n");
  input = input.replace(/\\r/g, "\r");
  input = input.replace(/\\n/g, "\n");
  input = input.replace(/\\t/g, "\t");
  input = input.replace(/\\f/g, "\f");
  input = input.replace(/\\x([0-9a-fA-F]+)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  input = input.replace(/\\([0-7]{1,3})/g, (_, digits: string) => String.fromCharCode(parseInt(digits, 8)));
  input = input.replace(/\$\{(.+?)\}/g, (_, code: string) => String(runInNewContext(code)));
  return input;
}
