// What the guest programs ask systemd: commands run without a shell, unit properties and states.
export function run(argv: string[], timeoutSeconds = 30) {
  const result = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe", timeout: timeoutSeconds * 1000 });
  return { code: result.exitCode ?? -1, stdout: result.stdout.toString().trim(), stderr: result.stderr.toString().trim() };
}

/** The same without blocking the event loop: for guest programs that serve or watch while a job runs. */
export async function runAsync(argv: string[]) {
  const child = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout: stdout.trim(), stderr: stderr.trim() };
}

export function property(unit: string, name: string) {
  return run(["systemctl", "show", "-P", name, unit]).stdout;
}

function unitNames(listing: string) {
  return listing.split("\n").map((line) => line.trim().split(/\s+/)[0]).filter(Boolean);
}

/** caretaker services that run (or start or stop) now, leaving out the test's own unit. */
export function runningServices() {
  const listing = run(["systemctl", "list-units", "--plain", "--no-legend", "--state=active,activating,deactivating,reloading", "caretaker-*.service"]).stdout;
  // a oneshot that has finished but stays active (RemainAfterExit=yes, the first-boot job) runs nothing
  const finished = listing.split("\n").filter((line) => line.trim().split(/\s+/)[3] === "exited").map((line) => line.trim().split(/\s+/)[0]);
  return unitNames(listing).filter((unit) => unit !== "caretaker-test.service" && !finished.includes(unit));
}

export function failedUnits() {
  return unitNames(run(["systemctl", "list-units", "--failed", "--plain", "--no-legend"]).stdout);
}

export function journalOf(unit: string) {
  return run(["journalctl", "-b", "--no-pager", "-n", "20", "-o", "cat", "-u", unit]).stdout;
}

/** Memory systemd accounts to caretaker units (bytes), where the cgroup memory controller exists. */
export function caretakerUnitMemory() {
  let bytes = 0;
  for (const unit of unitNames(run(["systemctl", "list-units", "--all", "--plain", "--no-legend", "caretaker-*.service"]).stdout)) {
    const current = Number(property(unit, "MemoryCurrent"));
    if (Number.isFinite(current) && current < 2 ** 63) bytes += current;
  }
  return bytes;
}
