// Runs in the booted trixie guest (node test/system/run.mjs --guest-program test/backups/guest-backups.ts):
// the backups function, its schedule job and its repository jobs under real systemd and borg 1.4.
// Through the API (HTTPS, token): save a repository with a schedule, and see the drop-ins and timers (create,
// check, verify); run a verified restore through the API;
// start the create job as its timer does (root, not the function) and look at its sandbox from inside;
// polkit lets the function's user start its own jobs and nothing else; forgetting removes the timers.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { bearer, curl, setUpBox } from "../system/guest/access.ts";
import { property, run } from "../system/guest/systemctl.ts";

const log = "/results/checks.log";
const counts = { passed: 0, failed: 0 };
function check(name: string, ok: boolean, detail: string) {
  counts[ok ? "passed" : "failed"]++;
  const line = `${ok ? "ok  " : "FAIL"} backups: ${name}: ${detail}`;
  console.log(line);
  appendFileSync(log, line + "\n");
}

let token = "";
function api(method: string, path: string, body?: unknown) {
  const answer = curl(method, `/api/backups${path}`, { body, headers: bearer(token) });
  let json: any = null;
  try {
    json = JSON.parse(answer.body);
  } catch {}
  return { status: Number(answer.status), json, body: answer.body };
}

// systemd unloads a oneshot that ended well and that nothing references, and with it its Result=: the
// jobs' own records tell when they ran (schedule.json, runs/<repository>.json), the unit's Result= when it failed
const reports = "/var/lib/caretaker-backups-jobs";
const readJson = (path: string) => {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
};
const scheduleMark = () => readJson(`${reports}/schedule.json`)?.appliedAt ?? "";
const runMark = (job: string) => readJson(`${reports}/runs/usb.json`)?.runs?.[job]?.finishedAt ?? "";
async function waitForMark(mark: () => string, before: string, unit: string, seconds = 90) {
  for (let tries = 0; tries < seconds * 5; tries++) {
    if (mark() !== before) return { result: property(unit, "ActiveState") === "failed" ? property(unit, "Result") : "success", mark: mark() };
    if (property(unit, "ActiveState") === "failed") return { result: property(unit, "Result"), mark: "" };
    await Bun.sleep(200);
  }
  return { result: "timeout", mark: "" };
}
const iso = (time: number) => (Number.isFinite(time) ? new Date(time).toISOString() : String(time));

mkdirSync("/results", { recursive: true });
writeFileSync(log, "");
run(["systemctl", "is-system-running", "--wait"], 120);
token = setUpBox().token;
check("setup", token !== "", "first-boot setup done, token minted");
check("borg", /^borg 1\.4/.test(run(["/usr/bin/borg", "--version"]).stdout), run(["/usr/bin/borg", "--version"]).stdout);

// the data, and a before-hook that copies its own /proc status into it: the archive then holds the
// capabilities, uid and filters the job really ran with (a hook inherits the job's sandbox)
mkdirSync("/srv/data/docs", { recursive: true });
writeFileSync("/srv/data/docs/letter.txt", "Dear owner,\nyour backups work.\n");
writeFileSync("/srv/data/blob.bin", Buffer.alloc(2 * 1024 * 1024, 7));
mkdirSync("/srv/backups", { recursive: true });
const repository = {
  location: "/srv/backups/usb",
  appendOnly: false,
  passphrase: "a long enough guest passphrase",
  sources: [{ name: "files", paths: ["/srv/data"], excludes: [] }],
  hooks: { before: [["/usr/bin/cp", "/proc/self/status", "/srv/data/hook-status.txt"]], after: [] },
  retention: { within: "2d", weekly: 4 },
  maxAgeHours: 26,
  schedule: { create: "*-*-* 03:00", check: "Sun *-*-* 04:00", verify: "Sat *-*-* 05:00" },
};
const schedule = "caretaker-backups-schedule.service";
const scheduledBefore = scheduleMark();
const saved = api("PUT", "/repositories/usb", repository);
check("save", saved.status === 200 && saved.json?.passphraseSet === true, `${saved.status} ${saved.body.slice(0, 200)}`);
const applied = await waitForMark(scheduleMark, scheduledBefore, schedule);
check("schedule job", applied.result === "success", `${schedule}: Result=${applied.result} appliedAt=${applied.mark}; ${run(["journalctl", "-b", "-o", "cat", "-u", schedule]).stdout.split("\n").filter((line) => line.startsWith("backups")).join(" | ")}`);
const dropIn = "/etc/systemd/system/caretaker-backups-create@usb.timer.d/schedule.conf";
const dropInText = existsSync(dropIn) ? readFileSync(dropIn, "utf8") : "";
check("drop-in", dropInText.includes("[Timer]\nOnCalendar=\nOnCalendar=*-*-* 03:00\n"), JSON.stringify(dropInText));
for (const timer of ["caretaker-backups-create@usb.timer", "caretaker-backups-check@usb.timer", "caretaker-backups-verify@usb.timer"]) {
  const state = `${run(["systemctl", "is-enabled", timer]).stdout}/${run(["systemctl", "is-active", timer]).stdout}`;
  check(`timer ${timer}`, state === "enabled/active", `${state}, OnCalendar: ${property(timer, "TimersCalendar")}`);
}
// expected: systemd-analyze's next elapse of the saved expression, plus at most the timer's RandomizedDelaySec=
const calendarNext = (expression: string) => {
  const next = /Next elapse: \w{3} (\S+ \S+) UTC/.exec(run(["/usr/bin/env", "TZ=UTC", "systemd-analyze", "calendar", expression]).stdout)?.[1] ?? "";
  return Date.parse(`${next.replace(" ", "T")}Z`);
};
const listed = api("GET", "/repositories");
const timers = listed.json?.[0]?.timers;
for (const [job, expression, delayMinutes] of [["create", "*-*-* 03:00", 30], ["verify", "Sat *-*-* 05:00", 60]] as const) {
  const expected = calendarNext(expression);
  const next = Date.parse(timers?.timers?.find((timer: any) => timer.job === job)?.next ?? "");
  check(`next run of ${job}`, timers?.state === "applied" && next >= expected && next <= expected + delayMinutes * 60_000, `status ${timers?.state} (${timers?.message}); ${job} next ${iso(next)} vs calendar ${iso(expected)} (+≤${delayMinutes} min)`);
}

// the repository is created by the function's init job (started over D-Bus by its own user, polkit)
const initUnit = "caretaker-backups-init@usb.service";
const initBefore = runMark("init");
const init = api("POST", "/repositories/usb/jobs/init", {});
const initRun = await waitForMark(() => runMark("init"), initBefore, initUnit, 120);
check("init through the API", init.status === 200 && initRun.result === "success", `${init.status} ${initRun.result} ${run(["journalctl", "-b", "-o", "cat", "-u", initUnit]).stdout.split("\n").slice(-2).join(" | ")}`);

// as the timer does: root starts the job unit, the function plays no part
const createUnit = "caretaker-backups-create@usb.service";
check("timer starts this unit", property("caretaker-backups-create@usb.timer", "Triggers") === createUnit, `Triggers=${property("caretaker-backups-create@usb.timer", "Triggers")}`);
const started = performance.now();
const create = run(["systemctl", "start", createUnit], 180);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
check("create job", create.code === 0 && property(createUnit, "Result") === "success", `systemctl start: ${create.code} ${create.stderr} (${seconds} s); ${run(["journalctl", "-b", "-o", "cat", "-u", createUnit]).stdout.split("\n").filter((line) => line.startsWith("backups")).join(" | ")}`);
const archives = api("GET", "/repositories/usb/archives");
check("archive recorded", archives.status === 200 && /^\d{8}_\d{6}-files$/.test(archives.json?.[0]?.name ?? ""), `${archives.status} ${archives.body.slice(0, 160)}`);
const borgEnv = { BORG_PASSCOMMAND: "/usr/bin/cat /var/lib/private/caretaker-backups/passphrases/usb", BORG_BASE_DIR: "/var/tmp/guest-borg", BORG_RELOCATED_REPO_ACCESS_IS_OK: "yes" };
const listing = Bun.spawnSync(["/usr/bin/borg", "list", "--short", "/srv/backups/usb"], { env: { ...process.env, ...borgEnv } });
const contents = Bun.spawnSync(["/usr/bin/borg", "list", "--short", `/srv/backups/usb::${archives.json?.[0]?.name}`], { env: { ...process.env, ...borgEnv } });
check("archive in borg", listing.stdout.toString().trim() === archives.json?.[0]?.name && contents.stdout.toString().includes("srv/data/docs/letter.txt"), `borg list: ${listing.stdout.toString().trim()} ${listing.stderr.toString().trim()}`);

// the verified restore, started through the API as the page does (its timer starts the same unit)
const verifyUnit = "caretaker-backups-verify@usb.service";
check("verify timer starts this unit", property("caretaker-backups-verify@usb.timer", "Triggers") === verifyUnit, `Triggers=${property("caretaker-backups-verify@usb.timer", "Triggers")}`);
const verifyBefore = runMark("verify");
const verifyStarted = api("POST", "/repositories/usb/jobs/verify", {});
const verifyRun = await waitForMark(() => runMark("verify"), verifyBefore, verifyUnit, 180);
const verification = api("GET", "/repositories").json?.[0]?.verification;
check(
  "verify through the API",
  verifyStarted.status === 200 && verifyRun.result === "success" && verification?.ok === true && verification?.archive === archives.json?.[0]?.name && verification?.files > 0,
  `${verifyStarted.status} ${verifyRun.result}; status verification: ${JSON.stringify(verification)?.slice(0, 300)}; ${run(["journalctl", "-b", "-o", "cat", "-u", verifyUnit]).stdout.split("\n").filter((line) => line.startsWith("backups")).join(" | ")}`,
);

const shown = Object.fromEntries(run(["systemctl", "show", "-p", "CapabilityBoundingSet,AmbientCapabilities,User,DynamicUser,NoNewPrivileges,ProtectSystem,ProtectHome,ReadWritePaths,PrivateDevices,RestrictAddressFamilies,LoadCredential", createUnit]).stdout.split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
check("declared sandbox", shown.CapabilityBoundingSet === "cap_dac_read_search" && shown.NoNewPrivileges === "yes" && shown.ProtectSystem === "strict" && shown.ProtectHome === "read-only" && shown.PrivateDevices === "yes", JSON.stringify(shown));
const status = existsSync("/srv/data/hook-status.txt") ? readFileSync("/srv/data/hook-status.txt", "utf8") : "";
const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, "m").exec(status)?.[1]?.trim();
// CAP_DAC_READ_SEARCH is capability 2: bounding set 0x4; no capability is ambient or inherited by the hook
check("sandbox from inside", field("CapBnd") === "0000000000000004" && field("CapAmb") === "0000000000000000" && field("NoNewPrivs") === "1" && field("Seccomp") === "2" && field("Uid")?.split(/\s+/)[0] === "0", `Uid ${field("Uid")} CapBnd ${field("CapBnd")} CapEff ${field("CapEff")} CapAmb ${field("CapAmb")} NoNewPrivs ${field("NoNewPrivs")} Seccomp ${field("Seccomp")}`);
const journal = run(["journalctl", "-b", "--no-pager", "-o", "cat", "-u", createUnit]).stdout;
check("journal", journal.includes("backups create usb: ok") && !journal.includes(repository.passphrase), journal.split("\n").filter((line) => line.startsWith("backups")).join(" | "));

// polkit: the function's user may start its own jobs, nothing else (--collect: the refused transient units leave no failed unit behind)
const asFunction = (unit: string) =>
  run(["systemd-run", "--wait", "--pipe", "--quiet", "--collect", "-p", "DynamicUser=yes", "-p", "User=caretaker-backups", "/usr/bin/busctl", "call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "StartUnit", "ss", unit, "replace"], 60);
for (const other of ["caretaker-disks-scan.service", "caretaker-dyndns-update.service", "ssh.service"]) {
  const refused = asFunction(other);
  check(`polkit refuses ${other}`, refused.code !== 0 && /Access denied|Interactive authentication required|not allowed/i.test(refused.stderr + refused.stdout), `${refused.code} ${(refused.stderr || refused.stdout).split("\n").pop()}`);
}
const checkUnit = "caretaker-backups-check@usb.service";
const checkBefore = runMark("check");
const own = asFunction(checkUnit);
const checkRun = await waitForMark(() => runMark("check"), checkBefore, checkUnit, 120);
check("polkit allows its own job", own.code === 0 && /^o "\/org\/freedesktop\/systemd1\/job\/\d+"/.test(own.stdout) && checkRun.result === "success", `${own.code} ${own.stdout} ${own.stderr}; ${checkUnit} Result=${checkRun.result}`);

// a stale lock cannot be made here without a second box: break-lock on an unlocked repository is harmless
const breakUnit = "caretaker-backups-break-lock@usb.service";
const breakBefore = runMark("break-lock");
const broken = api("POST", "/repositories/usb/break-lock", {});
const breakRun = await waitForMark(() => runMark("break-lock"), breakBefore, breakUnit, 60);
check("break-lock job", broken.status === 200 && breakRun.result === "success", `${broken.status} ${breakRun.result}: ${run(["journalctl", "-b", "-o", "cat", "-u", breakUnit]).stdout.split("\n").filter((line) => line.startsWith("backups")).join(" | ")}`);

// forgetting the repository takes its timers away
const forgetBefore = scheduleMark();
const forgotten = api("DELETE", "/repositories/usb", {});
const removed = await waitForMark(scheduleMark, forgetBefore, schedule);
const timerState = (timer: string) => `${run(["systemctl", "is-enabled", timer]).stdout}/${run(["systemctl", "is-active", timer]).stdout}`;
const after = ["create", "verify"].map((job) => ({ job, state: timerState(`caretaker-backups-${job}@usb.timer`), dropIn: existsSync(`/etc/systemd/system/caretaker-backups-${job}@usb.timer.d`) }));
check("forget removes the timers", forgotten.status === 200 && removed.result === "success" && after.every((timer) => !timer.dropIn && !timer.state.includes("enabled") && timer.state.endsWith("/inactive")), `${forgotten.status} ${removed.result}; timers ${JSON.stringify(after)}`);
const exposure = /Overall exposure level for \S+:\s*([\d.]+)/.exec(run(["systemd-analyze", "security", "--no-pager", schedule]).stdout)?.[1];
check("schedule job exposure", Number(exposure) <= 1.0, `live ${exposure}, declared 1.0`);
check("no failed units", run(["systemctl", "list-units", "--failed", "--plain", "--no-legend"]).stdout === "", run(["systemctl", "list-units", "--failed", "--plain", "--no-legend"]).stdout);

const line = `${counts.passed} passed, ${counts.failed} failed`;
console.log(line);
appendFileSync(log, line + "\n");
writeFileSync("/results/journal.txt", run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"]).stdout);
run(["systemctl", "exit", counts.failed ? "1" : "0"]);
