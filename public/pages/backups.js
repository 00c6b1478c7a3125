// The backups page: each repository's health and last good archive, a live progress bar while a job
// runs (picked up again after a reload), its jobs, archives and restore, and the form to add one.
import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.js";
import { html } from "../html.js";
import { followJob } from "../job-events.js";
import { Browse, Verification } from "./backups-browse.js";

const healthWords = {
  ok: ["ok", "Backed up"],
  stale: ["warning", "Overdue"],
  failed: ["critical", "Last run failed"],
  "never-run": ["neutral", "No backup yet"],
};
const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "never");
const bytes = (value) => {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let index = 0;
  while (value >= 1024 && index < units.length - 1) (value /= 1024), index++;
  return `${value.toFixed(index ? 1 : 0)} ${units[index]}`;
};

/** Files, bytes and rate of the running job; the bar fills against the last good archive's size. */
function ProgressBar({ progress, expected }) {
  const fraction = expected ? Math.min(1, progress.originalBytes / expected) : null;
  return html`<div class="progress" data-testid="backups-progress">
    <progress max="1" value=${fraction ?? undefined} aria-label="backup progress"></progress>
    <p class="detail">${`${progress.phase}${progress.source ? ` ${progress.source}` : ""}: ${progress.files} files, ${bytes(progress.originalBytes)} read, ${bytes(progress.deduplicatedBytes)} new, ${bytes(progress.bytesPerSecond)}/s`}</p>
  </div>`;
}

function Restore({ repository, onDone }) {
  const [archives, setArchives] = useState([]);
  const [form, setForm] = useState({ archive: "", target: "", paths: "", overwrite: false });
  const [message, setMessage] = useState(null);
  useEffect(() => { getJson(`backups/repositories/${repository.name}/archives`).then(setArchives, () => setArchives([])); }, [repository.name, repository.archives]);
  const submit = async (event) => {
    event.preventDefault();
    try {
      const paths = form.paths.split("\n").map((line) => line.trim()).filter(Boolean);
      await sendJson("POST", `backups/repositories/${repository.name}/restore`, { archive: form.archive || archives[0]?.name, target: form.target, paths, overwrite: form.overwrite });
      setMessage(null);
      onDone();
    } catch (error) {
      setMessage(error.message);
    }
  };
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.type === "checkbox" ? event.target.checked : event.target.value });
  return html`<details><summary>Restore (${archives.length} archives)</summary>
    <form class="form" onSubmit=${submit}>
      <label>Archive <select value=${form.archive || archives[0]?.name} onChange=${set("archive")}>${archives.map((archive) => html`<option value=${archive.name}>${archive.name} (${when(archive.time)})</option>`)}</select></label>
      <${Browse} repository=${repository.name} archive=${form.archive || archives[0]?.name} paths=${form.paths} onPaths=${(paths) => setForm({ ...form, paths })} />
      <label>Into directory <input value=${form.target} onInput=${set("target")} placeholder="/srv/restore" required /></label>
      <label>Only these paths (one a line, empty: everything) <textarea value=${form.paths} onInput=${set("paths")}></textarea></label>
      <label><input type="checkbox" checked=${form.overwrite} onChange=${set("overwrite")} /> Write into a non-empty directory (replaces live files)</label>
      ${message && html`<p class="notice error" role="alert">${message}</p>`}
      <button type="submit" disabled=${!archives.length}>Restore</button>
    </form></details>`;
}

/** Each timer's next run as systemd computed it; in dev mode there are no timers, and the status says so. */
const timerWords = (timers) =>
  !timers ? "" : timers.state !== "applied" ? timers.message : timers.timers.map((timer) => `${timer.job}: next ${timer.next ? when(timer.next) : "not scheduled"}`).join("; ") || timers.message;

function Repository({ status, refresh }) {
  const [live, setLive] = useState(status);
  const [error, setError] = useState(null);
  useEffect(() => setLive(status), [status]);
  // a job already running (a reload mid-backup) is followed at once
  useEffect(() => (status.running ? followJob(`backups/repositories/${status.name}/events`, (next) => { setLive(next); if (!next.running) refresh(); }) : undefined), [status.running?.unit]);
  const run = async (job) => {
    try {
      setError(null);
      await sendJson("POST", job === "break-lock" ? `backups/repositories/${status.name}/break-lock` : `backups/repositories/${status.name}/jobs/${job}`, {});
      refresh();
    } catch (thrown) {
      setError(thrown.message);
    }
  };
  const [level, title] = healthWords[live.health];
  const good = live.lastGood;
  return html`<section class="card wide" data-testid="backups-repository" data-flagged=${live.flagged}>
    <h2>${live.name} <span class="status" data-level=${level} data-testid="backups-health">${title}</span></h2>
    <dl class="facts">
      <dt>Where</dt><dd>${live.settings.location}</dd>
      <dt>Sources</dt><dd>${live.settings.sources.map((source) => `${source.name}: ${source.paths.join(", ")}`).join("; ")}</dd>
      <dt>Last good archive</dt><dd data-testid="backups-last-good">${good ? `${good.name}, ${good.ageHours} h ago, ${bytes(good.originalBytes)} (${bytes(good.deduplicatedBytes)} new), ${good.files} files` : "none"}</dd>
      <dt>Last run</dt><dd data-testid="backups-last-run">${live.lastRun ? `${live.lastRun.job} ${live.lastRun.ok ? "succeeded" : "failed"} ${when(live.lastRun.finishedAt)}: ${live.lastRun.message}` : "never"}</dd>
      <dt>Schedule</dt><dd>backup ${live.settings.schedule.create ?? "only when asked"}, check ${live.settings.schedule.check ?? "only when asked"}, verified restore ${live.settings.schedule.verify ?? "only when asked"}</dd>
      <dt>Timers</dt><dd data-testid="backups-timers">${timerWords(status.timers)}</dd>
    </dl>
    ${live.running && live.progress && html`<${ProgressBar} progress=${live.progress} expected=${good?.originalBytes} />`}
    ${live.running && !live.progress && html`<p class="detail">${live.running.unit} is running…</p>`}
    ${error && html`<p class="notice error" role="alert">${error}</p>`}
    <p class="actions">
      ${["create", "check", "prune", "compact", "init"].map((job) => html`<button type="button" disabled=${!!live.running} onClick=${() => run(job)}>${{ create: "Back up now", check: "Check", prune: "Prune", compact: "Compact", init: "Create repository" }[job]}</button>`)}
    </p>
    <p class="detail">A run that was killed can leave the repository locked, and every later run then fails:
      <button type="button" disabled=${!!live.running} onClick=${() => run("break-lock")}>Break stale lock</button> (refused while any borg uses it).</p>
    <p class="detail">Keep a copy of the repository key off this box: if the key inside the repository is damaged, the archives cannot be read without it (<a href=${`./api/backups/repositories/${live.name}/key`}>key</a>, still locked by the passphrase).</p>
    <${Verification} status=${live} refresh=${refresh} />
    <${Restore} repository=${live} onDone=${refresh} />
  </section>`;
}

function AddRepository({ onSaved }) {
  const [form, setForm] = useState({ name: "", location: "", passphrase: "", paths: "", excludes: "", create: "daily", maxAgeHours: 26 });
  const [preview, setPreview] = useState(null);
  const [message, setMessage] = useState(null);
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  useEffect(() => {
    if (!form.create) return setPreview(null);
    const timer = setTimeout(() => getJson(`backups/calendar?expression=${encodeURIComponent(form.create)}`).then((calendar) => setPreview(calendar.nextRuns.map(when).join(", ")), (error) => setPreview(error.message)), 300);
    return () => clearTimeout(timer);
  }, [form.create]);
  const lines = (text) => text.split("\n").map((line) => line.trim()).filter(Boolean);
  const submit = async (event) => {
    event.preventDefault();
    try {
      await sendJson("PUT", `backups/repositories/${form.name}`, {
        location: form.location, appendOnly: false, passphrase: form.passphrase,
        sources: [{ name: "files", paths: lines(form.paths), excludes: lines(form.excludes) }],
        hooks: { before: [], after: [] }, retention: { within: "2d", daily: 7, weekly: 4, monthly: 6 },
        maxAgeHours: Number(form.maxAgeHours), schedule: { create: form.create || null, check: "weekly", verify: "weekly" },
      });
      setMessage(null);
      onSaved();
    } catch (error) {
      setMessage(error.message);
    }
  };
  return html`<section class="card wide"><h2>Add a repository</h2>
    <form class="form" onSubmit=${submit} data-testid="backups-add">
      <label>Name <input value=${form.name} onInput=${set("name")} placeholder="usbdisk" required /></label>
      <label>Location <input value=${form.location} onInput=${set("location")} placeholder="/mnt/usb/borg or ssh://borg@host/./repo" required /></label>
      <label>Passphrase <input type="password" value=${form.passphrase} onInput=${set("passphrase")} minlength="12" required /></label>
      <label>Paths to back up (one a line) <textarea value=${form.paths} onInput=${set("paths")} required></textarea></label>
      <label>Excludes (one a line) <textarea value=${form.excludes} onInput=${set("excludes")}></textarea></label>
      <label>Schedule (systemd calendar) <input value=${form.create} onInput=${set("create")} /></label>
      <p class="detail" data-testid="backups-calendar">Next runs: ${preview ?? "—"}</p>
      <label>Warn when the last backup is older than (hours) <input type="number" value=${form.maxAgeHours} onInput=${set("maxAgeHours")} min="1" /></label>
      ${message && html`<p class="notice error" role="alert">${message}</p>`}
      <button type="submit">Save</button>
    </form></section>`;
}

export default function BackupsPage() {
  const [state, setState] = useState({ repositories: null, error: null });
  const refresh = useCallback(() => getJson("backups/repositories").then((repositories) => setState({ repositories, error: null }), (error) => setState({ repositories: [], error })), []);
  useEffect(() => { refresh(); }, [refresh]);
  if (!state.repositories) return html`<p class="detail">Loading…</p>`;
  return html`<div class="cards">
    ${state.error && html`<p class="notice error" role="alert">${state.error.message}</p>`}
    ${state.repositories.map((status) => html`<${Repository} key=${status.name} status=${status} refresh=${refresh} />`)}
    <${AddRepository} onSaved=${refresh} />
  </div>`;
}
