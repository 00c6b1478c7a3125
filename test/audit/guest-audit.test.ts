// The audit function under a real systemd: test/audit/guest-audit.ts runs in the booted trixie guest
// (test/system/run.mjs --guest-program), with openssh-server added by a list of this test's own.
// Needs root; fails, never skips.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const runner = fileURLToPath(new URL("../system/run.mjs", import.meta.url));
const program = fileURLToPath(new URL("./guest-audit.ts", import.meta.url));
const packages = fileURLToPath(new URL("./packages-guest.txt", import.meta.url));

test("in the booted guest: every unit's score as systemd-analyze gives it, a cloud-init sshd drop-in named, ports with processes", async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [runner, "--extra-list", packages, "--guest-program", program], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (exitCode) => resolve({ code: exitCode, output }));
  });
  if (code !== 0) console.error(output);
  expect(output).toMatch(/^ok {3}audit: score caretaker-audit@\.service: /m);
  expect(output).toMatch(/^ok {3}audit: cloud-init drop-in: .*\/etc\/ssh\/sshd_config\.d\/50-cloud-init\.conf:1/m);
  expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  expect(code, "verdict of the guest (systemd-nspawn's exit code); its log is printed above").toBe(0);
}, 600_000);
