// Benchmark on the real system: boots the test guest with Cockpit added, runs guest-measure.ts in it
// and prints caretaker and Cockpit side by side. Usage (as root): node test/bench/guest-bench.mjs [--json]
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSystemTest } from "../system/run.mjs";

const here = dirname(fileURLToPath(import.meta.url));

const outcome = await runSystemTest({
  extraLists: [join(here, "guest-packages.txt")],
  guestProgram: join(here, "guest-measure.ts"),
});
const text = outcome.files["bench.json"];
if (outcome.code !== 0 || !text) {
  console.error(`the benchmark guest failed (verdict ${outcome.code}):\n${outcome.console.split("\n").slice(-60).join("\n")}`);
  process.exit(1);
}
const bench = JSON.parse(text);
if (process.argv.includes("--json")) {
  console.log(JSON.stringify(bench, null, 2));
  process.exit(0);
}

const { caretaker, cockpit, cockpitPage } = bench;
const mib = (kib) => (kib / 1024).toFixed(1);
const ms = (value) => value.toFixed(1);
const ratio = (theirs, ours) => (ours > 0 ? `${(theirs / ours).toFixed(1)}x` : "n/a");
const caddyAndCaretaker = caretaker.idleCaddyKiB + caretaker.idleCaretakerKiB;
const rows = [
  ["", "caretaker (Caddy + system)", "Cockpit", "Cockpit / caretaker"],
  ["cold response, median (ms after TLS)", ms(caretaker.coldMedianMs), ms(cockpit.coldMedianMs), ratio(cockpit.coldMedianMs, caretaker.coldMedianMs)],
  ["cold response, p90 (ms after TLS)", ms(caretaker.coldP90Ms), ms(cockpit.coldP90Ms), ratio(cockpit.coldP90Ms, caretaker.coldP90Ms)],
  [
    "what a cold response starts (MiB)",
    `${mib(caretaker.requestPeakKiBMedian)} peak (bun ${mib(caretaker.largestProcessPeakKiBMedian)} + its tools), gone after`,
    `${mib(cockpit.servingLoginPageKiB)} (cockpit-tls + cockpit-ws), until idle-out`,
    ratio(cockpit.servingLoginPageKiB, caretaker.requestPeakKiBMedian),
  ],
  ["idle admin plane (MiB)", `${mib(caddyAndCaretaker)} (Caddy ${mib(caretaker.idleCaddyKiB)} + caretaker ${mib(caretaker.idleCaretakerKiB)} in ${caretaker.idleCaretakerProcesses} processes)`, "socket only once cockpit-ws idles out (not waited for)", ""],
  ["while a page is open (MiB)", `${mib(caddyAndCaretaker)} (Caddy; no function runs between requests)`, cockpitPage.open ? mib(cockpitPage.kib) : "not measured", cockpitPage.open ? ratio(cockpitPage.kib, caddyAndCaretaker) : ""],
];
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
for (const [index, row] of rows.entries()) {
  console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`);
  if (index === 0) console.log(`| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`);
}
console.log(`\nCockpit's first response ever (with its one-time certificate): ${ms(cockpit.firstEverMs)} ms (status ${cockpit.firstEverStatus}).`);
console.log(`Cockpit processes with a page open: ${cockpitPage.processes?.join(", ") ?? "none"}.`);
console.log(`Memory: resident set sizes from /proc; ${bench.notes.cgroupMemory}.`);
console.error(`timings (ms): ${JSON.stringify(outcome.timings)}`);
