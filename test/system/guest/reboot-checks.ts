// Runs in the guest's second boot (test/system/run.mjs boots the same root twice): what the first
// boot set up must still hold (admin, token, name, signing key), and setup must stay closed.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { bearer, curl, sessionCookie } from "./access.ts";
import { domainAfterReboot } from "./domain.ts";
import { property, run } from "./systemctl.ts";

const log = "/results/reboot.log";
const counts = { passed: 0, failed: 0 };
function check(subject: string, name: string, ok: boolean, detail: string) {
  counts[ok ? "passed" : "failed"]++;
  const line = `${ok ? "ok  " : "FAIL"} ${subject}: ${name}: ${detail}`;
  console.log(line);
  appendFileSync(log, `${line}\n`);
}

writeFileSync(log, "# the second boot of the same guest\n");
const state = run(["systemctl", "is-system-running", "--wait"], 120).stdout;
check("reboot", "state", state === "running", `is-system-running says ${state}`);
const first = JSON.parse(readFileSync("/results/credentials.json", "utf8")) as { password: string; token: string; signingKey: string };

const job = property("caretaker-setup-code.service", "ConditionResult");
check("setup", "first-boot job skipped", job === "no", `caretaker-setup-code.service ConditionResult=${job} (setup-complete exists)`);
check("auth", "signing key kept", readFileSync("/var/lib/caretaker/public/signing.pub", "utf8") === first.signingKey, "signing.pub is the one of the first boot");

const overview = curl("GET", "/api/system/overview", { headers: bearer(first.token) });
check("auth", "token kept", overview.status === "200", `GET /api/system/overview with the token minted in the first boot: ${overview.status} ${overview.body.slice(0, 200)}`);
const anonymous = curl("GET", "/api/system/overview");
check("auth", "still closed", anonymous.status === "401", `without credentials: ${anonymous.status}`);

const again = curl("POST", "/api/setup/complete", { body: { code: readFileSync("/etc/credstore/caretaker-setup-code", "utf8").trim(), password: "another password", box: { name: "box.local", tls: "internal" } } });
check("setup", "still complete", again.status === "409", `POST /api/setup/complete: ${again.status} ${again.body.slice(0, 200)}`);

const login = curl("POST", "/api/auth/login", { body: { password: first.password } });
check("auth", "admin kept", login.status === "200", `login with the first boot's password: ${login.status} ${login.body.slice(0, 200)}`);
const tokens = curl("GET", "/api/auth/tokens", { headers: { cookie: sessionCookie(login) } });
check("auth", "token list kept", tokens.status === "200" && tokens.body.includes('"guest-checks"'), `GET /api/auth/tokens: ${tokens.status} ${tokens.body.slice(0, 300)}`);
const status = curl("GET", "/api/auth/status");
check("setup", "name kept", status.body.includes('"name":"127.0.0.1"'), `GET /api/auth/status: ${status.body.slice(0, 300)}`);

domainAfterReboot(first.token, check);

const line = `${counts.passed} passed, ${counts.failed} failed`;
console.log(line);
appendFileSync(log, `${line}\n`);
writeFileSync("/results/journal-reboot.txt", run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"]).stdout);
run(["systemctl", "exit", counts.failed ? "1" : "0"]);
