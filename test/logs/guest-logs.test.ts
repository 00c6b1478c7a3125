// The logs function under a real systemd over a journal of a million entries: test/logs/guest-logs.ts
// runs in the booted trixie guest (test/system/run.mjs --guest-program). Needs root; fails, never skips.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const runner = fileURLToPath(new URL("../system/run.mjs", import.meta.url));
const program = fileURLToPath(new URL("./guest-logs.ts", import.meta.url));
const packages = fileURLToPath(new URL("./guest-packages.txt", import.meta.url));

test("in the booted guest: paging, searching and following a million entries with flat memory", async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [runner, "--guest-program", program, "--extra-list", packages], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (exitCode) => resolve({ code: exitCode, output }));
  });
  if (code !== 0) console.error(output);
  expect(output).toMatch(/^ok {3}logs: a million entries: 1000000 entries written/m);
  expect(output).toMatch(/^ok {3}logs: follow memory flat: /m);
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
