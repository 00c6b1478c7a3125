// The Audit page: what each caretaker unit may do (a sortable table and a picture of the scores), SSH
// login settings, listening ports, certificate expiry and pending updates; each section loads on its own.
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api.js";
import { formatTime } from "../format.js";
import { html } from "../html.js";
import { Sandboxes } from "./audit-sandboxes.js";

/** Loads one section's data; every section fails or succeeds alone. */
function useSection(path) {
  const [state, setState] = useState({ data: null, error: null });
  useEffect(() => {
    let current = true;
    getJson(path).then(
      (data) => current && setState({ data, error: null }),
      (error) => current && setState({ data: null, error }),
    );
    return () => {
      current = false;
    };
  }, [path]);
  return state;
}

function Section({ id, title, state, wide = true, children }) {
  let body;
  if (state.error) body = html`<p class="notice error" role="alert">Could not read this: ${state.error.message}</p>`;
  else if (!state.data) body = html`<p class="detail" aria-busy="true">Reading…</p>`;
  else body = children(state.data);
  return html`<section class=${`card${wide ? " wide" : ""}`} aria-labelledby=${`${id}-heading`} data-testid=${id}>
    <h2 id=${`${id}-heading`}>${title}</h2>
    ${body}
  </section>`;
}

function Ssh({ report }) {
  if (!report.installed) return html`<p class="detail" data-testid="ssh-absent">${report.reason}</p>`;
  return html`<ul class="findings" data-testid="ssh-findings">
      ${report.findings.map((finding) => html`<li key=${finding.keyword} data-level=${finding.level}>
        <span class="status" data-level=${finding.level}>${finding.level}</span> ${finding.message}</li>`)}
    </ul>
    <p class="detail">Files sshd reads, in order: ${report.files.join(", ")} · read ${formatTime(report.readAt)}</p>`;
}

function Ports({ report }) {
  if (report.ports.length === 0) return html`<p class="detail">Nothing listens.</p>`;
  return html`<div class="table-scroll"><table class="units" data-testid="ports-table">
    <thead><tr><th scope="col">Port</th><th scope="col">Address</th><th scope="col">Reachable</th><th scope="col">User</th><th scope="col">Process</th></tr></thead>
    <tbody>${report.ports.map((port) => html`<tr key=${`${port.protocol}${port.address}${port.port}`}>
      <td>${port.port}/${port.protocol}</td><td>${port.address}</td>
      <td><span class="status" data-level=${port.exposed ? "warning" : "ok"}>${port.exposed ? "from outside" : "this box only"}</span></td>
      <td>${port.user}</td>
      <td>${port.processes.length ? port.processes.map((process) => `${process.command} (${process.pid})`).join(", ") : html`<span class="muted">not visible</span>`}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

function Certificates({ report }) {
  if (!report.available) return html`<p class="detail">${report.reason}</p>`;
  return html`<ul class="findings" data-testid="certificate-list">${report.certificates.map((certificate) => html`<li key=${certificate.notAfter + certificate.names.join()}>
      <span class="status" data-level=${certificate.level}>${certificate.daysLeft} days</span> ${certificate.names.join(", ") || "(no name)"}, ${certificate.issuer}: ${certificate.message}
    </li>`)}</ul>
    <p class="detail">As the domain function last read them, ${formatTime(report.readAt)}.</p>`;
}

function securityList(pending) {
  const names = pending.filter((entry) => entry.security).map((entry) => entry.package);
  return names.length > 12 ? `${names.slice(0, 12).join(", ")} and ${names.length - 12} more` : names.join(", ");
}

function Updates({ report }) {
  if (!report.available) return html`<p class="detail" data-testid="updates-absent">${report.reason}</p>`;
  const level = report.security > 0 ? "critical" : report.pending.length > 0 ? "warning" : "ok";
  return html`<p class="headline"><span class="status" data-level=${level}>${report.security}</span> security ${report.security === 1 ? "fix" : "fixes"} <span class="muted">of ${report.pending.length} pending</span></p>
    <p class="detail">Package lists last fetched: ${report.listsUpdatedAt ? formatTime(report.listsUpdatedAt) : "never"}; apt knows nothing newer than that.</p>
    ${report.security > 0 && html`<p class="detail" data-testid="security-packages">${securityList(report.pending)}</p>`}`;
}

export default function AuditPage() {
  const sandboxes = useSection("audit/functions");
  const ssh = useSection("audit/ssh");
  const ports = useSection("audit/ports");
  const certificates = useSection("audit/certificates");
  const updates = useSection("audit/updates");
  return html`<section class="page">
    <div class="page-head"><h1 class="page-title">Security audit</h1></div>
    <div class="cards">
      <${Section} id="sandboxes" title="What each part of caretaker may do" state=${sandboxes}>${(report) => html`<${Sandboxes} report=${report} />`}<//>
      <${Section} id="ssh" title="SSH login" state=${ssh}>${(report) => html`<${Ssh} report=${report} />`}<//>
      <${Section} id="ports" title="Listening ports" state=${ports}>${(report) => html`<${Ports} report=${report} />`}<//>
      <${Section} id="certificates" title="Certificates" state=${certificates} wide=${false}>${(report) => html`<${Certificates} report=${report} />`}<//>
      <${Section} id="updates" title="Updates" state=${updates} wide=${false}>${(report) => html`<${Updates} report=${report} />`}<//>
    </div>
  </section>`;
}
