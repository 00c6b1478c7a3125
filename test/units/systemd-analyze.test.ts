// Every unit through systemd's own tools, offline: the exposure score and `systemd-analyze verify`.
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { unitFiles, values, type UnitFile } from "./unit-file.ts";

const run = promisify(execFile);
const analyze = "/usr/bin/systemd-analyze";
const root = join(import.meta.dirname, "../..");
const services = unitFiles(root, "units", ".service");
const sockets = unitFiles(root, "socket-units", ".socket");
const defaultThreshold = 1.0;

interface Check {
  name: string;
  json_field: string;
  exposure: string | null;
}

/** Overall score from the text report; the per-check list from --json=short (systemd 252 leaves the total out of the JSON). */
async function security(unit: UnitFile): Promise<{ overall: number; failing: Check[] }> {
  const dir = mkdtempSync(join(tmpdir(), "security-"));
  const copy = join(dir, unit.name);
  copyFileSync(unit.path, copy);
  const [text, json] = await Promise.all([
    run(analyze, ["security", "--offline=true", "--no-pager", copy]),
    run(analyze, ["security", "--offline=true", "--json=short", "--no-pager", copy]),
  ]);
  const overall = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(text.stdout);
  if (!overall) throw new Error(`${unit.name}: no overall exposure in: ${text.stdout.slice(-300)}`);
  const failing = (JSON.parse(json.stdout) as Check[]).filter((check) => Number(check.exposure ?? 0) > 0);
  return { overall: Number(overall[1]), failing };
}

/** What is wrong with a unit's score; a unit may go above 1.0 only by declaring it and naming every failing check. */
export function exposureProblems(unit: UnitFile, overall: number, failing: readonly Check[]): string[] {
  const declared = unit.comments.map((comment) => /^exposure-threshold:\s*(\d+(?:\.\d+)?)$/.exec(comment)).find(Boolean);
  const threshold = declared ? Number(declared[1]) : defaultThreshold;
  if (overall > threshold) {
    return [`${unit.name}: exposure ${overall} is above ${declared ? "its declared" : "the default"} threshold ${threshold}${declared ? "" : " (declare '# exposure-threshold: <n>' and justify each failing check in a comment)"}`];
  }
  if (overall <= defaultThreshold) return [];
  return failing
    .filter((check) => !unit.comments.some((comment) => comment.includes(check.name) || comment.includes(check.json_field)))
    .map((check) => `${unit.name}: exposure ${overall} > ${defaultThreshold} but no comment justifies ${check.name} (${check.exposure})`);
}

/**
 * `verify` needs a root: with --root it finds sysinit.target and friends there, and checks that ExecStart=
 * is executable inside it. The root holds a copy of this host's systemd units, our units, a real bun
 * binary at each ExecStart path and the bundle paths as empty files.
 */
function verifyRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), "verify-root-"));
  const unitDir = join(dir, "etc/systemd/system");
  mkdirSync(unitDir, { recursive: true });
  cpSync("/usr/lib/systemd/system", join(dir, "usr/lib/systemd/system"), { recursive: true });
  for (const unit of [...services, ...sockets]) copyFileSync(unit.path, join(unitDir, unit.name));
  const bun = join(root, "node_modules/bun/bin/bun.exe");
  for (const unit of services) {
    for (const command of values(unit, "Service", "ExecStart")) {
      const [binary, ...args] = command.replace(/^[-@:+!]+/, "").split(/\s+/);
      const target = join(dir, binary);
      if (existsSync(target)) continue;
      mkdirSync(dirname(target), { recursive: true });
      if (binary.endsWith("/bun")) {
        try {
          linkSync(bun, target);
        } catch {
          copyFileSync(bun, target);
        }
      }
      for (const arg of args.filter((argument) => argument.startsWith("/"))) {
        mkdirSync(dirname(join(dir, arg)), { recursive: true });
        writeFileSync(join(dir, arg), "");
      }
    }
  }
  return dir;
}

/** A template is verified through an instance of it. */
function verifiable(name: string): string {
  return name.replace(/@\.service$/, "@verify.service");
}

describe("systemd-analyze security --offline=true", () => {
  it.each(services.map((unit) => [unit.name, unit] as const))("%s stays at or below its exposure threshold", async (_, unit) => {
    const { overall, failing } = await security(unit);
    expect(exposureProblems(unit, overall, failing)).toEqual([]);
  });

  it("the rule refuses an undeclared score above 1.0 and an unjustified failing check", () => {
    const unit = { name: "caretaker-x@.service", path: "", sections: new Map(), comments: ["exposure-threshold: 1.5"] };
    const check = { name: "PrivateNetwork=", json_field: "PrivateNetwork", exposure: "0.5" };
    expect(exposureProblems({ ...unit, comments: [] }, 1.2, [check])[0]).toMatch(/^caretaker-x@\.service: exposure 1.2 is above the default threshold 1/);
    expect(exposureProblems(unit, 1.2, [check])).toEqual(["caretaker-x@.service: exposure 1.2 > 1 but no comment justifies PrivateNetwork= (0.5)"]);
    expect(exposureProblems({ ...unit, comments: [...unit.comments, "PrivateNetwork= off: the DynDNS update talks to the provider"] }, 1.2, [check])).toEqual([]);
    expect(exposureProblems(unit, 1.6, [])[0]).toMatch(/above its declared threshold 1.5/);
  });
});

describe("systemd-analyze verify --root=<temp root>", () => {
  const dir = verifyRoot();
  it.each([...services, ...sockets].map((unit) => [unit.name, unit] as const))("%s loads without errors or warnings", async (_, unit) => {
    const result = await run(analyze, ["verify", "--man=no", `--root=${dir}`, verifiable(unit.name)]).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(`${unit.name}: exit ${result.code}\n${result.stderr}`).toBe(`${unit.name}: exit 0\n`);
  });
});
