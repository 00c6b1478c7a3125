// Runs in the booted trixie guest (node test/system/run.mjs --guest-program test/logs/guest-logs.ts
// --extra-list test/logs/guest-packages.txt): the logs function in its real sandbox over a journal of
// a million entries. Pages newest, deep and at the far end, searches it all, follows a flood live,
// and samples the resident memory of the function's processes (bun and journalctl) all the while.
import { appendFileSync, chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { bearer, setUpBox } from "../system/guest/access.ts";
import { processes, statusField } from "../system/guest/proc.ts";
import { run } from "../system/guest/systemctl.ts";

const log = "/results/checks.log";
const counts = { passed: 0, failed: 0 };
function check(name: string, ok: boolean, detail: string) {
  counts[ok ? "passed" : "failed"]++;
  const line = `${ok ? "ok  " : "FAIL"} logs: ${name}: ${detail}`;
  console.log(line);
  appendFileSync(log, line + "\n");
}
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

mkdirSync("/results", { recursive: true });
writeFileSync(log, "");
run(["systemctl", "is-system-running", "--wait"], 120);
const token = setUpBox().token;
check("setup", token !== "", "first-boot setup done, token minted");

// ---- a million entries: the export format into systemd-journal-remote, into this machine's journal --------

const machine = readFileSync("/etc/machine-id", "utf8").trim();
const journalDirectory = `/var/log/journal/${machine}`;
mkdirSync(journalDirectory, { recursive: true });
const total = 1_000_000;
const now = Date.now();
const begun = performance.now();
const writer = Bun.spawn(["/usr/lib/systemd/systemd-journal-remote", `--output=${journalDirectory}/bulk.journal`, "-"], { stdin: "pipe", stdout: "ignore", stderr: "pipe" });
const boot = crypto.randomUUID().replaceAll("-", "");
for (let start = 0; start < total; start += 20_000) {
  let chunk = "";
  for (let i = start; i < start + 20_000; i++) {
    // ten days, oldest first; a "needle" every 250 000 entries for the search over everything
    const micros = (now - 10 * 86_400_000) * 1000 + i * 864_000;
    const message = i % 250_000 === 123 ? `needle ${i} in the haystack` : `bulk entry ${i}: request handled in ${i % 97} ms`;
    chunk += `__REALTIME_TIMESTAMP=${micros}\n__MONOTONIC_TIMESTAMP=${i + 1}\n_BOOT_ID=${boot}\nMESSAGE=${message}\nPRIORITY=${i % 8}\n_SYSTEMD_UNIT=bulk${i % 4}.service\nSYSLOG_IDENTIFIER=bulk\n_PID=${1000 + (i % 50)}\n\n`;
  }
  writer.stdin.write(chunk);
  await writer.stdin.flush();
}
writer.stdin.end();
const [code, said] = await Promise.all([writer.exited, new Response(writer.stderr).text()]);
// as journald leaves its own files: group systemd-journal may read them
for (const file of readdirSync(journalDirectory).filter((name) => name.startsWith("bulk"))) {
  chownSync(`${journalDirectory}/${file}`, 0, Number(run(["getent", "group", "systemd-journal"]).stdout.split(":")[2]));
  chmodSync(`${journalDirectory}/${file}`, 0o640);
}
const written = Number(/writing (\d+) entries/.exec(said)?.[1] ?? 0);
check("a million entries", code === 0 && written === total, `${written} entries written by systemd-journal-remote in ${((performance.now() - begun) / 1000).toFixed(1)} s (${said.trim().split("\n").at(-1)})`);

// ---- the function's memory, sampled while it works ----------------------------------------------------------

// journalctl's RSS counts the journal file pages it maps (page cache, reclaimable): its own heap is RssAnon
const samples: { bun: number; journalctl: number; journalctlAnon: number; at: number }[] = [];
const sampler = setInterval(() => {
  let bun = 0;
  let journalctl = 0;
  let journalctlAnon = 0;
  for (const { pid } of processes((cgroup) => cgroup.includes("caretaker-logs@"))) {
    const command = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    const rss = statusField(pid, "VmRSS");
    if (command === "journalctl") {
      journalctl += rss;
      journalctlAnon += statusField(pid, "RssAnon");
    }
    else bun += rss;
  }
  if (bun || journalctl) samples.push({ bun, journalctl, journalctlAnon, at: performance.now() });
}, 40);
function peakSince(mark: number) {
  const window = samples.filter((sample) => sample.at >= mark);
  const max = (key: "bun" | "journalctl" | "journalctlAnon") => Math.max(0, ...window.map((sample) => sample[key]));
  return { bun: max("bun"), journalctl: max("journalctl"), journalctlAnon: max("journalctlAnon") };
}

async function curl(path: string, extra: string[] = []) {
  const child = Bun.spawn(["curl", "-sS", "-k", "--max-time", "40", ...extra, "-w", "\n%{http_code}", "-H", `authorization: ${bearer(token).authorization}`, `https://localhost/api/logs${path}`], { stdout: "pipe", stderr: "pipe" });
  const [stdout] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  const lines = stdout.split("\n");
  const status = lines.pop();
  let json: any = null;
  try {
    json = JSON.parse(lines.join("\n"));
  } catch {}
  return { status, json, text: lines.join("\n") };
}

async function timed(path: string) {
  const mark = performance.now();
  const answer = await curl(path);
  return { ...answer, ms: Math.round(performance.now() - mark), peak: peakSince(mark) };
}

// ---- paging ---------------------------------------------------------------------------------------------------

const newest = await timed("/journal?limit=500");
check("newest page", newest.status === "200" && newest.json?.entries?.length === 500, `${newest.status} in ${newest.ms} ms, peak bun ${mib(newest.peak.bun)}, journalctl ${mib(newest.peak.journalctl)} (anonymous ${mib(newest.peak.journalctlAnon)})`);
const system = newest.json?.entries?.some((entry: any) => entry.unit && !entry.unit.startsWith("caretaker-logs@") && !entry.unit.startsWith("bulk"));
check("the system journal", Boolean(system), `the sandboxed reader sees other units' entries too: ${[...new Set((newest.json?.entries ?? []).map((entry: any) => entry.unit))].slice(0, 6).join(", ")}`);

const pagePeaks: number[] = [];
let after = newest.json?.next;
let pages = 0;
const deepBegun = performance.now();
for (; pages < 40 && after; pages++) {
  const answer = await timed(`/journal?limit=500&unit=bulk1.service&after=${encodeURIComponent(after)}`);
  if (answer.status !== "200") break;
  pagePeaks.push(answer.peak.bun + answer.peak.journalctl);
  after = answer.json.next;
}
check("paging", pages === 40, `${pages} pages of 500 (${pages * 500} entries) by cursor in ${((performance.now() - deepBegun) / 1000).toFixed(1)} s; peak RSS (bun + journalctl) first ${mib(pagePeaks[0] ?? 0)}, last ${mib(pagePeaks.at(-1) ?? 0)}, max ${mib(Math.max(0, ...pagePeaks))}`);
const flat = pagePeaks.length > 10 && Math.max(...pagePeaks.slice(-10)) - Math.max(...pagePeaks.slice(0, 10)) < 8 * 1024;
check("paging memory flat", flat, `max of the first ten pages ${mib(Math.max(0, ...pagePeaks.slice(0, 10)))}, of the last ten ${mib(Math.max(0, ...pagePeaks.slice(-10)))}`);

// the first 400 s of the ten days hold entries 0-462 (one every 864 ms): one page, straight from the far end
const oldestIso = new Date(now - 10 * 86_400_000 + 400_000).toISOString();
const farEnd = await timed(`/journal?limit=500&until=${encodeURIComponent(oldestIso)}`);
const lastMessage = farEnd.json?.entries?.at(-1)?.message;
check("the far end", farEnd.status === "200" && lastMessage === "bulk entry 0: request handled in 0 ms" && farEnd.json?.entries?.length === 463 && farEnd.json?.next === null, `until ten days ago + 400 s: ${farEnd.json?.entries?.length} entries, the oldest "${lastMessage}", in ${farEnd.ms} ms, peak bun ${mib(farEnd.peak.bun)}, journalctl ${mib(farEnd.peak.journalctl)} (anonymous ${mib(farEnd.peak.journalctlAnon)})`);

const search = await timed("/journal?limit=500&text=NEEDLE");
check("search over everything", search.status === "200" && search.json?.entries?.length === 4, `"NEEDLE" in ${search.json?.entries?.length} entries (of ${total + 0}+), ${search.ms} ms, peak bun ${mib(search.peak.bun)}, journalctl ${mib(search.peak.journalctl)} (anonymous ${mib(search.peak.journalctlAnon)})`);

// ---- following a flood ---------------------------------------------------------------------------------------------

const flood = 20_000;
const followMark = performance.now();
const follower = curl("/journal/follow?unit=flood.service", ["-N", "--max-time", "28"]);
// the same follow by journalctl itself, as root and outside any sandbox: what the tool delivers
const direct = Bun.spawn(["journalctl", "--no-pager", "-f", "--lines=0", "-o", "cat", "-u", "flood.service"], { stdout: "pipe", stderr: "ignore" });
const directText = new Response(direct.stdout).text();
await Bun.sleep(1500);
run(["systemd-run", "--quiet", "--unit=flood", "-p", "LogRateLimitIntervalSec=0", "/usr/lib/caretaker/bun", "-e", `for (let i = 0; i < ${flood}; i++) console.log("flood line " + i);`]);
const followed = await follower;
direct.kill();
const directCount = (await directText).split("\n").filter((text) => text.startsWith("flood line")).length;
// systemd's own lines about flood.service come with it; the flood's lines must all be there, in order
const floodNumbers = [...followed.text.matchAll(/"message":"flood line (\d+)"/g)].map((match) => Number(match[1]));
const received = floodNumbers.length;
const inOrder = floodNumbers.every((number, index) => index === 0 || number > floodNumbers[index - 1]);
const lastFlood = floodNumbers.at(-1)?.toString();
const window = samples.filter((sample) => sample.at >= followMark);
const early = window.filter((sample) => sample.at < followMark + 5000);
const late = window.filter((sample) => sample.at > followMark + 15_000);
const peak = (list: typeof samples) => Math.max(0, ...list.map((sample) => sample.bun + sample.journalctl));
// what journald itself kept of the flood is what the stream owes
const stored = run(["journalctl", "--no-pager", "-o", "cat", "-u", "flood.service", "--grep", "^flood line"]).stdout.split("\n").filter(Boolean).length;
// journalctl -f itself skips entries under a flood (about half of 20 000 lines written within a second
// or two, as the plain follow beside it shows); the stream reads by cursor and owes every entry journald kept
check("follow", received === stored && received > 0 && inOrder && lastFlood === String(flood - 1), `journald kept ${stored} of ${flood} lines; ${received} streamed live${inOrder ? " in order" : " OUT OF ORDER"}, the last "flood line ${lastFlood}"; plain journalctl -f as root saw ${directCount}; stream ended by itself after ${((performance.now() - followMark) / 1000).toFixed(1)} s`);
check("follow memory flat", late.length > 0 && peak(late) - peak(early) < 8 * 1024, `peak RSS (bun + journalctl) in the first 5 s ${mib(peak(early))}, after 15 s ${mib(peak(late))}; bun alone at most ${mib(Math.max(0, ...window.map((sample) => sample.bun)))}`);

const audit = await curl("/audit");
const actions = (audit.json?.entries ?? []).map((record: any) => `${record.function} ${record.action} ${record.result}`);
check("audit trail", audit.status === "200" && actions.includes("auth POST /api/auth/tokens 200") && actions.includes("setup POST /api/setup/complete 200"), actions.join("; "));

clearInterval(sampler);
await Bun.sleep(500);
const left = processes((cgroup) => cgroup.includes("caretaker-logs@"));
check("nothing left", left.length === 0, `${left.length} processes of caretaker-logs@ units after the requests`);
const line = `${counts.passed} passed, ${counts.failed} failed`;
console.log(line);
appendFileSync(log, line + "\n");
writeFileSync("/results/journal.txt", run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic", "-u", "caretaker-logs@*"]).stdout);
run(["systemctl", "exit", counts.failed ? "1" : "0"]);
