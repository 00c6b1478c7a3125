// Turns raw API numbers into words a non-expert reads at a glance: sizes, durations, percentages.

const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const units = ["bytes", "kB", "MB", "GB", "TB", "PB"];

/** 1234567890 → "1.2 GB" (decimal units, as disk labels use). */
export function formatBytes(bytes) {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : decimal.format(value)} ${units[unit]}`;
}

/** 42 → "42%", 97.25 → "97.3%" */
export function formatPercent(percent) {
  return `${decimal.format(percent)}%`;
}

export function formatLoad(load) {
  return twoDecimals.format(load);
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** 273600 → "3 days, 4 hours": the two largest units are enough to judge an uptime. */
export function formatDuration(seconds) {
  const parts = [
    [Math.floor(seconds / 86400), "day"],
    [Math.floor((seconds % 86400) / 3600), "hour"],
    [Math.floor((seconds % 3600) / 60), "minute"],
  ];
  const first = parts.findIndex(([count]) => count > 0);
  if (first === -1) return "less than a minute";
  return parts
    .slice(first, first + 2)
    .filter(([count]) => count > 0)
    .map(([count, word]) => plural(count, word))
    .join(", ");
}

export function formatTime(iso) {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** Filesystems and memory turn amber at 90% and red at 98%. */
export function usageLevel(percent) {
  if (percent >= 98) return "critical";
  if (percent >= 90) return "warning";
  return "ok";
}
