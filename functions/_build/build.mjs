// Builds what an installed caretaker runs: one bytecode bundle per function, and the page with
// Preact and htm vendored from node_modules and the API description generated from the schemas.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const bun = join(root, "node_modules/.bin/bun");
const final = join(root, "build");
// built beside build/ and swapped in at the end, so a test running meanwhile never sees half a build
const out = join(root, `build.staging-${process.pid}`);

/** The capabilities: every folder of functions/ that is not shared code. */
export function functionNames(source = root) {
  return readdirSync(join(source, "functions"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
    .map((entry) => entry.name)
    .sort();
}

const vendored = {
  "preact.mjs": "preact/dist/preact.mjs",
  "preact-hooks.mjs": "preact/hooks/dist/hooks.mjs",
  "htm.mjs": "htm/dist/htm.mjs",
};

function buildFunctions(names) {
  const entries = join(out, "entries");
  mkdirSync(entries, { recursive: true });
  for (const name of names) {
    const entry = join(entries, `${name}.ts`);
    writeFileSync(
      entry,
      `import fn from "../../functions/${name}/index.ts";\nimport { run } from "../../functions/_shared/run.ts";\nvoid run(fn);\n`,
    );
    bundle(entry, join(out, "functions"));
  }
}

function bundle(entry, outdir) {
  execFileSync(bun, ["build", "--target=bun", "--bytecode", "--format=cjs", "--minify-syntax", "--outdir", outdir, entry], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Job bundles: functions/<fn>/jobs/<job>.ts becomes build/jobs/<fn>-<job>.js, run by its job unit. */
export function jobNames(name, source = root) {
  const dir = join(source, "functions", name, "jobs");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => file.slice(0, -3))
    .sort();
}

function buildJobs(names) {
  const entries = join(out, "entries");
  for (const name of names) {
    for (const job of jobNames(name)) {
      const entry = join(entries, `${name}-${job}.ts`);
      writeFileSync(
        entry,
        `import main from "../../functions/${name}/jobs/${job}.ts";\nimport { runJob } from "../../functions/_shared/job-run.ts";\nvoid runJob(main);\n`,
      );
      bundle(entry, join(out, "jobs"));
    }
  }
}

function buildPage() {
  const page = join(out, "public");
  cpSync(join(root, "public"), page, { recursive: true });
  mkdirSync(join(page, "vendor"), { recursive: true });
  for (const [file, source] of Object.entries(vendored)) cpSync(join(root, "node_modules", source), join(page, "vendor", file));
  const openapi = execFileSync(bun, ["--no-env-file", join(root, "functions/_build/openapi.ts")], { cwd: root, maxBuffer: 16 << 20 });
  writeFileSync(join(page, "openapi.json"), openapi);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  rmSync(out, { recursive: true, force: true });
  const names = functionNames();
  buildFunctions(names);
  buildJobs(names);
  buildPage();
  const old = `${final}.old-${process.pid}`;
  if (existsSync(final)) renameSync(final, old);
  renameSync(out, final);
  rmSync(old, { recursive: true, force: true });
  console.error(`built ${names.join(", ")} and the page in ${Date.now() - started} ms`);
}
