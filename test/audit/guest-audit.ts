// Runs in the booted trixie guest (node test/system/run.mjs --extra-list test/audit/packages-guest.txt
// --guest-program test/audit/guest-audit.ts): the audit function under real systemd. Every unit's score
// as systemd-analyze gives it, the sandbox facts systemd holds, a cloud-init sshd drop-in that turns
// password login back on named by file, and Caddy behind its ports.
import { appendFileSync, chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { bearer, curl, setUpBox } from "../system/guest/access.ts";
import { run } from "../system/guest/systemctl.ts";

const log = "/results/checks.log";
const counts = { passed: 0, failed: 0 };
function check(name: string, ok: boolean, detail: string) {
  counts[ok ? "passed" : "failed"]++;
  const line = `${ok ? "ok  " : "FAIL"} audit: ${name}: ${detail}`;
  console.log(line);
  appendFileSync(log, line + "\n");
}

let token = "";
function get(path: string): { status: string; json: any; took: number; body: string } {
  const begun = performance.now();
  const answer = curl("GET", `/api/audit${path}`, { headers: bearer(token) });
  const took = Math.round(performance.now() - begun);
  try {
    return { status: answer.status, json: JSON.parse(answer.body), took, body: answer.body };
  } catch {
    return { status: answer.status, json: null, took, body: `${answer.body} ${answer.stderr}`.slice(0, 400) };
  }
}

mkdirSync("/results", { recursive: true });
writeFileSync(log, "");
run(["systemctl", "is-system-running", "--wait"], 120);
token = setUpBox().token;
check("setup", token !== "", "first-boot setup done, token minted");

// ---- every unit: the score the function reports is the one systemd-analyze gives ------------------
const functions = get("/functions");
const units: any[] = functions.json?.units ?? [];
check("functions", functions.status === "200" && functions.json?.source === "live", `${functions.status} source ${functions.json?.source}, ${units.length} units, systemd ${functions.json?.systemd}, ${functions.took} ms${functions.status === "200" ? "" : `: ${functions.body}`}`);
const installed = readdirSync("/usr/lib/systemd/system").filter((file) => /^caretaker-.*\.service$/.test(file)).sort();
check("every unit", JSON.stringify(units.map((unit) => unit.unit)) === JSON.stringify(installed), `reported ${units.map((unit) => unit.unit).join(" ")}; installed ${installed.join(" ")}`);
for (const unit of units) {
  const analyzed = run(["systemd-analyze", "security", "--no-pager", unit.analyzedAs]);
  const score = Number(/Overall exposure level for \S+:\s*([\d.]+)/.exec(analyzed.stdout)?.[1]);
  const failing = analyzed.stdout.split("\n").filter((line) => line.startsWith("✗")).length;
  check(`score ${unit.unit}`, score === unit.exposure.score && failing === unit.exposure.failing.length, `function ${unit.exposure.score} (${unit.exposure.failing.length} failing), systemd-analyze as root ${score} (${failing} failing)`);
}
const byName = new Map(units.map((unit) => [unit.unit, unit]));
const system = byName.get("caretaker-system@.service");
check("function sandbox", system?.user.name === "caretaker-system" && system.user.dynamic && system.capabilities.bounding.length === 0 && system.network.private && system.addressFamilies === "AF_UNIX" && system.syscallFilter.mode === "allow" && system.syscallFilter.entries.includes("read") && !system.syscallFilter.entries.includes("mount"), JSON.stringify({ ...system, syscallFilter: { ...system?.syscallFilter, entries: system?.syscallFilter.entries.length }, exposure: undefined }));
const ports = byName.get("caretaker-audit-ports.service");
check("job sandbox", JSON.stringify(ports?.capabilities.bounding) === JSON.stringify(["cap_dac_read_search", "cap_sys_ptrace"]) && ports.network.private === false && ports.paths.writable.includes("/var/lib/caretaker-audit"), JSON.stringify({ capabilities: ports?.capabilities, network: ports?.network, paths: ports?.paths, devices: ports?.devices }));
const dyndns = byName.get("caretaker-dyndns-update.service");
check("credentials", JSON.stringify(dyndns?.paths.credentials) === JSON.stringify(["provider-secret"]), `caretaker-dyndns-update.service: ${JSON.stringify(dyndns?.paths.credentials)} (systemctl shows them unprintable; read from the unit file)`);
const again = get("/functions");
check("diffable", again.body === functions.body, `two answers ${again.body === functions.body ? "are byte for byte the same" : "differ"} (${again.took} ms)`);

// ---- SSH: a cloud-init drop-in that turns password login back on --------------------------------
appendFileSync("/etc/ssh/sshd_config", "\n# the owner's hardening, below Debian's Include line\nPasswordAuthentication no\n");
const before = get("/ssh");
const finding = (answer: typeof before) => answer.json?.findings?.find((entry: any) => entry.keyword === "passwordauthentication");
check("ssh hardened", before.status === "200" && finding(before)?.level === "ok", `${before.status} ${JSON.stringify(finding(before) ?? before.body)} (${before.took} ms)`);
writeFileSync("/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication yes\n");
chmodSync("/etc/ssh/sshd_config.d/50-cloud-init.conf", 0o600);
const after = get("/ssh");
const effective = /^passwordauthentication (\S+)$/m.exec(run(["sshd", "-T"]).stdout)?.[1];
check("cloud-init drop-in", after.status === "200" && finding(after)?.level === "critical" && finding(after)?.message.includes("/etc/ssh/sshd_config.d/50-cloud-init.conf:1") && effective === "yes", `sshd -T as root: passwordauthentication ${effective}; the audit: ${JSON.stringify(finding(after) ?? after.body)}`);

// ---- ports, certificates, updates ------------------------------------------------------------------
const listening = get("/ports");
const https = listening.json?.ports?.find((port: any) => port.port === 443 && port.protocol === "tcp");
check("ports", listening.status === "200" && https?.processes.some((process: any) => process.command === "caddy") && https.user === "caddy", `443/tcp: ${JSON.stringify(https ?? listening.body)}; ${listening.json?.ports?.length} sockets`);
const ssh22 = listening.json?.ports?.find((port: any) => port.port === 22 && port.protocol === "tcp");
check("ssh port", ssh22?.processes.some((process: any) => process.command === "sshd") === true, JSON.stringify(ssh22 ?? null));
for (const path of ["/certificates", "/updates"]) {
  const answer = get(path);
  check(path.slice(1), answer.status === "200" && answer.json !== null, `${answer.status} ${answer.body.slice(0, 200)}`);
}
const jobs = ["caretaker-audit-sshd.service", "caretaker-audit-ports.service"].map((unit) => `${unit}: ${run(["systemctl", "show", "-P", "Result", unit]).stdout}`);
check("jobs", jobs.every((line) => line.endsWith(": success")), jobs.join(", "));

const line = `${counts.passed} passed, ${counts.failed} failed`;
console.log(line);
appendFileSync(log, line + "\n");
writeFileSync("/results/journal.txt", run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"]).stdout);
writeFileSync("/results/functions.json", functions.body);
run(["systemctl", "exit", counts.failed ? "1" : "0"]);
