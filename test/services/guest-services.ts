// Runs in the booted trixie guest (node test/system/run.mjs --guest-program test/services/guest-services.ts):
// the services function under real systemd and polkit. A unit on the allow-list restarts; a unit off it
// gets 403 from the function and polkit refuses it to the function's user as well; caretaker's own
// units can't be stopped or disabled; enable and disable through the root job; timers and run now.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { bearer, curl, setUpBox } from "../system/guest/access.ts";
import { property, run } from "../system/guest/systemctl.ts";

const log = "/results/checks.log";
const counts = { passed: 0, failed: 0 };
function check(name: string, ok: boolean, detail: string) {
  counts[ok ? "passed" : "failed"]++;
  const line = `${ok ? "ok  " : "FAIL"} services: ${name}: ${detail}`;
  console.log(line);
  appendFileSync(log, line + "\n");
}

let token = "";
function api(method: string, path: string, body?: unknown) {
  const answer = curl(method, `/api/services${path}`, { body, headers: bearer(token) });
  let json: any = null;
  try {
    json = JSON.parse(answer.body);
  } catch {}
  return { status: Number(answer.status), json };
}

/** As the function's own user (a DynamicUser= named caretaker-services), straight to systemd: polkit decides. */
function asFunctionUser(argv: string[]) {
  return run(["systemd-run", "--wait", "--pipe", "--quiet", "-p", "DynamicUser=yes", "-p", "User=caretaker-services", ...argv]);
}
const restartCall = (unit: string) => ["/usr/bin/busctl", "call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "RestartUnit", "ss", unit, "replace"];

mkdirSync("/results", { recursive: true });
writeFileSync(log, "");
run(["systemctl", "is-system-running", "--wait"], 120);
token = setUpBox().token;
check("setup", token !== "", "first-boot setup done, token minted");

// two stand-ins for the box's apps: one the owner will allow, one nobody allowed
for (const name of ["dummy-app", "other-app"]) {
  writeFileSync(`/etc/systemd/system/${name}.service`, `[Unit]\nDescription=${name} (test stand-in for an app)\n[Service]\nExecStart=/usr/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n`);
}
run(["systemctl", "daemon-reload"]);
run(["systemctl", "start", "dummy-app.service", "other-app.service"]);

const before = api("GET", "/units");
const names = (answer: any) => (answer.json?.units ?? []).map((unit: any) => unit.name);
const row = (answer: any, name: string) => (answer.json?.units ?? []).find((unit: any) => unit.name === name);
check("units", before.status === 200 && before.json?.available === true, `${before.status}, ${names(before).length} units: ${names(before).join(" ")}`);
const caddy = row(before, "caddy.service");
check("caddy", caddy?.group === "front" && caddy?.active === "active" && typeof caddy?.since === "string" && caddy?.actions.length === 0, JSON.stringify(caddy));
const template = row(before, "caretaker-services@.service");
check("own units", row(before, "caretaker-services.socket")?.sub === "listening" && template?.kind === "template" && template?.instances >= 1 && row(before, "caretaker-dyndns-update.timer")?.group === "caretaker",
  `socket ${row(before, "caretaker-services.socket")?.sub}, template instances ${template?.instances} (this request), timer ${row(before, "caretaker-dyndns-update.timer")?.active}`);

const refusedList = api("PUT", "/allowed", { units: ["dummy-app.service", "caretaker-system.socket"] });
check("list refuses caretaker's own", refusedList.status === 422 && /units\.1/.test(refusedList.json?.error?.message), `${refusedList.status} ${refusedList.json?.error?.message}`);
const saved = api("PUT", "/allowed", { units: ["dummy-app.service"] });
check("list saved, rule written", saved.status === 200 && saved.json?.policy?.applied === true, `${saved.status} ${JSON.stringify(saved.json?.policy)}`);
const receipt = existsSync("/var/lib/caretaker-services-policy/applied.json") ? readFileSync("/var/lib/caretaker-services-policy/applied.json", "utf8").trim() : "none";
const rule = existsSync("/etc/polkit-1/rules.d/60-caretaker-services.rules") ? readFileSync("/etc/polkit-1/rules.d/60-caretaker-services.rules", "utf8") : "";
check("polkit rule", rule.includes(`["dummy-app.service"]`), `receipt ${receipt}; ` + (rule.split("\n").find((line) => line.startsWith("var caretakerServicesAllowed")) ?? "no rule file"));
run(["sleep", "1"]); // polkitd reloads its rules on an inotify event

const pidBefore = property("dummy-app.service", "MainPID");
const restarted = api("POST", "/units/dummy-app.service/restart", {});
const pidAfter = property("dummy-app.service", "MainPID");
check("restart an allowed unit", restarted.status === 200 && restarted.json?.done === true && pidAfter !== pidBefore && restarted.json?.status?.active === "active",
  `${restarted.status} done=${restarted.json?.done}; MainPID ${pidBefore} → ${pidAfter}; cpu ${restarted.json?.status?.cpuNanoseconds} ns, memory ${restarted.json?.status?.memoryBytes}`);

const offList = api("POST", "/units/other-app.service/restart", {});
check("function refuses a unit off the list", offList.status === 403 && offList.json?.error?.code === "not_allowed", `${offList.status} ${JSON.stringify(offList.json?.error)}`);
const otherPid = property("other-app.service", "MainPID");
const polkitNo = asFunctionUser(restartCall("other-app.service"));
check("polkit refuses a unit off the list", polkitNo.code !== 0 && /access denied/i.test(polkitNo.stderr) && property("other-app.service", "MainPID") === otherPid,
  `busctl RestartUnit other-app.service as caretaker-services: exit ${polkitNo.code}, "${polkitNo.stderr}"`);
const polkitYes = asFunctionUser(restartCall("dummy-app.service"));
check("polkit allows the listed unit", polkitYes.code === 0, `busctl RestartUnit dummy-app.service as caretaker-services: exit ${polkitYes.code} ${polkitYes.stderr}`);
const unitFiles = asFunctionUser(["/usr/bin/systemctl", "disable", "caretaker-services.socket"]);
check("polkit refuses unit files", unitFiles.code !== 0 && property("caretaker-services.socket", "UnitFileState") === "enabled", `systemctl disable caretaker-services.socket as caretaker-services: exit ${unitFiles.code}, "${unitFiles.stderr.split("\n")[0]}"`);

for (const [unit, action] of [["caretaker-services.socket", "disable"], ["caretaker-services.socket", "stop"], ["caddy.service", "stop"]]) {
  const answer = api("POST", `/units/${unit}/${action}`, {});
  check(`can't ${action} ${unit}`, answer.status === 403 && answer.json?.error?.code === "protected_unit", `${answer.status} ${answer.json?.error?.message}`);
}

const enabled = api("POST", "/units/dummy-app.service/enable", {});
const enabledState = run(["systemctl", "is-enabled", "dummy-app.service"]).stdout;
check("enable through the root job", enabled.status === 200 && enabled.json?.job?.startsWith("caretaker-services-unitfile@enable:") && enabledState === "enabled", `${enabled.status} job ${JSON.stringify(enabled.json?.job)}; is-enabled: ${enabledState}`);
const disabled = api("POST", "/units/dummy-app.service/disable", {});
const disabledState = run(["systemctl", "is-enabled", "dummy-app.service"]).stdout;
check("disable through the root job", disabled.status === 200 && disabledState === "disabled", `${disabled.status}; is-enabled: ${disabledState}`);
// the job checks the list itself: started by hand for a unit off the list, it refuses
run(["systemctl", "start", "caretaker-services-unitfile@enable:other\\x2dapp.service.service"]);
check("the root job checks the list again", run(["systemctl", "is-enabled", "other-app.service"]).stdout === "disabled" && property("caretaker-services-unitfile@enable:other\\x2dapp.service.service", "Result") === "exit-code",
  `job for other-app.service: ${property("caretaker-services-unitfile@enable:other\\x2dapp.service.service", "Result")}; ${run(["journalctl", "-b", "-o", "cat", "-u", "caretaker-services-unitfile@enable:other\\x2dapp.service.service"]).stdout.split("\n").find((line) => line.includes("refused"))}`);

const timers = api("GET", "/timers");
const timer = (name: string) => (timers.json?.timers ?? []).find((entry: any) => entry.name === name);
const listed = JSON.parse(run(["systemctl", "list-timers", "--all", "--output=json"]).stdout);
check("timers", timers.status === 200 && timers.json?.timers.length === listed.length && timer("caretaker-dyndns-update.timer")?.unit === "caretaker-dyndns-update.service" && typeof timer("caretaker-dyndns-update.timer")?.next === "string",
  `${timers.json?.timers.length} timers (list-timers: ${listed.length}); dyndns next ${timer("caretaker-dyndns-update.timer")?.next}`);
const foreign = api("POST", "/timers/systemd-tmpfiles-clean.timer/run", {});
check("run now refused off the list", foreign.status === 403, `${foreign.status} ${foreign.json?.error?.message}`);
const ran = api("POST", "/timers/caretaker-dyndns-update.timer/run", {});
run(["sleep", "1"]);
check("run now a caretaker job", ran.status === 200 && property("caretaker-dyndns-update.service", "ConditionTimestamp") !== "", `${ran.status} ${JSON.stringify(ran.json)?.slice(0, 160)}; ConditionTimestamp=${property("caretaker-dyndns-update.service", "ConditionTimestamp")}`);

for (const unit of ["caretaker-services@x.service", "caretaker-services-policy.service", "caretaker-services-unitfile@x.service"]) {
  const exposure = /Overall exposure level for \S+:\s*([\d.]+)/.exec(run(["systemd-analyze", "security", "--no-pager", unit]).stdout)?.[1];
  check(`exposure ${unit}`, Number(exposure) <= 1.0, `live ${exposure}`);
}

// the real answers, kept for the page test's fixtures
const final = api("GET", "/units");
for (const [file, answer] of [["units.json", final], ["timers.json", timers], ["allowed.json", api("GET", "/allowed")]] as const) writeFileSync(`/results/${file}`, JSON.stringify(answer.json, null, 1));

const line = `${counts.passed} passed, ${counts.failed} failed`;
console.log(line);
appendFileSync(log, line + "\n");
writeFileSync("/results/journal.txt", run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"]).stdout);
run(["systemctl", "exit", counts.failed ? "1" : "0"]);
