// Runs in the booted guest as root: checks every installed caretaker function (found from its
// units, so a new function needs no new code here), writes the log to /results and ends the guest
// with `systemctl exit <failures ? 1 : 0>`. Each failure line names the function and the check.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { bearer, curl, operations, sessionCookie, setUpBox } from "./access.ts";
import { domainFirstBoot } from "./domain.ts";
import { caretakerProcesses, residentKiB } from "./proc.ts";
import { caretakerUnitMemory, failedUnits, journalOf, property, run, runningServices } from "./systemctl.ts";

const unitDirectory = "/usr/lib/systemd/system";
const probe = "/usr/lib/caretaker/test-probe/sandbox-probe.js";
const bun = "/usr/lib/caretaker/bun";
const log = "/results/checks.log";
const counts = { passed: 0, failed: 0 };

function say(line: string) {
  console.log(line);
  appendFileSync(log, line + "\n");
}

/** One verdict: `subject: check: detail`. */
function check(subject: string, name: string, ok: boolean, detail: string) {
  counts[ok ? "passed" : "failed"]++;
  say(`${ok ? "ok  " : "FAIL"} ${subject}: ${name}: ${detail}`);
}

function threshold(name: string) {
  const text = readFileSync(`${unitDirectory}/caretaker-${name}@.service`, "utf8");
  return Number(/^#\s*exposure-threshold:\s*([\d.]+)/m.exec(text)?.[1] ?? "1.0");
}

function exposure(output: string) {
  return Number(/Overall exposure level for \S+:\s*([\d.]+)/.exec(output)?.[1] ?? NaN);
}

function groupId(group: string) {
  const line = readFileSync("/etc/group", "utf8").split("\n").find((entry) => entry.startsWith(`${group}:`));
  return line ? Number(line.split(":")[2]) : -1;
}

function writeUnit(path: string, text: string) {
  mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  writeFileSync(path, text);
}

// ---- the system and its sockets --------------------------------------------------------------

mkdirSync("/results", { recursive: true });
writeFileSync(log, "");
const started = performance.now();
const state = run(["systemctl", "is-system-running", "--wait"], 120).stdout;
say(`# system ${state} after ${Math.round(performance.now() - started)} ms of waiting; ${Math.round(performance.now())} ms since the checks started`);
check("boot", "state", state === "running", `is-system-running says ${state}`);
for (const unit of failedUnits()) check("boot", "failed unit", false, `${unit} failed:\n${journalOf(unit)}`);

const functions = readdirSync(unitDirectory)
  .map((file) => /^caretaker-([a-z0-9]+)\.socket$/.exec(file)?.[1])
  .filter((name): name is string => Boolean(name))
  .sort();
check("boot", "functions", functions.length > 0, `found ${functions.join(", ") || "no function"} in ${unitDirectory}`);

const caddyGroup = groupId("caddy");
for (const name of functions) {
  const socketUnit = `caretaker-${name}.socket`;
  const sub = property(socketUnit, "SubState");
  check(name, "socket", sub === "listening", `${socketUnit} is ${sub}`);
  const path = `/run/caretaker/${name}.sock`;
  const stat = existsSync(path) ? statSync(path) : undefined;
  const shape = stat ? `${stat.isSocket() ? "socket" : "not a socket"} mode ${(stat.mode & 0o777).toString(8)} gid ${stat.gid}` : "missing";
  check(name, "socket file", !!stat?.isSocket() && (stat.mode & 0o777) === 0o660 && stat.gid === caddyGroup, `${path}: ${shape} (caddy is ${caddyGroup})`);
}

const before = runningServices();
check("boot", "idle before the first request", before.length === 0 && caretakerProcesses().length === 0, before.length ? `running: ${before.join(", ")}` : "no caretaker service runs");

// ---- the door: first-boot setup with the code from the credential store, then credentials ------

const fnOf = (path: string) => path.split("/")[2];
const before401 = curl("GET", "/api/system/overview");
check("setup", "pending", before401.status === "503" && before401.body.includes("setup_pending"), `GET /api/system/overview before setup: ${before401.status} ${before401.body.slice(0, 200)}${before401.code ? ` (curl: ${before401.stderr.slice(-300)})` : ""}`);
const box = setUpBox();
check("setup", "first boot", box.setup.status === "200", `POST /api/setup/complete with the code from /etc/credstore: ${box.setup.status} ${box.setup.body.slice(0, 300)}`);
check("auth", "login", box.login.status === "200" && sessionCookie(box.login) !== "", `POST /api/auth/login: ${box.login.status} ${box.login.body.slice(0, 300)}`);
check("auth", "token", box.token.startsWith("ct1."), `POST /api/auth/tokens: ${box.created.status} ${box.created.body.slice(0, 300)}`);
writeFileSync("/results/credentials.json", JSON.stringify({ password: box.password, token: box.token, signingKey: readFileSync("/var/lib/caretaker/public/signing.pub", "utf8") }));
const again = curl("POST", "/api/setup/complete", { body: { code: readFileSync("/etc/credstore/caretaker-setup-code", "utf8").trim(), password: "another password", box: { name: "box.local", tls: "internal" } } });
check("setup", "only once", again.status === "409", `a second POST /api/setup/complete: ${again.status} ${again.body.slice(0, 200)}`);
for (const operation of operations().filter((entry) => !entry.isPublic)) {
  const answer = curl(operation.method, operation.path);
  check(fnOf(operation.path), "401 without credentials", answer.status === "401", `${operation.method} ${operation.path}: ${answer.status}`);
}
const audit = run(["journalctl", "-b", "--no-pager", "-o", "json", "CARETAKER_AUDIT=1"]).stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line));
// journald reads _SYSTEMD_UNIT from the sender's cgroup, which a logger that has already exited no longer has
const audited = (fn: string, action: string, result: string) =>
  audit.some((entry) => entry.CARETAKER_FUNCTION === fn && entry.CARETAKER_ACTION === action && entry.CARETAKER_RESULT === result && (entry._SYSTEMD_UNIT === undefined || String(entry._SYSTEMD_UNIT).startsWith(`caretaker-${fn}@`)));
check("auth", "audit trail", audited("setup", "POST /api/setup/complete", "200") && audited("auth", "POST /api/auth/login", "200") && audited("auth", "POST /api/auth/tokens", "200"), `${audit.length} journal entries with CARETAKER_AUDIT=1: ${audit.map((entry) => `${entry.CARETAKER_FUNCTION} ${entry.CARETAKER_ACTION} ${entry.CARETAKER_RESULT} (${entry._SYSTEMD_UNIT})`).join("; ")}`);

domainFirstBoot(box.token, check);

// ---- the secrets: root-only files, and another function's user cannot read them ---------------

for (const [path, owner] of [["/etc/credstore/caretaker-signing-key", 0], ["/etc/credstore/caretaker-setup-code", 0]] as const) {
  const stat = statSync(path);
  check("secrets", "mode", (stat.mode & 0o777) === 0o600 && stat.uid === owner, `${path}: mode ${(stat.mode & 0o777).toString(8)} uid ${stat.uid}`);
}
for (const path of ["/etc/credstore/caretaker-signing-key", "/etc/credstore/caretaker-setup-code", "/var/lib/caretaker-auth/admin.json", "/var/lib/private/caretaker-auth/admin.json", "/var/lib/private/caretaker-auth/tokens.json"]) {
  for (const user of functions.filter((other) => other !== "auth" && other !== "setup").map((other) => `caretaker-${other}`)) {
    const read = run(["systemd-run", "--quiet", "--wait", "--pipe", "--collect", "-p", "DynamicUser=yes", "-p", `User=${user}`, "/usr/bin/cat", path], 60);
    check("secrets", "unreadable", read.code !== 0, `${user} reading ${path}: ${read.code === 0 ? "succeeded" : "refused"}`);
  }
}

// ---- a request through Caddy with the token, then nothing left ---------------------------------

// a read that needs a query (say, a calendar expression to check) has no generic request to make
const phases = new Map(operations().filter((entry) => entry.method === "GET" && !entry.needsQuery).map((entry) => [entry.path, entry.phase]));
for (const name of functions) {
  const paths = [...phases.keys()].filter((path) => path.startsWith(`/api/${name}/`) && !path.includes("/x/") && !path.endsWith("/x"));
  check(name, "read paths", paths.length > 0, paths.length ? paths.join(", ") : `openapi.json has no GET path without parameters under /api/${name}/`);
  for (const path of paths) {
    const begun = performance.now();
    // setup's routes answer only before setup: now 409
    const expected = phases.get(path) === "setup" ? "409" : "200";
    let answer = curl("GET", path, { headers: bearer(box.token) });
    // auth's credential routes take the signed-in owner's session, never a token: ask with the cookie
    if (answer.status === "403" && answer.body.includes('"session_required"')) answer = curl("GET", path, { headers: { cookie: sessionCookie(box.login) } });
    const status = answer.status;
    const body = answer.body;
    let json = true;
    try {
      JSON.parse(body);
    } catch {
      json = false;
    }
    const took = Math.round(performance.now() - begun);
    check(name, "request", answer.code === 0 && status === expected && json, `GET ${path} through Caddy with the token: ${status} ${json ? "JSON" : "not JSON"} in ${took} ms${status === expected && json ? "" : ` (expected ${expected}): ${body.slice(0, 300)}`}`);
  }
}

let left = caretakerProcesses();
for (let tries = 0; tries < 50 && (left.length > 0 || runningServices().length > 0); tries++) {
  Bun.sleepSync(100);
  left = caretakerProcesses();
}
const memory = residentKiB(left.map((process) => process.pid)) * 1024 + caretakerUnitMemory();
check("boot", "idle after the requests", left.length === 0 && memory === 0, `${left.length} caretaker processes, ${memory} bytes${left.length ? `: ${left.map((process) => `${process.pid} ${process.cgroup}`).join("; ")}` : ""}`);

// ---- exposure: the live unit scores as the file does, within its declared threshold ------------

for (const name of functions) {
  const live = run(["systemd-analyze", "security", "--no-pager", `caretaker-${name}@security.service`]);
  const offline = run(["systemd-analyze", "security", "--no-pager", "--offline=true", `${unitDirectory}/caretaker-${name}@.service`]);
  const liveScore = exposure(live.stdout);
  const offlineScore = exposure(offline.stdout);
  const limit = threshold(name);
  check(name, "exposure", liveScore === offlineScore && liveScore <= limit, `live ${liveScore}, offline ${offlineScore}, threshold ${limit}${Number.isNaN(liveScore) || Number.isNaN(offlineScore) ? `: ${live.stderr} ${offline.stderr}` : ""}`);
}

// ---- the sandbox, seen from inside each function's unit ---------------------------------------

/** Whether RestrictAddressFamilies= (as systemctl shows it: empty, "none", "AF_UNIX ..." or "~AF_PACKET ...") lets a family through. */
function familyAllowed(setting: string, family: string) {
  if (setting === "") return true;
  if (setting.startsWith("~")) return !setting.slice(1).split(/\s+/).includes(family);
  return setting.split(/\s+/).includes(family);
}

const decoyState = "/var/lib/caretaker-decoy";
function writeTargets(name: string) {
  // open folders (0777) so that only the sandbox, not file permissions, can stop the write
  const open = ["/etc/caretaker-probe", "/usr/lib/caretaker-probe", "/home/caretaker-probe", "/etc/caddy/caretaker-probe", decoyState];
  for (const dir of open) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
  }
  const stateOf = (fn: string) => property(`caretaker-${fn}@probe.service`, "StateDirectory").split(/\s+/).filter(Boolean);
  // setup and auth share one StateDirectory on purpose: a function's own is no target
  const own = stateOf(name);
  const others = functions
    .filter((other) => other !== name)
    .flatMap(stateOf)
    .filter((dir) => !own.includes(dir))
    .map((dir) => `/var/lib/${dir}`);
  // the public state: every function reads it, only units that name it in ReadWritePaths= write it
  const publicState = property(`caretaker-${name}@probe.service`, "ReadWritePaths").split(/\s+/).includes("/var/lib/caretaker/public") ? [] : ["/var/lib/caretaker/public"];
  return ["/etc", "/usr", "/usr/lib/caretaker", "/home", "/etc/caddy", "/etc/credstore", ...open, ...others, ...publicState];
}

mkdirSync("/run/caretaker-test", { recursive: true });
run(["systemctl", "daemon-reload"]);
for (const name of functions) {
  const targets = writeTargets(name);
  const instance = `caretaker-${name}@probe.service`;
  const output = `/run/caretaker-test/probe-${name}.json`;
  // only the program changes: the sandbox is the unit's own
  writeUnit(
    `/run/systemd/system/${instance}.d/50-probe.conf`,
    `[Service]\nType=oneshot\nExecStart=\nExecStart=${bun} --no-env-file ${probe} sandbox ${targets.join(" ")}\nStandardOutput=file:${output}\n`,
  );
  run(["systemctl", "daemon-reload"]);
  const started = run(["systemctl", "start", instance], 60);
  let report: {
    uid: number;
    writes: Record<string, string>;
    tcp4: string;
    tcp6: string;
    udp4: string;
    udp6: string;
    seesPort443: boolean;
    capabilities: Record<string, string>;
    otherProcesses: number[];
  };
  try {
    report = JSON.parse(readFileSync(output, "utf8"));
  } catch {
    check(name, "sandbox", false, `the probe did not report (systemctl start: ${started.code} ${started.stderr}):\n${journalOf(instance)}`);
    continue;
  }
  check(name, "sandbox: user", report.uid !== 0, `runs as uid ${report.uid}`);
  for (const [dir, outcome] of Object.entries(report.writes)) {
    check(name, "sandbox", outcome !== "ok", outcome === "ok" ? `write to ${dir} succeeded` : `write to ${dir} refused (${outcome})`);
  }
  const families = property(instance, "RestrictAddressFamilies");
  const privateNetwork = property(instance, "PrivateNetwork");
  // the design: every function unit has PrivateNetwork=yes (its socket is inherited)
  check(name, "sandbox", !report.seesPort443, report.seesPort443 ? "shares the guest's network namespace (sees Caddy's port 443): no PrivateNetwork=" : "network namespace is private");
  for (const [family, outcome] of [["AF_INET", report.tcp4], ["AF_INET6", report.tcp6]]) {
    check(name, "sandbox", outcome !== "ok", outcome === "ok" ? `${family} connection to Caddy's port 443 succeeded` : `${family} connection refused (${outcome}; PrivateNetwork=${privateNetwork}, RestrictAddressFamilies=${families || "any"})`);
  }
  for (const [family, outcome] of [["AF_INET", report.udp4], ["AF_INET6", report.udp6]]) {
    if (familyAllowed(families, family)) continue;
    check(name, "sandbox", outcome !== "ok", outcome === "ok" ? `opening an ${family} socket succeeded despite RestrictAddressFamilies=${families}` : `opening an ${family} socket refused (${outcome})`);
  }
  const ambient = property(instance, "AmbientCapabilities");
  const effective = report.capabilities.CapEff;
  check(name, "sandbox: capabilities", ambient !== "" || /^0+$/.test(effective), `CapEff=${effective} CapPrm=${report.capabilities.CapPrm} CapAmb=${report.capabilities.CapAmb} (unit grants: ${ambient || "none"})`);
  check(name, "sandbox: processes", report.otherProcesses.length === 0, report.otherProcesses.length ? `/proc shows ${report.otherProcesses.length} other processes: ${report.otherProcesses.slice(0, 10).join(" ")}` : "/proc shows no other process");
}

// ---- polkit: a function's user may start exactly its own job units ----------------------------

const job = (name: string) => `caretaker-${name}-probe.service`;
const oneshot = "[Unit]\nDescription=caretaker system test: a job unit that does nothing\n[Service]\nType=oneshot\nExecStart=/usr/bin/true\n";
for (const unit of [...functions.map(job), job("decoy"), "polkit-decoy.service"]) writeUnit(`/run/systemd/system/${unit}`, oneshot);
run(["systemctl", "daemon-reload"]);

function asFunctionUser(name: string, verb: string, unit: string) {
  return run(["systemd-run", "--quiet", "--wait", "--pipe", "--collect", "-p", "DynamicUser=yes", "-p", `User=caretaker-${name}`, "/usr/bin/systemctl", "--no-ask-password", verb, unit], 60);
}

for (const name of functions) {
  for (const verb of ["start", "restart", "stop"]) {
    const result = asFunctionUser(name, verb, job(name));
    check(name, "polkit", result.code === 0, result.code === 0 ? `${verb} of its own job ${job(name)} allowed` : `${verb} of its own job ${job(name)} refused: ${result.stderr}`);
  }
  const foreign = [...functions.filter((other) => other !== name).map(job), job("decoy"), `caretaker-${name}@probe.service`, "polkit-decoy.service", "caddy.service"];
  for (const unit of foreign) {
    const result = asFunctionUser(name, "start", unit);
    check(name, "polkit", result.code !== 0, result.code === 0 ? `start of ${unit} allowed` : `start of ${unit} refused`);
  }
}

// ---- the sockets refuse users outside group caddy ---------------------------------------------

for (const name of functions) {
  const path = `/run/caretaker/${name}.sock`;
  const result = run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", bun, "--no-env-file", probe, "connect", path]);
  let outcome = "no report";
  try {
    outcome = JSON.parse(result.stdout).connect;
  } catch {
    outcome = `no report: ${result.stderr}`;
  }
  check(name, "socket access", outcome === "EACCES", `user nobody connecting to ${path}: ${outcome === "ok" ? "connected" : outcome}`);
}

for (const unit of failedUnits()) check("boot", "failed unit at the end", false, `${unit} failed:\n${journalOf(unit)}`);

say(`${counts.passed} passed, ${counts.failed} failed`);
writeFileSync("/results/journal.txt", run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"]).stdout);
run(["systemctl", "exit", counts.failed ? "1" : "0"]);
