// Benchmark of dev mode (not part of `npm test`): cold requests to `system` through Caddy and
// straight to its socket, beside a warm Bun.serve of the same handler, interleaved in one run.
// Usage: npm run bench [-- rounds]   (needs `npm run build` first)
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { bun, root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort, functionProcesses, waitUntil } from "../support/processes.mjs";

const rounds = Number(process.argv[2]) || 30;

function timedGet(options) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // a signed-in script's request: the token is verified in-process on every cold start
    const req = request({ path: "/api/system/overview", headers: { authorization: `Bearer ${stack.admin.token}` }, ...options }, (response) => {
      response.resume();
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`status ${response.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values) => quantile(values, 0.5);
const fmt = (n) => n.toFixed(1).padStart(7);

const peaks = join(root, "build/bench-peaks.txt");
rmSync(peaks, { force: true });
// GNU time records each function process's peak RSS as it exits
const stack = await startStack({ port: await freePort(), wrap: ["/usr/bin/time", "-a", "-o", peaks, "-f", "%M"], setUp: true });
const warmSocket = join(stack.run, "system-warm.sock");
const warm = spawn(bun, ["--no-env-file", join(root, "test/bench/warm-system.ts"), warmSocket], { stdio: "ignore", env: { ...process.env, BUN_JSC_useJIT: "0", CARETAKER_PUBLIC_STATE: stack.publicState } });
await waitUntil(() => existsSync(warmSocket));
const port = Number(new URL(stack.url).port);

const times = { caddy: [], socket: [], warm: [] };
try {
  await timedGet({ host: "127.0.0.1", port });
  await timedGet({ socketPath: warmSocket });
  for (let round = 0; round < rounds; round++) {
    times.caddy.push(await timedGet({ host: "127.0.0.1", port }));
    times.socket.push(await timedGet({ socketPath: join(stack.run, "system.sock") }));
    times.warm.push(await timedGet({ socketPath: warmSocket }));
  }
  await waitUntil(() => functionProcesses().length === 0, 5000);
  const idle = functionProcesses();
  const peakKiB = readFileSync(peaks, "utf8").trim().split("\n").map(Number).filter((n) => n > 0);
  const warmRss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${warm.pid}/status`, "utf8"))[1]);
  console.log(`caretaker dev-mode benchmark, ${rounds} rounds interleaved, ms (lower is better)`);
  console.log(`                                      median     p90`);
  console.log(`cold, through Caddy (socket-activate)${fmt(median(times.caddy))} ${fmt(quantile(times.caddy, 0.9))}`);
  console.log(`cold, straight to the socket         ${fmt(median(times.socket))} ${fmt(quantile(times.socket, 0.9))}`);
  console.log(`warm Bun.serve, same handler         ${fmt(median(times.warm))} ${fmt(quantile(times.warm, 0.9))}`);
  console.log(`ratio cold socket / warm (medians)   ${fmt(median(times.socket) / median(times.warm))}x`);
  console.log(`peak RSS per cold request, MiB: median ${(median(peakKiB) / 1024).toFixed(1)}, max ${(Math.max(...peakKiB) / 1024).toFixed(1)} (${peakKiB.length} processes)`);
  console.log(`warm Bun.serve RSS after the run, MiB: ${(warmRss / 1024).toFixed(1)}`);
  console.log(`caretaker function processes left after the requests: ${idle.length} (${idle.reduce((sum, p) => sum + p.rssKiB, 0)} KiB)`);
} finally {
  warm.kill();
  await stack.stop();
}
