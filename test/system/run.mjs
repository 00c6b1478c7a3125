// Boots caretaker on a real systemd: a trixie rootfs (cached), caretaker installed by the image's
// install step, booted with systemd-nspawn as PID 1; the checks in the guest decide the exit code.
// Usage (as root): node test/system/run.mjs [--source <checkout>] [--overlay <dir>] [--keep] [--extra-list <file>] [--guest-program <file.ts>]
//                 [--device <node>]... [--no-bpf]
//   --source installs another, already built checkout (default: this one, built when stale);
//   --overlay copies a tree over the installed root (e.g. a deliberately broken unit);
//   --guest-program runs another guest program instead of the checks (the benchmark uses it);
//   --device binds a host device node into the guest (a loop device and its partitions: the disk tests);
//   the guest's systemd may attach BPF programs (nspawn --system-call-filter=bpf): nspawn's seccomp
//     filter refuses bpf() otherwise and systemd then silently leaves DeviceAllow= and IPAddressDeny=
//     unenforced, unlike on a real machine; --no-bpf boots without it;
//   by default the same root boots a second time with the reboot checks (what must survive a reboot).
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePackages } from "../../functions/_build/packages.mjs";
import { install } from "../../image/install.mjs";
import { rootfsTarball } from "./rootfs.mjs";

const repository = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bun = join(repository, "node_modules/.bin/bun");
const bootTimeoutSeconds = 240;

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** Runs `npm run build` unless build/ is newer than everything it is built from. */
export function ensureBuild(log = console.error) {
  const outputs = [join(repository, "build/public/index.html"), join(repository, "build/public/openapi.json")];
  const functionsDirectory = join(repository, "functions");
  for (const name of readdirSync(functionsDirectory).filter((entry) => !entry.startsWith("_"))) {
    outputs.push(join(repository, "build/functions", `${name}.js`), join(repository, "build/functions", `${name}.js.jsc`));
  }
  const sources = ["functions", "public", "package-lock.json"].map((path) => newest(join(repository, path)));
  const fresh = outputs.every((output) => existsSync(output)) && Math.min(...outputs.map((output) => statSync(output).mtimeMs)) > Math.max(...sources);
  if (fresh) return false;
  log("building caretaker (npm run build)");
  execFileSync(process.execPath, [join(repository, "functions/_build/build.mjs")], { cwd: repository, stdio: ["ignore", "inherit", "inherit"] });
  return true;
}

/** The guest program (the checks by default) and the sandbox probe, bundled for the guest's bun,
 * and the unit that runs the program once the system has booted. */
function addGuestProgram(root, program) {
  const bundle = (entry, outfile) =>
    execFileSync(bun, ["build", "--target=bun", "--outfile", join(root, outfile), entry], { stdio: ["ignore", "ignore", "inherit"] });
  bundle(program, "usr/lib/caretaker-test/program.js");
  bundle(join(repository, "test/system/guest/sandbox-probe.ts"), "usr/lib/caretaker/test-probe/sandbox-probe.js");
  return `[Unit]
Description=caretaker system test: ${basename(program)}, once the system has booted
After=multi-user.target
# a crash or a hang still ends the guest, with a failing verdict
FailureAction=exit
FailureActionExitStatus=3

[Service]
# not oneshot: the boot must finish while the program waits for it (is-system-running --wait)
Type=exec
ExecStart=/usr/lib/caretaker/bun --no-env-file /usr/lib/caretaker-test/program.js
RuntimeMaxSec=200
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
`;
}

function enableGuestUnit(root, name, text) {
  writeFileSync(join(root, "etc/systemd/system", name), text);
  mkdirSync(join(root, "etc/systemd/system/multi-user.target.wants"), { recursive: true });
  symlinkSync(`/etc/systemd/system/${name}`, join(root, "etc/systemd/system/multi-user.target.wants", name));
}

/** Enables what the installed preset file enables, as an image build's `systemctl preset` would. */
function applyPresets(root) {
  const preset = readFileSync(join(root, "usr/lib/systemd/system-preset/50-caretaker.preset"), "utf8");
  const installed = readdirSync(join(root, "usr/lib/systemd/system"));
  // `systemctl preset` takes unit names, not the globs a preset file may hold: expand them here
  const units = [...preset.matchAll(/^enable\s+(\S+)$/gm)].flatMap(([, pattern]) =>
    pattern.includes("*") ? installed.filter((unit) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`).test(unit)) : [pattern],
  );
  if (units.length === 0) return;
  execFileSync("systemctl", [`--root=${root}`, "--preset-mode=enable-only", "preset", ...units], { stdio: ["ignore", "ignore", "pipe"] });
}

function boot(root, results, { devices = [], bpf = true } = {}) {
  return new Promise((resolve) => {
    const argv = ["--register=no", "--keep-unit", "--boot", "--private-network", `--bind=${results}:/results`, "--console=pipe", "-D", root];
    // opt-in: the default guest boots exactly as before
    argv.splice(argv.indexOf("--console=pipe"), 0, ...devices.map((device) => `--bind=${device}`), ...(bpf ? ["--system-call-filter=bpf"] : []));
    const child = spawn("systemd-nspawn", argv, { env: { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let console = "";
    child.stdout.on("data", (chunk) => (console += chunk));
    child.stderr.on("data", (chunk) => (console += chunk));
    const timer = setTimeout(() => {
      console += `\n[the guest did not end within ${bootTimeoutSeconds} s: killed]\n`;
      child.kill("SIGKILL");
    }, bootTimeoutSeconds * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, signal, console });
    });
  });
}

/** Builds, installs, boots and checks; returns the verdict (nspawn's exit code) and the guest log. */
export async function runSystemTest({ source, overlay, keep = false, extraLists = [], guestProgram, devices = [], bpf = true, log = console.error } = {}) {
  // the checks, then a second boot of the same root with the reboot checks; another program boots once
  const rebootProgram = guestProgram ? undefined : join(repository, "test/system/guest/reboot-checks.ts");
  guestProgram ??= join(repository, "test/system/guest/checks.ts");
  if (process.getuid?.() !== 0) throw new Error("the system test boots a guest with systemd-nspawn and must run as root");
  ensurePackages({ mmdebstrap: "/usr/bin/mmdebstrap", "systemd-container": "/usr/bin/systemd-nspawn", zstd: "/usr/bin/zstd" });
  const timings = {};
  let mark = performance.now();
  const lap = (name) => {
    timings[name] = Math.round(performance.now() - mark);
    mark = performance.now();
  };
  if (!source && ensureBuild(log)) lap("build");
  const lists = [join(repository, "image/packages.txt"), join(repository, "test/system/packages-test.txt"), ...extraLists];
  const { tarball, built } = rootfsTarball(lists, log);
  lap(built ? "rootfs build" : "rootfs (cached)");
  const scratch = mkdtempSync("/var/tmp/caretaker-system-");
  const root = join(scratch, "root");
  const results = join(scratch, "results");
  mkdirSync(root);
  mkdirSync(results);
  try {
    execFileSync("tar", ["--zstd", "--numeric-owner", "-xpf", tarball, "-C", root]);
    install(root, source ?? repository);
    if (overlay) cpSync(overlay, root, { recursive: true });
    applyPresets(root);
    enableGuestUnit(root, "caretaker-test.service", addGuestProgram(root, guestProgram));
    lap("extract + install");
    const guest = await boot(root, results, { devices, bpf });
    lap("boot + checks + power-off");
    if (rebootProgram && guest.code === 0) {
      addGuestProgram(root, rebootProgram);
      const second = await boot(root, results, { devices, bpf });
      lap("second boot + reboot checks");
      guest.code = second.code;
      guest.console += `\n[second boot]\n${second.console}`;
    }
    const checks = existsSync(join(results, "checks.log")) ? readFileSync(join(results, "checks.log"), "utf8") : "";
    const journal = existsSync(join(results, "journal.txt")) ? readFileSync(join(results, "journal.txt"), "utf8") : "";
    const files = Object.fromEntries(readdirSync(results).map((file) => [file, readFileSync(join(results, file), "utf8")]));
    const reboot = existsSync(join(results, "reboot.log")) ? readFileSync(join(results, "reboot.log"), "utf8") : "";
    return { code: guest.code, checks: checks + (reboot ? `\n${reboot}` : ""), console: guest.console, journal, files, timings, scratch };
  } finally {
    if (!keep) rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const outcome = await runSystemTest({
    source: option("--source"),
    overlay: option("--overlay"),
    keep: args.includes("--keep"),
    extraLists: option("--extra-list") ? [option("--extra-list")] : [],
    guestProgram: option("--guest-program"),
    devices: args.flatMap((arg, index) => (arg === "--device" && args[index + 1] ? [args[index + 1]] : [])),
    bpf: !args.includes("--no-bpf"),
  });
  process.stdout.write(outcome.checks || `no checks log; the guest console:\n${outcome.console}\n`);
  if (outcome.code !== 0 && outcome.checks) process.stdout.write(`\nthe guest console (end):\n${outcome.console.split("\n").slice(-40).join("\n")}\n`);
  console.error(`verdict ${outcome.code}; timings (ms): ${JSON.stringify(outcome.timings)}${args.includes("--keep") ? `; kept ${outcome.scratch}` : ""}`);
  process.exit(outcome.code);
}
