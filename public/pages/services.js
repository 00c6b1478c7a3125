// The services page: what runs on the box (state, since when, memory, CPU, restarts), actions with a
// confirmation for the units on the allow-list, the timers with their next and last run, and the list.
import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.js";
import { formatBytes } from "../format.js";
import { html } from "../html.js";
import { AllowList } from "./services-allowed.js";

const groups = [
  ["caretaker", "caretaker", "Its sockets, function templates (one instance per request), jobs and timers."],
  ["front", "Web front", "Caddy: TLS and the door to this page."],
  ["apps", "Apps", "Well-known apps found on this box and the units on the allow-list."],
  ["containers", "Containers", ""],
];
const verbs = { start: "Start", stop: "Stop", restart: "Restart", enable: "Enable", disable: "Disable" };

const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—");
const levelOf = (unit) => (unit.active === "failed" ? "critical" : unit.active === "active" ? "ok" : "neutral");

/** 1 234 567 890 ns → "1.2 s"; minutes and hours beyond a minute. */
export function formatCpu(nanoseconds) {
  if (nanoseconds === null) return "—";
  const seconds = nanoseconds / 1e9;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A button that asks first: the action runs only after "Yes, <verb>". */
function Confirmed({ label, question, testid, onConfirm, disabled, title }) {
  const [asking, setAsking] = useState(false);
  if (!asking) return html`<button type="button" class="button small" disabled=${disabled} title=${title} data-testid=${testid} onClick=${() => setAsking(true)}>${label}</button>`;
  return html`<span class="confirm" role="group" aria-label=${question}>
    <span>${question}</span>
    <button type="button" class="button small" onClick=${() => { setAsking(false); onConfirm(); }}>Yes, ${label.toLowerCase()}</button>
    <button type="button" class="button small" onClick=${() => setAsking(false)}>Cancel</button>
  </span>`;
}

function UnitRow({ unit, act }) {
  const short = unit.kind === "scope" ? unit.name.replace(/^docker-([0-9a-f]{12})[0-9a-f]*\.scope$/, "container $1") : unit.name;
  return html`<tr data-unit=${unit.name}>
    <td><span class="unit-name">${short}</span><br /><span class="muted">${unit.description}</span></td>
    <td><span class="status" data-level=${levelOf(unit)} data-testid="unit-state">${unit.kind === "template" ? `${unit.instances} running` : `${unit.active || "—"} (${unit.sub || "—"})`}</span></td>
    <td>${when(unit.since)}</td>
    <td>${unit.memoryBytes === null ? "—" : formatBytes(unit.memoryBytes)}</td>
    <td>${formatCpu(unit.cpuNanoseconds)}</td>
    <td>${unit.restarts ?? "—"}</td>
    <td>${unit.enabled || "—"}</td>
    <td class="actions">${unit.actions.length === 0
      ? html`<span class="muted">${unit.group === "caretaker" || unit.group === "front" ? "managed by caretaker" : "read-only"}</span>`
      : unit.actions.map((action) => html`<${Confirmed} key=${action} label=${verbs[action]} question=${`${verbs[action]} ${unit.name}?`} testid=${`${action}-${unit.name}`} onConfirm=${() => act(unit.name, action)} />`)}</td>
  </tr>`;
}

function UnitTables({ data, act }) {
  return groups.map(([group, title, words]) => {
    const units = data.units.filter((unit) => unit.group === group);
    if (units.length === 0 && group !== "containers") return null;
    return html`<section class="card wide" key=${group} aria-labelledby=${`services-${group}`}>
      <h2 id=${`services-${group}`}>${title}</h2>
      <p class="detail">${group === "containers" ? data.containers.note : words}</p>
      ${units.length > 0 && html`<div class="table-scroll"><table class="units" data-testid=${`units-${group}`}>
        <thead><tr><th scope="col">Unit</th><th scope="col">State</th><th scope="col">Since</th><th scope="col">Memory</th><th scope="col">CPU</th><th scope="col">Restarts</th><th scope="col">At boot</th><th scope="col">Actions</th></tr></thead>
        <tbody>${units.map((unit) => html`<${UnitRow} key=${unit.name} unit=${unit} act=${act} />`)}</tbody>
      </table></div>`}
    </section>`;
  });
}

function TimerTable({ timers, run }) {
  return html`<section class="card wide" aria-labelledby="services-timers">
    <h2 id="services-timers">Timers</h2>
    <div class="table-scroll"><table class="units" data-testid="timers">
      <thead><tr><th scope="col">Timer</th><th scope="col">Starts</th><th scope="col">Next run</th><th scope="col">Last run</th><th scope="col"></th></tr></thead>
      <tbody>${timers.map((timer) => html`<tr key=${timer.name} data-timer=${timer.name}>
        <td><span class="unit-name">${timer.name}</span><br /><span class="muted">${timer.description}</span></td>
        <td>${timer.unit}</td>
        <td data-testid="timer-next">${when(timer.next)}</td>
        <td>${when(timer.last)}</td>
        <td><${Confirmed} label="Run now" question=${`Start ${timer.unit} now?`} testid=${`run-${timer.name}`} disabled=${!timer.runNow} title=${timer.runNowReason} onConfirm=${() => run(timer.name)} /></td>
      </tr>`)}</tbody>
    </table></div>
  </section>`;
}

export default function ServicesPage() {
  const [data, setData] = useState({ units: null, timers: null, allowed: null, error: null });
  const [outcome, setOutcome] = useState(null);

  const load = useCallback(async () => {
    try {
      const [units, timers, allowed] = await Promise.all([getJson("services/units"), getJson("services/timers"), getJson("services/allowed")]);
      setData({ units, timers, allowed, error: null });
    } catch (error) {
      setData((previous) => ({ ...previous, error }));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const perform = useCallback(async (path, words) => {
    setOutcome({ busy: true, text: `${words}…` });
    try {
      const result = await sendJson("POST", path, {});
      setOutcome({ level: "ok", text: `${words}: ${result.done === false ? "systemd is still working on it" : "done"}${result.status ? ` (now ${result.status.active})` : ""}.` });
    } catch (error) {
      setOutcome({ level: "error", text: `${words}: ${error.message}` });
    }
    await load();
  }, [load]);
  const act = (unit, action) => perform(`services/units/${encodeURIComponent(unit)}/${action}`, `${verbs[action]} ${unit}`);
  const run = (timer) => perform(`services/timers/${encodeURIComponent(timer)}/run`, `Run ${timer} now`);

  const { units, timers, allowed, error } = data;
  return html`<section class="page" aria-busy=${outcome?.busy ? "true" : "false"}>
    <div class="page-head"><div class="page-title"><h1>Services</h1></div>
      <button type="button" class="button" onClick=${load}>Refresh</button></div>
    ${error && html`<div class="notice error" role="alert">${error.message}</div>`}
    ${outcome && html`<p class=${`notice ${outcome.level === "error" ? "error" : ""}`} role="status" data-testid="services-outcome">${outcome.text}</p>`}
    ${!units && !error && html`<p class="notice">Loading…</p>`}
    ${units && !units.available && html`<p class="notice" data-testid="services-unavailable">Units and timers can't be shown: ${units.reason}.</p>`}
    ${units?.available && html`<div class="cards"><${UnitTables} data=${units} act=${act} /></div>`}
    ${timers?.available && html`<div class="cards"><${TimerTable} timers=${timers.timers} run=${run} /></div>`}
    ${allowed && html`<div class="cards"><${AllowList} key=${allowed.units.join(" ")} allowed=${allowed} onSaved=${load} /></div>`}
  </section>`;
}
