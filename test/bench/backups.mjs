// Benchmark of the backups function (not part of `npm test`): caretaker's create job, started through
// the API in dev mode and followed by server-sent events, against plain `borg create` of the same
// data with the same options, interleaved in one run; and the peak memory of the function process
// that streams the progress. Usage: npm run build && node test/bench/backups.mjs [rounds] [megabytes]
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";

const rounds = Number(process.argv[2]) || 5;
const megabytes = Number(process.argv[3]) || 192;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// half incompressible, half text-like: borg's compression and dedup both have work
const data = mkdtempSync(join(tmpdir(), "bench-backups-data-"));
for (let index = 0; index < megabytes / 16; index++) {
  const block = index % 2 ? randomBytes(16 * 1024 * 1024) : Buffer.from(Array.from({ length: 16 * 1024 * 64 }, (_, line) => `${index}:${line} lorem ipsum dolor sit amet\n`.padEnd(16, ".")).join("").slice(0, 16 * 1024 * 1024));
  writeFileSync(join(data, `part-${index}.bin`), block);
}
mkdirSync("/srv", { recursive: true });
const srv = mkdtempSync("/srv/caretaker-bench-backups-");
const peaks = join(root, "build/bench-backups-peaks.txt");
rmSync(peaks, { force: true });
// GNU time records each function process's peak RSS (KiB) as it exits, one line a process
const stack = await startStack({ port: await freePort(), wrap: ["/usr/bin/time", "-a", "-o", peaks, "-f", "%M"], setUp: true });
const passphrase = "benchmark passphrase";
const peakLines = () => (existsSync(peaks) ? readFileSync(peaks, "utf8").trim().split("\n").filter((line) => /^\d+$/.test(line)).map(Number) : []);

async function json(path, init) {
  const response = await stack.api(path, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function idle(name) {
  for (;;) {
    const status = (await json("/api/backups/repositories")).find((entry) => entry.name === name);
    if (!status.running) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function caretakerRound(round) {
  const name = `bench${round}`;
  await json(`/api/backups/repositories/${name}`, { method: "PUT", body: {
    location: join(srv, `caretaker-${round}`), appendOnly: false, passphrase, sources: [{ name: "bench", paths: [data], excludes: [] }],
    hooks: { before: [], after: [] }, retention: {}, maxAgeHours: 24, schedule: { create: null, check: null },
  } });
  await json(`/api/backups/repositories/${name}/jobs/init`, { method: "POST", body: {} });
  await idle(name);
  const started = performance.now();
  await json(`/api/backups/repositories/${name}/jobs/create`, { method: "POST", body: {} });
  // the page's way of following a backup: one SSE stream (500 ms polls) until `end`, reconnecting as EventSource would
  const before = peakLines().length;
  let events = 0;
  for (;;) {
    const text = await (await stack.api(`/api/backups/repositories/${name}/events`)).text();
    events += (text.match(/^event: status$/gm) ?? []).length;
    if (text.includes("event: end")) break;
  }
  const wall = (performance.now() - started) / 1000;
  const status = await idle(name);
  if (!status.lastRun?.ok || status.lastRun.job !== "create") throw new Error(`create failed: ${JSON.stringify(status.lastRun)}`);
  const job = (Date.parse(status.lastRun.finishedAt) - Date.parse(status.lastRun.startedAt)) / 1000;
  return { wall, job, borg: status.lastGood.durationSeconds, events, streamPeakKiB: Math.max(...peakLines().slice(before)), originalBytes: status.lastGood.originalBytes };
}

function plainRound(round) {
  const repo = join(srv, `plain-${round}`);
  const env = { PATH: "/usr/bin:/bin", BORG_PASSPHRASE: passphrase, BORG_BASE_DIR: join(srv, `plain-base-${round}`), BORG_CACHE_DIR: join(srv, `plain-cache-${round}`) };
  execFileSync("/usr/bin/borg", ["init", "--encryption=repokey-blake2", repo], { env, stdio: "ignore" });
  const started = performance.now();
  // the options caretaker's create job gives borg (borg.ts argv.create), without its JSON and progress output
  const out = execFileSync("/usr/bin/borg", ["create", "--json", "--compression=zstd,3", "--one-file-system", "--exclude-caches", `${repo}::plain`, "--", data], { env, encoding: "utf8" });
  return { wall: (performance.now() - started) / 1000, borg: JSON.parse(out).archive.duration };
}

const results = { wall: [], job: [], borg: [], plain: [], plainBorg: [], peaks: [], events: [] };
try {
  for (let round = 0; round < rounds; round++) {
    // alternate the order, so neither side always meets a warm page cache first
    const first = round % 2 === 0 ? "caretaker" : "plain";
    for (const side of first === "caretaker" ? ["caretaker", "plain"] : ["plain", "caretaker"]) {
      if (side === "plain") {
        const measured = plainRound(round);
        results.plain.push(measured.wall), results.plainBorg.push(measured.borg);
      }
      else {
        const measured = await caretakerRound(round);
        results.wall.push(measured.wall), results.job.push(measured.job), results.borg.push(measured.borg);
        results.peaks.push(measured.streamPeakKiB / 1024), results.events.push(measured.events);
      }
    }
    process.stdout.write(`round ${round + 1}/${rounds}: caretaker ${results.wall.at(-1).toFixed(2)} s (job ${results.job.at(-1).toFixed(2)} s), plain borg ${results.plain.at(-1).toFixed(2)} s (borg's own ${results.plainBorg.at(-1).toFixed(2)} s vs ${results.borg.at(-1).toFixed(2)} s)\n`);
  }
  const rate = (seconds) => `${(megabytes / seconds).toFixed(1)} MiB/s`;
  const plain = median(results.plain);
  console.log(`\n${megabytes} MiB, ${rounds} rounds interleaved, medians:`);
  const plainBorg = median(results.plainBorg);
  console.log(`borg's own archive duration: plain ${plainBorg.toFixed(2)} s (${rate(plainBorg)}), in caretaker's job ${median(results.borg).toFixed(2)} s (${rate(median(results.borg))}), ratio ${(median(results.borg) / plainBorg).toFixed(2)}`);
  console.log(`plain borg create, wall (process start to exit) ${plain.toFixed(2)} s  ${rate(plain)}`);
  console.log(`caretaker: the job (start to verdict)      ${median(results.job).toFixed(2)} s  ${rate(median(results.job))}  ratio ${(median(results.job) / plain).toFixed(2)}`);
  console.log(`caretaker: POST to SSE end (what the page sees) ${median(results.wall).toFixed(2)} s  ${rate(median(results.wall))}  ratio ${(median(results.wall) / plain).toFixed(2)}`);
  console.log(`function process streaming progress: peak RSS ${median(results.peaks).toFixed(1)} MiB (median), ${Math.max(...results.peaks).toFixed(1)} MiB (max); ${median(results.events)} status events a backup`);
} finally {
  await stack.stop();
  rmSync(data, { recursive: true, force: true });
  rmSync(srv, { recursive: true, force: true });
}
