// The domain page: the box's name and TLS mode, the certificate Caddy holds and its renewal, and a
// form to change them with a confirmation that says what will happen.
import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.js";
import { formatTime } from "../format.js";
import { html } from "../html.js";

const kindWords = { ip: "IP address", mdns: "local network name (.local)", public: "public domain" };
const renewalLevel = { scheduled: "ok", due: "neutral", overdue: "warning", expired: "critical", missing: "warning", "not-managed": "neutral" };
const renewalWords = { scheduled: "scheduled", due: "renewal due", overdue: "renewal failing", expired: "expired", missing: "no certificate yet", "not-managed": "not managed" };

function formatDate(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function daysText(days) {
  if (days < 0) return "expired";
  if (days < 2) return `${Math.max(0, Math.round(days * 24))} hours left`;
  return `${Math.floor(days)} days left`;
}

function modeText(status) {
  if (status.tls === "acme") return html`Let's Encrypt <span class="muted">(contact ${status.email})</span>`;
  if (status.tls === "internal") return "Caddy's own certificate authority (browsers ask you to trust it once)";
  return "none set";
}

function Name({ status, onApplySetup, busy }) {
  return html`<section class="card summary" aria-labelledby="name-heading">
    <h2 id="name-heading" data-testid="domain-name">${status.name ?? "No name set"}</h2>
    <dl class="facts">
      <dt>Kind</dt><dd>${status.kind ? kindWords[status.kind] : "—"}</dd>
      <dt>TLS</dt><dd data-testid="domain-tls">${modeText(status)}</dd>
      <dt>Other addresses</dt>
      <dd>${status.fallback ? "also answered (e.g. by IP), with a certificate from Caddy's own CA" : "not answered"}</dd>
    </dl>
    ${!status.name &&
    html`<p class="detail">Setup chose a name for this box; it takes effect once applied.</p>
      <p><button type="button" class="button" onClick=${onApplySetup} disabled=${busy}>Apply the name chosen at setup</button></p>`}
  </section>`;
}

function Certificate({ certificate, renewal }) {
  const level = renewalLevel[renewal.state];
  const badge = html`<span class="status" data-level=${level} data-testid="renewal-state">${renewalWords[renewal.state]}</span>`;
  if (!certificate) {
    return html`<section class="card" aria-labelledby="certificate-heading">
      <h2 id="certificate-heading">Certificate</h2>
      <p>${badge}</p>
      <p class="detail">${renewal.message}</p>
    </section>`;
  }
  const left = Math.max(0, certificate.daysLeft);
  const fraction = certificate.lifetimeDays > 0 ? left / certificate.lifetimeDays : 0;
  const barLevel = fraction <= 1 / 6 ? "critical" : fraction <= 1 / 3 ? "warning" : "ok";
  return html`<section class="card" aria-labelledby="certificate-heading">
    <h2 id="certificate-heading">Certificate</h2>
    <p class="headline" data-testid="days-left">${daysText(certificate.daysLeft)}</p>
    <div class="usage-bar" data-level=${barLevel} role="meter" aria-label="Certificate validity left"
      aria-valuemin="0" aria-valuemax=${certificate.lifetimeDays} aria-valuenow=${left}
      aria-valuetext=${`${daysText(certificate.daysLeft)} of ${certificate.lifetimeDays} days`}>
      <div class="usage-fill" style=${{ width: `${Math.min(100, fraction * 100)}%` }}></div>
    </div>
    <dl class="facts" style=${{ marginTop: "0.75rem" }}>
      <dt>Issued by</dt><dd data-testid="certificate-issuer">${certificate.issuer}</dd>
      <dt>For</dt><dd data-testid="certificate-names">${certificate.names.join(", ")}</dd>
      <dt>Valid</dt><dd>${formatDate(certificate.notBefore)} – ${formatDate(certificate.notAfter)}</dd>
      <dt>Renewal</dt><dd>${badge}${renewal.renewsAfter && renewal.state === "scheduled" ? html` <span class="muted">from ${formatDate(renewal.renewsAfter)}</span>` : html`<br />${renewal.message}`}</dd>
      <dt>Fingerprint</dt><dd class="muted" style=${{ fontFamily: "monospace", fontSize: "0.8rem" }}>${certificate.fingerprint256}</dd>
    </dl>
  </section>`;
}

function ChangeForm({ status, onChanged }) {
  const [draft, setDraft] = useState({ name: status.name ?? "", tls: status.tls ?? "internal", email: status.email ?? "" });
  const [step, setStep] = useState("edit");
  const [error, setError] = useState(null);
  const settings = { name: draft.name.trim().toLowerCase(), tls: draft.tls, ...(draft.tls === "acme" ? { email: draft.email.trim() } : {}) };
  const set = (field) => (event) => setDraft({ ...draft, [field]: event.currentTarget.value });

  async function confirm() {
    setStep("saving");
    setError(null);
    try {
      onChanged(await sendJson("PUT", "domain/settings", settings));
      setStep("done");
    } catch (thrown) {
      setError(thrown);
      setStep("edit");
    }
  }

  const authority = settings.tls === "acme" ? "Let's Encrypt" : "Caddy's own certificate authority";
  return html`<section class="card wide" aria-labelledby="change-heading">
    <h2 id="change-heading">Change the name or TLS</h2>
    ${error && html`<div class="notice error" role="alert" data-testid="change-error"><strong>Not changed:</strong> ${error.message}</div>`}
    ${step === "done" && html`<p class="notice" role="status" data-testid="change-done">Done: Caddy now serves ${status.name} with the certificate shown above.</p>`}
    ${step === "edit" || step === "done"
      ? html`<form class="form-grid" onSubmit=${(event) => (event.preventDefault(), setStep("confirm"))}>
          <label class="field"><span>Name: an IP address, a .local name or a public domain</span>
            <input name="name" required value=${draft.name} onInput=${set("name")} autocomplete="off" spellcheck="false" /></label>
          <fieldset class="field" style=${{ border: 0, padding: 0, margin: 0 }}>
            <span>Certificate from</span>
            <label class="check"><input type="radio" name="tls" value="internal" checked=${draft.tls === "internal"} onChange=${set("tls")} /> Caddy's own CA (IP addresses, .local names)</label>
            <label class="check"><input type="radio" name="tls" value="acme" checked=${draft.tls === "acme"} onChange=${set("tls")} /> Let's Encrypt (public domains; ports 80 and 443 must reach this box)</label>
          </fieldset>
          ${draft.tls === "acme" &&
          html`<label class="field"><span>Contact address for Let's Encrypt</span>
            <input name="email" type="email" required value=${draft.email} onInput=${set("email")} /></label>`}
          <p><button type="submit" class="button">Review the change</button></p>
        </form>`
      : html`<div class="notice" role="region" aria-label="Confirm the change" data-testid="confirm">
          <p><strong>Change the box's name to ${settings.name}</strong>, with a certificate from ${authority}?</p>
          <p class="detail">Caddy gets the certificate before answering; if it cannot (for Let's Encrypt: DNS not
            pointing here yet, ports closed), nothing changes. Afterwards open <strong>https://${settings.name}/</strong>.</p>
          <p style=${{ display: "flex", gap: "0.5rem" }}>
            <button type="button" class="button" onClick=${confirm} disabled=${step === "saving"}>
              ${step === "saving" ? "Waiting for the certificate…" : "Change it"}</button>
            <button type="button" class="button" style=${{ background: "var(--neutral)" }} onClick=${() => setStep("edit")} disabled=${step === "saving"}>Cancel</button>
          </p>
        </div>`}
  </section>`;
}

export default function DomainPage() {
  const [state, setState] = useState({ status: null, error: null, loading: true });
  const refresh = useCallback(async () => {
    setState((previous) => ({ ...previous, loading: true }));
    try {
      setState({ status: await getJson("domain/status"), error: null, loading: false });
    } catch (error) {
      setState((previous) => ({ ...previous, error, loading: false }));
    }
  }, []);
  useEffect(() => {
    refresh();
  }, [refresh]);

  async function applySetup() {
    setState((previous) => ({ ...previous, loading: true }));
    try {
      setState({ status: await sendJson("POST", "domain/apply-setup", {}), error: null, loading: false });
    } catch (error) {
      setState((previous) => ({ ...previous, error, loading: false }));
    }
  }

  const { status, error, loading } = state;
  return html`<section class="page" aria-busy=${loading ? "true" : "false"}>
    <div class="page-head">
      <div class="page-title">
        <h1>Domain</h1>
        ${status && html`<p class="muted checked">Checked at <time datetime=${status.checkedAt}>${formatTime(status.checkedAt)}</time></p>`}
      </div>
      <button type="button" class="button" onClick=${refresh} disabled=${loading}>${loading ? "Refreshing…" : "Refresh"}</button>
    </div>
    ${error && html`<div class="notice error" role="alert" data-testid="error"><strong>Could not load the domain:</strong> ${error.message}</div>`}
    ${status &&
    html`<div class="cards">
      <${Name} status=${status} onApplySetup=${applySetup} busy=${loading} />
      <${Certificate} certificate=${status.certificate} renewal=${status.renewal} />
      <${ChangeForm} status=${status} onChanged=${(next) => setState({ status: next, error: null, loading: false })} />
    </div>`}
  </section>`;
}
