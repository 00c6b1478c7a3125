// vitest for the whole project: unit tests beside the code, integration and system tests in test/.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["functions/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["node_modules/**", "build/**"],
    globalSetup: ["test/support/build-once.mjs"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // integration suites bind ports and count processes: one file at a time keeps them honest
    fileParallelism: false,
  },
});
