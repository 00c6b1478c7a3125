// The Audit page's sandbox section: a sortable table of every caretaker unit's sandbox, with its
// exposure score as a coloured badge, and a picture of the scores.
import { useMemo, useState } from "preact/hooks";
import { html } from "../html.js";

/** Green up to 1.0 (what caretaker allows a function without a declared reason), amber up to 4, red above. */
const scoreLevel = (score) => (score <= 1 ? "ok" : score <= 4 ? "warning" : "critical");
const list = (items, none = "none") => (items.length ? items.join(" ") : none);

/** "none" (own loopback), or the host's network and the address families it may open. */
function network(unit) {
  const families = unit.addressFamilies || "any family";
  if (unit.network.private) return `none · ${families}`;
  return `host${unit.network.ipDeny.length ? ", no IP traffic" : ""} · ${families}`;
}

/** Device access in a few words: "pseudo only", or the device classes (char-rtc comes with ProtectClock=). */
function devices(unit) {
  if (unit.devices.private) return "pseudo only";
  const classes = unit.devices.allow.map((entry) => entry.split(" ")[0]).filter((device) => device !== "char-rtc");
  return classes.length ? classes.join(", ") : unit.devices.policy;
}

const columns = [
  { key: "unit", title: "Unit", value: (unit) => unit.unit },
  { key: "user", title: "Runs as", value: (unit) => unit.user.name },
  { key: "capabilities", title: "Capabilities", value: (unit) => list(unit.capabilities.bounding) },
  { key: "writable", title: "May write", value: (unit) => list(unit.paths.writable, "nothing"), lines: (unit) => unit.paths.writable },
  { key: "network", title: "Network", value: network },
  { key: "syscalls", title: "Syscalls", value: (unit) => (unit.syscallFilter.mode === "none" ? "any" : `${unit.syscallFilter.mode}-list`) },
  { key: "devices", title: "Devices", value: devices },
  { key: "score", title: "Exposure", value: (unit) => unit.exposure.score },
];

function ScoreBadge({ unit }) {
  const { score, rating, failing } = unit.exposure;
  return html`<span class="status" data-level=${scoreLevel(score)} data-testid="score">${score.toFixed(1)}</span>
    <span class="muted"> ${rating}</span>
    ${failing.length > 0 &&
    html`<details><summary class="muted">${failing.length} failing ${failing.length === 1 ? "check" : "checks"}</summary>
      <ul class="checks">${failing.map((check) => html`<li key=${check.field}><code>${check.check}</code> ${check.exposure}: ${check.description}</li>`)}</ul>
    </details>`}`;
}

/** One bar per unit, highest exposure first: the picture of how tight caretaker's sandboxes are. */
function ExposurePicture({ units }) {
  const sorted = [...units].sort((a, b) => b.exposure.score - a.exposure.score);
  const row = 18;
  return html`<svg class="exposure-picture" viewBox=${`0 0 600 ${sorted.length * row}`} width="100%" role="img"
    aria-label=${`Exposure of ${units.length} units, highest first: ${sorted.map((unit) => `${unit.unit} ${unit.exposure.score}`).join(", ")}`}>
    ${sorted.map((unit, index) => html`<g key=${unit.unit}>
      <text x="0" y=${index * row + 13} font-size="11" fill="currentColor">${unit.unit}</text>
      <rect x="300" y=${index * row + 3} width=${Math.max(2, unit.exposure.score * 30)} height="12" rx="2"
        fill=${`var(--${scoreLevel(unit.exposure.score)})`}><title>${unit.unit}: ${unit.exposure.score}</title></rect>
      <text x=${306 + unit.exposure.score * 30} y=${index * row + 13} font-size="11" fill="currentColor">${unit.exposure.score.toFixed(1)}</text>
    </g>`)}
  </svg>`;
}

export function Sandboxes({ report }) {
  const [sort, setSort] = useState({ key: "unit", descending: false });
  const rows = useMemo(() => {
    const column = columns.find((candidate) => candidate.key === sort.key);
    const sorted = [...report.units].sort((a, b) => {
      const [x, y] = [column.value(a), column.value(b)];
      return typeof x === "number" ? x - y : String(x).localeCompare(String(y));
    });
    return sort.descending ? sorted.reverse() : sorted;
  }, [report, sort]);
  const choose = (key) => setSort((current) => ({ key, descending: current.key === key ? !current.descending : key === "score" }));
  return html`
    <p class="detail" data-testid="sandbox-source">${report.source === "live"
      ? `Read from systemd ${report.systemd}, as the units are loaded now, and scored with systemd-analyze security.`
      : `Offline (no systemd running here): the shipped unit files, scored with systemd-analyze security --offline=true (systemd ${report.systemd}).`}</p>
    <${ExposurePicture} units=${report.units} />
    <div class="table-scroll">
      <table class="units sandbox-table" data-testid="sandbox-table">
        <thead><tr>${columns.map((column) => html`<th scope="col" key=${column.key} aria-sort=${sort.key === column.key ? (sort.descending ? "descending" : "ascending") : undefined}>
          <button type="button" class="sort" aria-pressed=${sort.key === column.key} onClick=${() => choose(column.key)}>${column.title}${sort.key === column.key ? (sort.descending ? " ↓" : " ↑") : ""}</button>
        </th>`)}</tr></thead>
        <tbody>${rows.map((unit) => html`<tr key=${unit.unit} data-unit=${unit.unit}>
          <td><span class="unit-name">${unit.unit}</span> <span class="tag">${unit.kind}</span></td>
          <td>${unit.user.name}${unit.user.dynamic ? html` <span class="muted">(dynamic)</span>` : ""}${unit.user.groups.length ? html`<br /><span class="muted">+ ${unit.user.groups.join(", ")}</span>` : ""}</td>
          ${columns.slice(2, -1).map((column) => html`<td class="wrap" key=${column.key}>${column.lines && column.lines(unit).length > 1 ? column.lines(unit).map((line, index) => html`${index > 0 && html`<br />`}${line}`) : column.value(unit)}</td>`)}
          <td class="wrap"><${ScoreBadge} unit=${unit} /></td>
        </tr>`)}</tbody>
      </table>
    </div>`;
}
