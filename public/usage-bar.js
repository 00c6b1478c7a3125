// A horizontal usage bar that assistive technology reads as a meter with its value in words.
import { html } from "./html.js";

const levelWords = { warning: "nearly full", critical: "full" };

/**
 * @param {{ label: string, value: number, max: number, valueText: string, level: "ok"|"warning"|"critical" }} props
 */
export function UsageBar({ label, value, max, valueText, level }) {
  const filled = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  return html`<div
    class="usage-bar"
    data-level=${level}
    role="meter"
    aria-label=${label}
    aria-valuemin="0"
    aria-valuemax=${max}
    aria-valuenow=${value}
    aria-valuetext=${levelWords[level] ? `${valueText}, ${levelWords[level]}` : valueText}
  >
    <div class="usage-fill" style=${{ width: `${filled}%` }}></div>
  </div>`;
}

/** Colour is never the only signal: warning and critical levels also say so in words. */
export function LevelWord({ level }) {
  return levelWords[level] ? html`<span class="level-word" data-level=${level}>${levelWords[level]}</span>` : null;
}
