// Finds the function processes of this checkout (bun running a built bundle) by reading /proc.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:net";
import { root } from "../../functions/_build/build.mjs";

const buildDir = join(root, "build");

export function functionProcesses() {
  const found = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!argv.includes("--no-env-file") || !argv.some((arg) => arg.startsWith(buildDir))) continue;
      // systemd-socket-activate's own argv names the bundle too; only the exec'd bun is a function
      if (argv[0].endsWith("systemd-socket-activate")) continue;
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      found.push({ pid: Number(pid), rssKiB: rss ? Number(rss[1]) : 0, argv });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function waitUntil(check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
