// Runs in the booted guest (see guest-bench.mjs): caretaker's `system` under real socket activation
// and Cockpit side by side: cold responses, request peak memory and idle memory. Writes
// /results/bench.json and ends the guest.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { setUpBox } from "../system/guest/access.ts";
import { caretakerProcesses, processes, residentKiB, statusField } from "../system/guest/proc.ts";
import { run } from "../system/guest/systemctl.ts";

const requests = 20;
const sampledRequests = 10;
const cockpitColdRuns = 5;
const cockpitUser = { name: "benchadmin", password: "bench-only-password-1" };

const caretakerPids = () => caretakerProcesses().map((found) => found.pid);
const caddyPids = () => processes((cgroup) => cgroup.includes("/caddy.service")).map((found) => found.pid);
const cockpitPids = () => processes((cgroup, command) => /cockpit/.test(cgroup) || /cockpit/.test(command)).map((found) => found.pid);

/** The function instances' processes, cheap enough to ask every millisecond: from their cgroups. */
function caretakerProcessesFromCgroups() {
  const pids: number[] = [];
  const system = "/sys/fs/cgroup/system.slice";
  for (const slice of readdirSync(system).filter((name) => name.startsWith("system-caretaker"))) {
    for (const unit of readdirSync(`${system}/${slice}`).filter((name) => name.endsWith(".service"))) {
      try {
        pids.push(...readFileSync(`${system}/${slice}/${unit}/cgroup.procs`, "utf8").split("\n").filter(Boolean).map(Number));
      } catch {} // the instance ended
    }
  }
  return pids;
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function percentile90(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.9) - 1];
}

async function waitUntil(done: () => boolean, timeoutMilliseconds = 10_000) {
  const deadline = performance.now() + timeoutMilliseconds;
  while (!done() && performance.now() < deadline) await Bun.sleep(20);
  return done();
}

/** One curl over a fresh TLS connection; milliseconds from TLS established to the first byte. */
async function timedRequest(url: string, extra: string[] = [], sample?: () => void) {
  const curl = Bun.spawn(["curl", "-sk", "-o", "/dev/null", "--max-time", "30", "-w", "%{http_code} %{time_appconnect} %{time_starttransfer} %{time_total}", ...extra, url], { stdout: "pipe" });
  if (sample) {
    let exited = false;
    curl.exited.then(() => (exited = true));
    while (!exited) {
      sample();
      await Bun.sleep(1);
    }
  }
  await curl.exited;
  const [status, appconnect, firstByte, total] = (await new Response(curl.stdout).text()).split(" ");
  return { status, afterTls: (Number(firstByte) - Number(appconnect)) * 1000, total: Number(total) * 1000 };
}

const report: Record<string, unknown> = {};
run(["systemctl", "is-system-running", "--wait"], 120);

// ---- caretaker: `system` through Caddy, one fresh process per request --------------------------

await timedRequest("https://localhost/"); // Caddy issues its internal certificate once, outside the timings
// a set-up box and a signed-in script's token: verifying it is part of every cold request
const { token } = setUpBox();
const authorization = ["-H", `authorization: Bearer ${token}`];
const coldTimes: number[] = [];
for (let index = 0; index < requests; index++) {
  await waitUntil(() => caretakerPids().length === 0);
  const result = await timedRequest("https://localhost/api/system/overview", authorization);
  if (result.status !== "200") throw new Error(`caretaker request ${index}: status ${result.status}`);
  coldTimes.push(result.afterTls);
}
// peak memory in separate runs: sampling every millisecond takes CPU from the request it measures
const peaks: number[] = [];
const functionPeaks: number[] = []; // the largest process alone: the bun instance
for (let index = 0; index < sampledRequests; index++) {
  await waitUntil(() => caretakerPids().length === 0);
  const highWater = new Map<number, number>();
  await timedRequest("https://localhost/api/system/overview", authorization, () => {
    for (const pid of caretakerProcessesFromCgroups()) highWater.set(pid, Math.max(highWater.get(pid) ?? 0, statusField(pid, "VmHWM")));
  });
  peaks.push([...highWater.values()].reduce((sum, kib) => sum + kib, 0));
  functionPeaks.push(Math.max(0, ...highWater.values()));
}
await waitUntil(() => caretakerPids().length === 0);
await Bun.sleep(1000);
report.caretaker = {
  coldMedianMs: median(coldTimes),
  coldP90Ms: percentile90(coldTimes),
  requestPeakKiBMedian: median(peaks.filter((kib) => kib > 0)),
  largestProcessPeakKiBMedian: median(functionPeaks.filter((kib) => kib > 0)),
  peakSamples: peaks.filter((kib) => kib > 0).length,
  idleCaretakerProcesses: caretakerPids().length,
  idleCaretakerKiB: residentKiB(caretakerPids()),
  idleCaddyKiB: residentKiB(caddyPids()),
};

// ---- Cockpit: socket-activated cockpit-ws, cold first response and a page open -----------------

run(["systemctl", "start", "cockpit.socket"]);
const cockpitUrl = "https://localhost:9090/";
const firstEver = await timedRequest(cockpitUrl); // includes cockpit's one-time certificate
const cockpitCold: number[] = [];
const cockpitColdStatus: string[] = [];
for (let index = 0; index < cockpitColdRuns; index++) {
  // what idling out does: every cockpit process ends, the sockets stay
  run(["systemctl", "stop", "cockpit.service", "cockpit-wsinstance-http.service", "cockpit-wsinstance-https@*.service"]);
  // Cockpit's units keep systemd's default start limit (5 in 10 s): space the cold starts out
  await Bun.sleep(2200);
  await waitUntil(() => cockpitPids().length === 0);
  const result = await timedRequest(cockpitUrl);
  cockpitColdStatus.push(result.status);
  cockpitCold.push(result.afterTls);
}
await Bun.sleep(500);
const cockpitServing = residentKiB(cockpitPids());

run(["useradd", "--create-home", cockpitUser.name]);
Bun.spawnSync(["chpasswd"], { stdin: new TextEncoder().encode(`${cockpitUser.name}:${cockpitUser.password}\n`) });
const login = run(["curl", "-sk", "-D", "-", "-H", "X-Authorize: password", "-o", "/dev/null", "-u", `${cockpitUser.name}:${cockpitUser.password}`, `${cockpitUrl}cockpit/login`]);
const cookie = /^set-cookie:\s*([^;]+)/im.exec(login.stdout)?.[1] ?? "";
const pageMessages: string[] = [];
let pageOpen = false;
if (cookie) {
  // what the Overview page holds open: the control channel, systemd over D-Bus, and metrics
  const socket = new WebSocket("wss://localhost:9090/cockpit/socket", {
    headers: { Cookie: cookie, Origin: "https://localhost:9090" },
    protocols: ["cockpit1"],
    tls: { rejectUnauthorized: false },
  } as never);
  socket.onerror = (event) => pageMessages.push(`error: ${String((event as ErrorEvent).message ?? event.type)}`);
  socket.onclose = (event) => pageMessages.push(`closed: ${event.code} ${event.reason}`);
  socket.onmessage = (event) => {
    const text = String(event.data);
    pageMessages.push(text.slice(0, 120));
    if (text.includes('"command":"init"') && !pageOpen) {
      pageOpen = true;
      socket.send('\n{"command":"init","version":1,"host":"localhost"}');
      socket.send('\n{"command":"open","channel":"1","payload":"dbus-json3","name":"org.freedesktop.systemd1"}');
      socket.send('\n{"command":"open","channel":"2","payload":"metrics1","source":"internal","interval":1000,"metrics":[{"name":"cpu.basic.user","derive":"rate"},{"name":"memory.used"}]}');
      socket.send('\n{"command":"open","channel":"3","payload":"http-stream2","method":"GET","path":"/cockpit/@localhost/system/index.html","internal":"packages"}');
    }
  };
  await waitUntil(() => pageOpen, 10_000);
  await Bun.sleep(3000);
  report.cockpitPage = { open: pageOpen, kib: residentKiB(cockpitPids()), processes: cockpitPids().map((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim()) };
  socket.close();
} else {
  report.cockpitPage = { open: false, login: `${login.code} ${login.stdout.split("\n")[0]} ${login.stderr}` };
}
report.cockpit = {
  firstEverMs: firstEver.afterTls,
  firstEverStatus: firstEver.status,
  coldMedianMs: median(cockpitCold),
  coldP90Ms: percentile90(cockpitCold),
  coldStatus: cockpitColdStatus,
  servingLoginPageKiB: cockpitServing,
};
report.notes = {
  cgroupMemory: readFileSync("/sys/fs/cgroup/cgroup.controllers", "utf8").includes("memory") ? "available" : "no memory controller in this guest: peaks are sampled VmHWM",
  pageMessages: pageMessages.slice(0, 3),
};
writeFileSync("/results/bench.json", JSON.stringify(report, null, 2));
writeFileSync("/results/journal.txt", run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"]).stdout);
run(["systemctl", "exit", "0"]);
