// Runs in the booted trixie guest (node test/system/run.mjs --guest-program test/dyndns/guest-job.ts):
// the dyndns function and its update job under real systemd. Settings through Caddy, "check now"
// started by the function's own user through polkit, the secret delivered as a credential, the state
// directory shared by the two DynamicUser= units, the timer's next run, and a local deSEC in the guest.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { apiJson, setUpBox } from "../system/guest/access.ts";
import { property, run, runAsync } from "../system/guest/systemctl.ts";
import { startDesecServer } from "./servers/desec.ts";
import { startLookupServer } from "./servers/lookup.ts";

const log = "/results/checks.log";
const counts = { passed: 0, failed: 0 };
function check(name: string, ok: boolean, detail: string) {
  counts[ok ? "passed" : "failed"]++;
  const line = `${ok ? "ok  " : "FAIL"} dyndns: ${name}: ${detail}`;
  console.log(line);
  appendFileSync(log, line + "\n");
}

/** Without blocking the event loop: the local servers in this very process must answer the job. */
let token = "";
const api = (method: string, path: string, body?: unknown) => apiJson(token, method, `/api/dyndns${path}`, body, 20);

mkdirSync("/results", { recursive: true });
writeFileSync(log, "");
run(["systemctl", "is-system-running", "--wait"], 120);
// nothing answers before first-boot setup: do it as the owner would, and use a full-scope token
token = setUpBox().token;
check("setup", token !== "", "first-boot setup done, token minted");

const [lookup, desec] = await Promise.all([startLookupServer("203.0.113.7"), startDesecServer("box.dedyn.io", "guest-token")]);
const seam = JSON.stringify({ servers: { lookup: lookup.origin, desec: desec.origin } });
// the test seam for the job only; systemd's Environment= takes a double-quoted, C-escaped value
mkdirSync("/run/systemd/system/caretaker-dyndns-update.service.d", { recursive: true });
writeFileSync("/run/systemd/system/caretaker-dyndns-update.service.d/50-test.conf", `[Service]\nEnvironment="CARETAKER_DYNDNS_TEST=${seam.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"\n`);
run(["systemctl", "daemon-reload"]);

// the image enables caretaker-*.timer through its preset file; say what this guest has
const timerState = `${run(["systemctl", "is-enabled", "caretaker-dyndns-update.timer"]).stdout}/${run(["systemctl", "is-active", "caretaker-dyndns-update.timer"]).stdout}`;
if (!timerState.endsWith("/active")) run(["systemctl", "enable", "--now", "caretaker-dyndns-update.timer"]);
const fresh = await api("GET", "/status");
check("status before setup", fresh.status === 200 && fresh.json?.state === "not-configured", `${fresh.status} ${JSON.stringify(fresh.json?.state)}`);
check("timer", fresh.json?.schedule?.timer === true && typeof fresh.json?.schedule?.nextRun === "string", `schedule ${JSON.stringify(fresh.json?.schedule)} (timer was ${timerState} at boot)`);

const skipped = await runAsync(["systemctl", "start", "caretaker-dyndns-update.service"]);
check("no secret, no run", skipped.code === 0 && property("caretaker-dyndns-update.service", "ConditionResult") === "no", `start: ${skipped.code}, ConditionResult=${property("caretaker-dyndns-update.service", "ConditionResult")}`);

const saved = await api("PUT", "/settings", { enabled: true, hostname: "box.dedyn.io", provider: { kind: "desec" }, secret: "guest-token", ipv4: { enabled: true, lookupUrl: "https://ipv4.icanhazip.com" }, ipv6: { enabled: false } });
check("settings saved", saved.status === 200 && saved.json?.secretSet === true, `${saved.status} ${JSON.stringify(saved.json)}`);
const secretMode = run(["stat", "-c", "%a %u", "/var/lib/private/caretaker-dyndns/provider-secret"]).stdout;
check("secret file", secretMode.startsWith("600 "), `provider-secret: ${secretMode}`);

const started = await api("POST", "/run", {});
check("check now", started.status === 200 && started.json?.state === "running", `${started.status} ${JSON.stringify(started.json)}`);
let status: any = null;
for (let tries = 0; tries < 100; tries++) {
  await Bun.sleep(200);
  status = (await api("GET", "/status")).json;
  if (status?.job?.state && status.job.state !== "running") break;
}
check("job finished", status?.job?.state === "succeeded", JSON.stringify(status?.job));
check("update sent", status?.state === "ok" && desec.records.A === "203.0.113.7", `state ${status?.state}, error ${JSON.stringify(status?.error)}, deSEC A=${desec.records.A}`);
const auth = desec.seen.at(-1)?.authorization ?? "";
check("secret as credential", auth === `Basic ${Buffer.from("box.dedyn.io:guest-token").toString("base64")}`, "the job sent the token it got through LoadCredential=");

// the dynamic UID has no name while no unit holds it: compare numbers
const owners = ["settings.json", "status.json"].map((file) => run(["stat", "-c", "%u", `/var/lib/private/caretaker-dyndns/${file}`]).stdout);
check("shared state", owners[0] === owners[1] && owners[0] !== "0", `settings.json (function) and status.json (job) both belong to uid ${owners.join(" and ")}`);

await runAsync(["systemctl", "start", "caretaker-dyndns-update.service"]);
check("nothing changed, nothing sent", desec.seen.length === 1, `${desec.seen.length} request(s) to deSEC after a second run`);
const families = property("caretaker-dyndns-update.service", "RestrictAddressFamilies");
check("address families", families === "AF_INET AF_INET6", `RestrictAddressFamilies=${families}`);
const exposure = /Overall exposure level for \S+:\s*([\d.]+)/.exec(run(["systemd-analyze", "security", "--no-pager", "caretaker-dyndns-update.service"]).stdout)?.[1];
check("job exposure", Number(exposure) <= 1.1, `live ${exposure}, declared 1.1`);

const journal = run(["journalctl", "-b", "--no-pager", "-o", "cat", "-u", "caretaker-dyndns-update.service"]).stdout;
check("journal", journal.includes("desec box.dedyn.io") && !journal.includes("guest-token"), journal.split("\n").filter((line) => line.startsWith("dyndns:")).join(" | "));

const line = `${counts.passed} passed, ${counts.failed} failed`;
console.log(line);
appendFileSync(log, line + "\n");
writeFileSync("/results/journal.txt", run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"]).stdout);
run(["systemctl", "exit", counts.failed ? "1" : "0"]);
