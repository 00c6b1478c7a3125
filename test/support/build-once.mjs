// Builds the bundles and the page once before any test file runs, so every suite tests one build.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup() {
  execFileSync(process.execPath, [fileURLToPath(new URL("../../functions/_build/build.mjs", import.meta.url))], {
    stdio: "inherit",
  });
}
