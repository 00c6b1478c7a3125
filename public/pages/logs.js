// The logs page: the journal filtered and paged newest first, followed live on request, and caretaker's audit trail.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { getJson } from "../api.js";
import { html } from "../html.js";
import { followEvents } from "../job-events.js";

const priorities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];
const levelOf = (priority) => (priority === null ? "neutral" : priority <= 3 ? "critical" : priority === 4 ? "warning" : "neutral");
const resultLevel = (result) => (result === null ? "neutral" : result < 400 ? "ok" : result < 500 ? "warning" : "critical");
// a live view keeps this many rows: the page's memory stays bounded however long it follows
const maxRows = 1000;
const views = {
  journal: { title: "Journal", fields: ["unit", "priority", "text", "since", "until"] },
  audit: { title: "Audit trail", fields: ["function", "text", "since", "until"] },
};

const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });

/** The filled-in filters as a query string; datetime-local inputs are local time, the API wants ISO. */
function queryOf(view, filters, extra = {}) {
  const query = new URLSearchParams();
  for (const field of views[view].fields) {
    const value = (filters[field] ?? "").trim();
    if (!value) continue;
    query.set(field, field === "since" || field === "until" ? new Date(value).toISOString() : value);
  }
  for (const [key, value] of Object.entries(extra)) if (value) query.set(key, value);
  return query.toString();
}

function Filters({ view, filters, onChange, onApply }) {
  const field = (name, label, input) => views[view].fields.includes(name) && html`<label class="field"><span>${label}</span>${input}</label>`;
  const bind = (name) => ({ name, value: filters[name] ?? "", onInput: (event) => onChange({ ...filters, [name]: event.currentTarget.value }) });
  return html`<form class="form-grid card" data-testid="logs-filters" onSubmit=${(event) => { event.preventDefault(); onApply(); }}>
    ${field("unit", "Unit", html`<input ...${bind("unit")} placeholder="caddy.service, caretaker-*" />`)}
    ${field("function", "Function", html`<input ...${bind("function")} placeholder="dyndns" />`)}
    ${field("priority", "At least as severe as", html`<select ...${bind("priority")}>
      <option value="">any priority</option>
      ${priorities.map((name, level) => html`<option value=${name}>${level} ${name}</option>`)}
    </select>`)}
    ${field("text", "Message contains", html`<input ...${bind("text")} type="search" maxlength="200" />`)}
    ${field("since", "From", html`<input ...${bind("since")} type="datetime-local" step="1" />`)}
    ${field("until", "To", html`<input ...${bind("until")} type="datetime-local" step="1" />`)}
    <div><button class="button" type="submit">Show</button></div>
  </form>`;
}

function JournalTable({ entries }) {
  return html`<table class="units" data-testid="logs-table">
    <thead><tr><th scope="col">Time</th><th scope="col">Priority</th><th scope="col">Unit</th><th scope="col">Message</th></tr></thead>
    <tbody>${entries.map((entry) => html`<tr key=${entry.cursor} data-priority=${entry.priority}>
      <td>${when(entry.time)}</td>
      <td><span class="status" data-level=${levelOf(entry.priority)}>${entry.priority === null ? "—" : priorities[entry.priority]}</span></td>
      <td class="unit-name">${entry.unit ?? "—"}<span class="muted"> ${entry.identifier ?? ""}${entry.pid ? `[${entry.pid}]` : ""}</span></td>
      <td class="wrap">${entry.messageOmitted ? html`<span class="muted">(longer than 4 KiB: see journalctl)</span>` : entry.message}</td>
    </tr>`)}</tbody>
  </table>`;
}

function AuditTable({ entries }) {
  return html`<table class="units" data-testid="audit-table">
    <thead><tr><th scope="col">Time</th><th scope="col">Who</th><th scope="col">Function</th><th scope="col">Action</th><th scope="col">Result</th><th scope="col">From</th></tr></thead>
    <tbody>${entries.map((record) => html`<tr key=${record.cursor}>
      <td>${when(record.time)}</td>
      <td class="wrap">${record.principal}</td>
      <td>${record.function}</td>
      <td class="unit-name">${record.action}</td>
      <td><span class="status" data-level=${resultLevel(record.result)}>${record.result ?? "?"}</span></td>
      <td>${record.source}</td>
    </tr>`)}</tbody>
  </table>`;
}

export default function LogsPage() {
  const [view, setView] = useState("journal");
  const [filters, setFilters] = useState({});
  const [applied, setApplied] = useState({});
  const [page, setPage] = useState({ entries: [], next: null, loading: true, error: null });
  const [live, setLive] = useState(false);
  const [liveError, setLiveError] = useState(null);
  const newest = useRef(null);

  const load = useCallback(async (after) => {
    setPage((current) => ({ ...current, loading: true, error: null }));
    try {
      const answer = await getJson(`logs/${view}?${queryOf(view, applied, { after, limit: "100" })}`);
      setPage((current) => ({ entries: after ? [...current.entries, ...answer.entries] : answer.entries, next: answer.next, loading: false, error: null }));
    } catch (error) {
      setPage((current) => ({ ...current, loading: false, error }));
    }
  }, [view, applied]);

  useEffect(() => { load(); }, [load]);
  useEffect(() => { newest.current = page.entries[0]?.cursor ?? null; }, [page.entries]);

  // following: new entries go on top; from the newest one shown, so nothing between the page and the stream is lost
  useEffect(() => {
    if (!live || page.loading) return undefined;
    setLiveError(null);
    const stop = followEvents(`logs/${view}/follow?${queryOf(view, { ...applied, since: "", until: "" }, { cursor: newest.current })}`, {
      entry: (entry) => setPage((current) => ({ ...current, entries: [entry, ...current.entries].slice(0, maxRows) })),
      failure: (problem) => setLiveError(problem.error.message),
    });
    return stop;
  }, [live, view, applied, page.loading]);

  const switchView = (next) => {
    setView(next);
    setFilters({});
    setApplied({});
  };
  const Table = view === "journal" ? JournalTable : AuditTable;

  return html`<section class="page">
    <div class="page-head">
      <h1 class="page-title">Logs</h1>
      <div role="group" aria-label="View">
        ${Object.entries(views).map(([name, { title }]) => html`<button type="button" class="button small" aria-pressed=${view === name} disabled=${view === name} onClick=${() => switchView(name)}>${title}</button> `)}
      </div>
      <label class="check"><input type="checkbox" checked=${live} data-testid="logs-live" onChange=${(event) => setLive(event.currentTarget.checked)} /> Follow live</label>
    </div>
    <${Filters} view=${view} filters=${filters} onChange=${setFilters} onApply=${() => setApplied({ ...filters })} />
    ${page.error && html`<p class="notice error" role="alert" data-testid="logs-error">${page.error.message}</p>`}
    ${liveError && html`<p class="notice error" role="alert">Following stopped: ${liveError}</p>`}
    <section class="card wide" aria-label=${views[view].title}>
      <h2>${views[view].title} <span class="muted">newest first${live ? " · following live" : ""}</span></h2>
      ${page.entries.length === 0 && !page.loading && !page.error
        ? html`<p class="detail" data-testid="logs-empty">No entries match.</p>`
        : html`<div class="table-scroll"><${Table} entries=${page.entries} /></div>`}
      ${page.next && html`<p><button class="button" type="button" disabled=${page.loading} onClick=${() => load(page.next)}>Older entries</button></p>`}
      ${page.loading && html`<p class="detail" aria-busy="true">Loading…</p>`}
    </section>
  </section>`;
}
