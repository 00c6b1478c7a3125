// The DynDNS page: is the box's name pointing at it, what happened lately (a picture and a table), and the settings.
import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.js";
import { html } from "../html.js";

const stateWords = {
  "not-configured": ["neutral", "Not set up", "Choose a provider and a name below."],
  paused: ["neutral", "Paused", "Updates are switched off in the settings."],
  waiting: ["neutral", "Waiting", "Settings saved; the next run will send the address."],
  ok: ["ok", "Up to date", "The provider has the box's current address."],
  retrying: ["warning", "Retrying", "The last update did not go through; it is tried again with growing pauses."],
  stopped: ["critical", "Stopped", "The provider refused the update. Nothing more is sent until you change the settings."],
};
const providerNames = { dyndns2: "dyndns2 (any provider)", desec: "deSEC", duckdns: "DuckDNS", cloudflare: "Cloudflare", dynv6: "dynv6" };
const outcomeColours = { updated: "var(--ok)", unchanged: "var(--neutral)", skipped: "var(--track)", retry: "var(--warning)", stopped: "var(--critical)" };

const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "never");

function nextRunText(schedule) {
  if (!schedule.timer) return schedule.reason;
  return schedule.nextRun ? when(schedule.nextRun) : "the timer is not active";
}

function StatusCard({ status }) {
  const [level, title, words] = stateWords[status.state];
  return html`<section class="card wide" aria-labelledby="dyndns-status-heading">
    <h2 id="dyndns-status-heading">${status.hostname ?? "DynDNS"}</h2>
    <p class="headline"><span class="status" data-level=${level} data-testid="dyndns-state">${title}</span></p>
    <p class="detail">${words}</p>
    ${status.error &&
    html`<p class="notice error" role="status" data-testid="dyndns-error">
      <strong>${status.state === "stopped" ? "Refused" : "Last problem"}:</strong> ${status.error.message}
      <span class="muted"> (${status.error.code}, ${when(status.error.at)})</span>
    </p>`}
    <dl class="facts">
      <dt>Provider</dt><dd>${providerNames[status.provider] ?? "none"}</dd>
      <dt>IPv4 (A)</dt><dd data-testid="dyndns-ipv4">${status.record.ipv4 ?? "—"}</dd>
      <dt>IPv6 (AAAA)</dt><dd data-testid="dyndns-ipv6">${status.record.ipv6 ?? "—"}</dd>
      <dt>Last check</dt><dd>${when(status.lastCheck)}</dd>
      <dt>Last attempt</dt><dd data-testid="dyndns-last-attempt">${when(status.lastAttempt)}</dd>
      <dt>Last success</dt><dd data-testid="dyndns-last-success">${when(status.lastSuccess)}</dd>
      ${status.retryAt && html`<dt>Next try</dt><dd>not before ${when(status.retryAt)}</dd>`}
      <dt>Next run</dt><dd data-testid="dyndns-next-run">${nextRunText(status.schedule)}</dd>
    </dl>
  </section>`;
}

/** One bar per attempt, oldest left: height says success (full) or trouble (short), colour the outcome. */
function HistoryPicture({ history }) {
  const entries = [...history].reverse();
  const width = Math.max(1, entries.length) * 14;
  const tally = {};
  for (const entry of entries) tally[entry.outcome] = (tally[entry.outcome] ?? 0) + 1;
  const counts = Object.entries(tally).map(([outcome, count]) => `${count} ${outcome}`);
  return html`<svg class="history-picture" viewBox=${`0 0 ${width} 40`} width="100%" height="48" preserveAspectRatio="xMinYMid meet"
    role="img" aria-label=${`Last ${entries.length} attempts, oldest first: ${counts.join(", ")}`} data-testid="dyndns-history-picture">
    ${entries.map((entry, index) => {
      const height = entry.outcome === "updated" || entry.outcome === "unchanged" ? 36 : 20;
      return html`<rect key=${entry.at + index} x=${index * 14 + 2} y=${40 - height} width="10" height=${height} rx="2" fill=${outcomeColours[entry.outcome]} data-outcome=${entry.outcome}>
        <title>${when(entry.at)}: ${entry.outcome} (${entry.code}) ${entry.message}</title>
      </rect>`;
    })}
  </svg>`;
}

function History({ history }) {
  return html`<section class="card wide" aria-labelledby="dyndns-history-heading">
    <h2 id="dyndns-history-heading">History</h2>
    ${history.length === 0
      ? html`<p class="detail">No update was sent yet.</p>`
      : html`<${HistoryPicture} history=${history} />
        <div class="table-scroll">
          <table class="units" data-testid="dyndns-history">
            <thead><tr><th scope="col">When</th><th scope="col">Result</th><th scope="col">Addresses</th><th scope="col">What happened</th></tr></thead>
            <tbody>
              ${history.map((entry, index) => html`<tr key=${entry.at + index} data-outcome=${entry.outcome}>
                <td>${when(entry.at)}</td>
                <td><span class="status" data-level=${{ updated: "ok", unchanged: "ok", stopped: "critical" }[entry.outcome] ?? "neutral"}>${entry.outcome}</span> <span class="muted">${entry.code}</span></td>
                <td>${[entry.ipv4, entry.ipv6].filter(Boolean).join(", ") || "—"}</td>
                <td class="wrap">${entry.message}</td>
              </tr>`)}
            </tbody>
          </table>
        </div>`}
  </section>`;
}

function toForm(settings) {
  const provider = settings.provider;
  return {
    enabled: settings.configured ? settings.enabled : true,
    hostname: settings.hostname,
    kind: provider.kind,
    server: provider.server ?? "https://members.dyndns.org/nic/update",
    username: provider.username ?? "",
    zone: provider.zone ?? "",
    secret: "",
    ipv4: settings.ipv4.enabled,
    lookupUrl: settings.ipv4.lookupUrl,
    ipv6: settings.ipv6.enabled,
  };
}

function toBody(form) {
  const provider = { kind: form.kind };
  if (form.kind === "dyndns2") Object.assign(provider, { server: form.server, username: form.username });
  if (form.kind === "cloudflare") provider.zone = form.zone;
  const body = { enabled: form.enabled, hostname: form.hostname.trim(), provider, ipv4: { enabled: form.ipv4, lookupUrl: form.lookupUrl.trim() }, ipv6: { enabled: form.ipv6 } };
  if (form.secret) body.secret = form.secret;
  return body;
}

function SettingsForm({ settings, onSaved }) {
  const [form, setForm] = useState(() => toForm(settings));
  const [state, setState] = useState({ busy: false, error: null });
  const set = (field) => (event) => setForm({ ...form, [field]: event.target.type === "checkbox" ? event.target.checked : event.target.value });
  const field = (label, name, props = {}) => html`<label class="field"><span>${label}</span><input name=${name} value=${form[name]} onInput=${set(name)} ...${props} /></label>`;
  const check = (label, name) => html`<label class="check"><input type="checkbox" name=${name} checked=${form[name]} onChange=${set(name)} /> ${label}</label>`;

  async function submit(event) {
    event.preventDefault();
    setState({ busy: true, error: null });
    try {
      await sendJson("PUT", "dyndns/settings", toBody(form));
      setForm({ ...form, secret: "" });
      setState({ busy: false, error: null });
      await onSaved();
    } catch (error) {
      setState({ busy: false, error });
    }
  }

  return html`<section class="card wide" aria-labelledby="dyndns-settings-heading">
    <h2 id="dyndns-settings-heading">Settings</h2>
    <form class="form-grid" onSubmit=${submit} data-testid="dyndns-settings">
      ${check("Keep the name up to date", "enabled")}
      <label class="field"><span>Provider</span>
        <select name="kind" value=${form.kind} onChange=${set("kind")}>
          ${Object.entries(providerNames).map(([kind, name]) => html`<option key=${kind} value=${kind}>${name}</option>`)}
        </select>
      </label>
      ${field("Name", "hostname", { placeholder: "box.dedyn.io", required: true })}
      ${form.kind === "dyndns2" && field("Update URL", "server", { type: "url", required: true })}
      ${form.kind === "dyndns2" && field("User name", "username", { required: true, autocomplete: "off" })}
      ${form.kind === "cloudflare" && field("Zone", "zone", { placeholder: "example.org", required: true })}
      ${field(form.kind === "dyndns2" ? "Password" : "Token", "secret", { type: "password", autocomplete: "new-password", placeholder: settings.secretSet ? "stored; leave empty to keep it" : "" })}
      ${check("Update the IPv4 address (A)", "ipv4")}
      ${form.ipv4 && field("IPv4 lookup service", "lookupUrl", { type: "url" })}
      ${check("Update the IPv6 address (AAAA) from this box's own address", "ipv6")}
      <div><button type="submit" class="button" disabled=${state.busy}>${state.busy ? "Saving…" : "Save and update"}</button></div>
    </form>
    ${state.error && html`<p class="notice error" role="alert" data-testid="dyndns-settings-error">Not saved: ${state.error.message}</p>`}
  </section>`;
}

export default function DyndnsPage() {
  const [data, setData] = useState({ status: null, settings: null, error: null });
  const [running, setRunning] = useState(false);

  const load = useCallback(async () => {
    try {
      const [status, settings] = await Promise.all([getJson("dyndns/status"), getJson("dyndns/settings")]);
      setData({ status, settings, error: null });
      return status;
    } catch (error) {
      setData((previous) => ({ ...previous, error }));
      return null;
    }
  }, []);

  /** Starts the job and follows it until it is done; its result shows up in the status. */
  const runNow = useCallback(async () => {
    setRunning(true);
    try {
      await sendJson("POST", "dyndns/run", {});
      for (let tries = 0; tries < 60; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const status = await load();
        if (status && status.job.state !== "running") break;
      }
    } catch (error) {
      setData((previous) => ({ ...previous, error }));
    }
    setRunning(false);
  }, [load]);

  useEffect(() => {
    load();
  }, [load]);

  const { status, settings, error } = data;
  return html`<section class="page" aria-busy=${running ? "true" : "false"}>
    <div class="page-head">
      <div class="page-title"><h1>DynDNS</h1></div>
      <button type="button" class="button" onClick=${runNow} disabled=${running || !settings?.configured}>${running ? "Checking…" : "Check now"}</button>
    </div>
    ${error && html`<div class="notice error" role="alert">${error.message} ${error.status ? html`<span class="muted">(${error.status} ${error.code})</span>` : null}</div>`}
    ${!status && !error && html`<p class="notice">Loading…</p>`}
    ${status &&
    html`<div class="cards">
      <${StatusCard} status=${status} />
      <${History} history=${status.history} />
      ${settings && html`<${SettingsForm} key=${settings.revision} settings=${settings} onSaved=${runNow} />`}
    </div>`}
  </section>`;
}
