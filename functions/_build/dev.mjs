// `npm start`: install what dev mode needs (as root), build, and run the stack on :8080 until Ctrl-C.
import { execFileSync } from "node:child_process";
import { devPackages, ensurePackages } from "./packages.mjs";
import { startStack } from "./stack.mjs";

ensurePackages(devPackages);
execFileSync(process.execPath, [new URL("./build.mjs", import.meta.url).pathname], { stdio: "inherit" });
const port = Number(process.env.PORT) || 8080;
const stack = await startStack({ port, log: (chunk) => process.stderr.write(chunk) });
console.log(`caretaker is serving ${stack.url}  (Ctrl-C stops it)`);
console.log(`first boot: open ${stack.url}/ and enter the setup code ${stack.setupCode}`);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  });
}
