// A picture of where the space went: one bar per entry, largest first, as a share of a total.
import { formatBytes, formatPercent } from "./format.js";
import { html } from "./html.js";
import { UsageBar } from "./usage-bar.js";

/**
 * @param {{ label: string, total: number, entries: { path: string, bytes: number, children?: { path: string, bytes: number }[] }[] }} props
 */
export function SizeBars({ label, total, entries }) {
  return html`<ol class="filesystems size-bars" aria-label=${label}>
    ${entries.map(
      (entry) => html`<li key=${entry.path} class="size-bar" data-path=${entry.path}>
        <div class="filesystem-head">
          <span class="mountpoint">${entry.path}</span>
          <span class="percent">${formatBytes(entry.bytes)}</span>
        </div>
        <${UsageBar} label=${`Space used by ${entry.path}`} value=${entry.bytes} max=${total} level="ok"
          valueText=${`${formatBytes(entry.bytes)}, ${formatPercent(total > 0 ? (entry.bytes / total) * 100 : 0)} of the scanned space`} />
        ${entry.children?.length > 0 &&
        html`<p class="detail muted">${entry.children.slice(0, 4).map((child) => `${child.path.slice(entry.path.length + 1)} ${formatBytes(child.bytes)}`).join(" · ")}</p>`}
      </li>`,
    )}
  </ol>`;
}
