// The system overview page: what this box is, how busy and full it is, and caretaker's own units.
import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson } from "../api.js";
import { formatBytes, formatDuration, formatLoad, formatPercent, formatTime, usageLevel } from "../format.js";
import { html } from "../html.js";
import { LevelWord, UsageBar } from "../usage-bar.js";

function Summary({ overview }) {
  const { os, kernel, temperature } = overview;
  return html`<section class="card summary" aria-labelledby="summary-heading">
    <h2 id="summary-heading" data-testid="hostname">${overview.hostname}</h2>
    <dl class="facts">
      <dt>System</dt><dd>${os.name}</dd>
      <dt>Kernel</dt><dd>${kernel.release} <span class="muted">(${kernel.machine})</span></dd>
      <dt>Running for</dt><dd data-testid="uptime">${formatDuration(overview.uptimeSeconds)}</dd>
      ${temperature &&
      html`<dt>Temperature</dt>
        <dd data-testid="temperature" data-level=${temperature.celsius >= 85 ? "critical" : temperature.celsius >= 80 ? "warning" : "ok"}>
          ${temperature.celsius.toFixed(1)} °C <span class="muted">(${temperature.zone})</span>
        </dd>`}
    </dl>
  </section>`;
}

function loadWords(ratio) {
  if (ratio >= 1) return "overloaded: it has more work than processors";
  if (ratio >= 0.7) return "busy";
  return "mostly idle";
}

function Load({ load }) {
  const percent = load.cpus > 0 ? (load.one / load.cpus) * 100 : 0;
  const level = percent >= 200 ? "critical" : percent >= 100 ? "warning" : "ok";
  return html`<section class="card" aria-labelledby="load-heading">
    <h2 id="load-heading">Processor load</h2>
    <p class="headline">${formatLoad(load.one)} <span class="muted">of ${load.cpus} ${load.cpus === 1 ? "processor" : "processors"}</span></p>
    <${UsageBar} label="Processor load, last minute" value=${load.one} max=${load.cpus} level=${level}
      valueText=${`${formatLoad(load.one)} of ${load.cpus} processors`} />
    <p class="detail">The box is ${loadWords(load.one / load.cpus)}.${" "}
      Averages over 1, 5 and 15 minutes: ${formatLoad(load.one)}, ${formatLoad(load.five)}, ${formatLoad(load.fifteen)}.</p>
  </section>`;
}

function Memory({ memory }) {
  const percent = memory.totalBytes > 0 ? (memory.usedBytes / memory.totalBytes) * 100 : 0;
  const level = usageLevel(percent);
  const swapUsed = memory.swapTotalBytes - memory.swapFreeBytes;
  return html`<section class="card" aria-labelledby="memory-heading">
    <h2 id="memory-heading">Memory</h2>
    <p class="headline">${formatPercent(Math.round(percent))} <span class="muted">in use</span> <${LevelWord} level=${level} /></p>
    <${UsageBar} label="Memory in use" value=${Math.round(percent)} max=${100} level=${level}
      valueText=${`${formatBytes(memory.usedBytes)} of ${formatBytes(memory.totalBytes)}`} />
    <p class="detail">${formatBytes(memory.usedBytes)} of ${formatBytes(memory.totalBytes)} used, ${formatBytes(memory.availableBytes)} available.
      ${memory.swapTotalBytes > 0
        ? ` Swap: ${formatBytes(swapUsed)} of ${formatBytes(memory.swapTotalBytes)} used.`
        : " No swap space."}</p>
  </section>`;
}

const roleWords = { root: "system", data: "data" };

function Filesystem({ filesystem }) {
  const level = usageLevel(filesystem.usedPercent);
  const inodesUsedPercent =
    filesystem.inodesTotal > 0 ? ((filesystem.inodesTotal - filesystem.inodesFree) / filesystem.inodesTotal) * 100 : 0;
  return html`<li class="filesystem" data-mountpoint=${filesystem.mountpoint} data-role=${filesystem.role}>
    <div class="filesystem-head">
      <span class="mountpoint">${filesystem.mountpoint}</span>
      <span class="tag">${roleWords[filesystem.role] ?? filesystem.role}</span>
      <${LevelWord} level=${level} />
      <span class="percent" data-testid="filesystem-percent">${formatPercent(filesystem.usedPercent)}</span>
    </div>
    <${UsageBar} label=${`Space used on ${filesystem.mountpoint}`} value=${filesystem.usedPercent} max=${100} level=${level}
      valueText=${`${formatPercent(filesystem.usedPercent)}, ${formatBytes(filesystem.usedBytes)} of ${formatBytes(filesystem.sizeBytes)}`} />
    <p class="detail">
      ${formatBytes(filesystem.usedBytes)} of ${formatBytes(filesystem.sizeBytes)} used, ${formatBytes(filesystem.availableBytes)} free
      <span class="muted"> · ${filesystem.device} (${filesystem.type})</span>
    </p>
    ${inodesUsedPercent >= 90 &&
    html`<p class="detail" data-level=${usageLevel(inodesUsedPercent)}>
      Running out of file entries: ${formatPercent(Math.round(inodesUsedPercent))} of the inodes are used.
    </p>`}
  </li>`;
}

function Storage({ filesystems }) {
  return html`<section class="card wide" aria-labelledby="storage-heading">
    <h2 id="storage-heading">Storage</h2>
    ${filesystems.length === 0
      ? html`<p class="detail">No filesystems reported.</p>`
      : html`<ul class="filesystems">
          ${filesystems.map((filesystem) => html`<${Filesystem} key=${filesystem.mountpoint} filesystem=${filesystem} />`)}
        </ul>`}
  </section>`;
}

function unitLevel(unit) {
  if (unit.active === "failed") return "critical";
  if (unit.active === "active") return "ok";
  return "neutral";
}

function Services({ systemd }) {
  let body;
  if (!systemd.available) {
    body = html`<p class="notice" data-testid="systemd-unavailable">systemd not available: ${systemd.reason}</p>`;
  } else if (systemd.units.length === 0) {
    body = html`<p class="detail">No caretaker units are installed.</p>`;
  } else {
    body = html`<div class="table-scroll">
      <table class="units">
        <thead><tr><th scope="col">Unit</th><th scope="col" class="unit-kind">Kind</th><th scope="col">State</th><th scope="col">At boot</th></tr></thead>
        <tbody>
          ${systemd.units.map(
            (unit) => html`<tr key=${unit.name}>
              <th scope="row" class="unit-name">${unit.name}</th>
              <td class="unit-kind">${unit.kind}</td>
              <td><span class="status" data-level=${unitLevel(unit)}>${unit.active}</span> <span class="muted">${unit.sub}</span></td>
              <td>${unit.enabled}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
  return html`<section class="card wide" aria-labelledby="services-heading">
    <h2 id="services-heading">caretaker services</h2>
    ${body}
  </section>`;
}

export default function SystemPage({ onBoxName }) {
  const [state, setState] = useState({ overview: null, error: null, loading: true });

  const refresh = useCallback(async () => {
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const overview = await getJson("system/overview");
      setState({ overview, error: null, loading: false });
      onBoxName?.(overview.hostname);
    } catch (error) {
      setState((previous) => ({ ...previous, error, loading: false }));
    }
  }, [onBoxName]);

  useEffect(() => {
    refresh();
  }, [refresh]);

  const { overview, error, loading } = state;
  return html`<section class="page" aria-busy=${loading ? "true" : "false"}>
    <div class="page-head">
      <div class="page-title">
        <h1>System</h1>
        ${overview && html`<p class="muted checked">Checked at <time datetime=${overview.collectedAt}>${formatTime(overview.collectedAt)}</time></p>`}
      </div>
      <button type="button" class="button" onClick=${refresh} disabled=${loading}>${loading ? "Refreshing…" : "Refresh"}</button>
    </div>
    ${error &&
    html`<div class="notice error" role="alert" data-testid="error">
      <strong>Could not load the system overview:</strong> ${error.message}
      ${error.status ? html` <span class="muted">(${error.status} ${error.code})</span>` : null}
    </div>`}
    ${!overview && loading && html`<p class="notice">Loading the system overview…</p>`}
    ${overview &&
    html`<div class="cards">
      <${Summary} overview=${overview} />
      <${Load} load=${overview.load} />
      <${Memory} memory=${overview.memory} />
      <${Storage} filesystems=${overview.filesystems} />
      <${Services} systemd=${overview.systemd} />
    </div>`}
  </section>`;
}
