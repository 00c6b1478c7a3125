// The real system: caretaker installed into a Debian trixie rootfs and booted with systemd as PID 1
// (test/system/run.mjs). The guest checks every function and its verdict is nspawn's exit code.
// Needs root; it fails, never skips, when it cannot boot the guest.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const runner = fileURLToPath(new URL("./run.mjs", import.meta.url));

function bootGuest(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });
}

test("the booted guest passes every check for every function", async () => {
  const { code, output } = await bootGuest();
  if (code !== 0) console.error(output);
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  // the second boot of the same root: admin, token and name survive, setup stays closed
  expect(output).toMatch(/^# the second boot of the same guest$[\s\S]*^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
