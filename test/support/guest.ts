// Runs a guest program in a booted trixie guest (test/system/run.mjs --guest-program) and brings
// back nspawn's exit code (the verdict) and everything it printed, which is shown when it fails.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const runner = fileURLToPath(new URL("../system/run.mjs", import.meta.url));

export async function runGuestProgram(program: string, options: string[] = []): Promise<{ code: number | null; output: string }> {
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [runner, "--guest-program", program, ...options], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (exitCode) => resolve({ code: exitCode, output }));
  });
  if (result.code !== 0) console.error(result.output);
  return result;
}
