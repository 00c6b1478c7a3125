// The disks page: warnings first, then how full each filesystem is, every disk with its health and
// partitions, where the space went (largest directories), and the confirmed actions.
import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.js";
import { formatBytes, formatPercent, formatTime, usageLevel } from "../format.js";
import { html } from "../html.js";
import { followJob } from "../job-events.js";
import { SizeBars } from "../size-bars.js";
import { LevelWord, UsageBar } from "../usage-bar.js";

const transportWords = { nvme: "NVMe", sata: "SATA", sas: "SAS", scsi: "SCSI", usb: "USB", mmc: "SD card / eMMC", virtio: "virtual disk", loop: "loop device (file)", "device-mapper": "volume", raid: "RAID", other: "disk" };

function Warnings({ warnings }) {
  if (warnings.length === 0) return html`<p class="notice" data-testid="no-warnings">No warnings: every filesystem has room and no disk reports trouble.</p>`;
  return html`<ul class="filesystems" data-testid="disk-warnings" aria-label="Warnings">
    ${warnings.map((warning) => html`<li key=${`${warning.code} ${warning.device} ${warning.mountpoint}`} class="notice ${warning.severity === "critical" ? "error" : ""}" data-code=${warning.code} data-severity=${warning.severity}>
      <strong>${warning.severity === "critical" ? "Critical" : "Warning"}:</strong> ${warning.message}
    </li>`)}
  </ul>`;
}

function FilesystemUsage({ filesystem }) {
  const usage = filesystem.usage;
  const level = usage ? usageLevel(usage.usedPercent) : "ok";
  return html`<li class="filesystem" data-mountpoint=${filesystem.mountpoint}>
    <div class="filesystem-head">
      <span class="mountpoint">${filesystem.mountpoint}</span>
      <span class="tag">${filesystem.type}</span>
      ${filesystem.readOnly && html`<span class="level-word" data-level="critical">read-only</span>`}
      <${LevelWord} level=${level} />
      <span class="percent" data-testid="filesystem-percent">${usage ? formatPercent(usage.usedPercent) : "?"}</span>
    </div>
    ${usage
      ? html`<${UsageBar} label=${`Space used on ${filesystem.mountpoint}`} value=${usage.usedPercent} max=${100} level=${level}
            valueText=${`${formatPercent(usage.usedPercent)}, ${formatBytes(usage.usedBytes)} of ${formatBytes(usage.sizeBytes)}`} />
          <p class="detail">${formatBytes(usage.usedBytes)} of ${formatBytes(usage.sizeBytes)} used, ${formatBytes(usage.availableBytes)} free
            <span class="muted"> · ${filesystem.source}${usage.inodesTotal > 0 ? ` · ${formatPercent(usage.inodesUsedPercent)} of file entries used` : ""}</span></p>`
      : html`<p class="detail muted">Cannot be measured from here.</p>`}
  </li>`;
}

function smartWords(entry) {
  if (!entry) return { text: "not checked yet", level: "neutral" };
  if (!entry.smart.available) return { text: `no SMART (${entry.smart.reason})`, level: "neutral" };
  if (!entry.smart.passed) return { text: "FAILING", level: "critical" };
  if (entry.smart.concerns.length > 0) return { text: `worn: ${entry.smart.concerns.join(", ")}`, level: "warning" };
  return { text: `healthy${entry.smart.temperatureCelsius != null ? `, ${entry.smart.temperatureCelsius} °C` : ""}`, level: "ok" };
}

function Disk({ disk, devices, health, onAction }) {
  const below = devices.filter((device) => device.parents.includes(disk.kname));
  const smart = smartWords(health.devices.find((entry) => entry.kname === disk.kname));
  const name = [disk.vendor?.startsWith("0x") ? null : disk.vendor, disk.model].filter(Boolean).join(" ") || disk.name;
  return html`<section class="card wide disk" data-kname=${disk.kname} aria-label=${`Disk ${disk.path}`}>
    <h2>${disk.path} <span class="muted">${name}</span></h2>
    <dl class="facts">
      <dt>Size</dt><dd>${formatBytes(disk.sizeBytes)} <span class="muted">${transportWords[disk.transport]}${disk.rotational && disk.transport !== "loop" ? ", spinning" : ""}${disk.removable ? ", removable" : ""}${disk.readOnly ? ", read-only" : ""}</span></dd>
      <dt>Identity</dt><dd data-testid="identity">${disk.identity ? html`<code>${disk.identity.value}</code> <span class="muted">(${disk.identity.kind})</span>` : html`<span class="muted">none to confirm with</span>`}</dd>
      <dt>Health</dt><dd data-testid="smart" data-level=${smart.level}>${smart.text}</dd>
      ${disk.system && html`<dt>Role</dt><dd>holds the system: it can only be grown</dd>`}
    </dl>
    ${below.length > 0 &&
    html`<div class="table-scroll"><table class="units">
      <thead><tr><th scope="col">Device</th><th scope="col">Size</th><th scope="col">Holds</th><th scope="col">Mounted at</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
      <tbody>${below.map((device) => html`<tr key=${device.kname} data-kname=${device.kname}>
        <th scope="row" class="unit-name">${device.name}</th>
        <td>${formatBytes(device.sizeBytes)}</td>
        <td>${device.filesystem ? `${device.filesystem.type}${device.filesystem.label ? ` “${device.filesystem.label}”` : ""}` : device.type}${device.errors ? html` <span class="level-word" data-level="warning">${device.errors} errors</span>` : null}</td>
        <td>${device.mountpoints.join(", ") || html`<span class="muted">–</span>`}</td>
        <td>${["ext4", "btrfs", "xfs"].includes(device.filesystem?.type) && disk.identity && html`<button type="button" class="button" onClick=${() => onAction({ job: "grow", device, disk })}>Grow to fill the disk</button>`}</td>
      </tr>`)}</tbody>
    </table></div>`}
    ${!disk.system && disk.identity && below.every((device) => device.mountpoints.length === 0) &&
    html`<p><button type="button" class="button" onClick=${() => onAction({ job: "prepare", device: disk, disk })}>Prepare as a new data disk…</button></p>`}
  </section>`;
}

function Confirm({ action, onDone }) {
  const [confirm, setConfirm] = useState("");
  const [label, setLabel] = useState("data");
  const [mountpoint, setMountpoint] = useState("/srv/data");
  const [error, setError] = useState(null);
  const { job, device, disk } = action;
  const submit = async (event) => {
    event.preventDefault();
    try {
      const body = job === "grow" ? { device: device.kname, confirm } : { device: device.kname, confirm, label, mountpoint, filesystem: "ext4" };
      await sendJson("POST", `disks/jobs/${job}`, body);
      onDone(job);
    } catch (thrown) {
      setError(thrown);
    }
  };
  return html`<form class="card wide form" onSubmit=${submit} aria-label="Confirm the action">
    <h2>${job === "grow" ? `Grow ${device.path} to the end of ${disk.path}` : `Erase ${disk.path} and prepare it for data`}</h2>
    ${job === "prepare" && html`<label>Label <input value=${label} onInput=${(event) => setLabel(event.target.value)} /></label>
      <label>Mount at <input value=${mountpoint} onInput=${(event) => setMountpoint(event.target.value)} /></label>`}
    <label>Type <code>${disk.identity.value}</code> to confirm it is this disk
      <input value=${confirm} onInput=${(event) => setConfirm(event.target.value)} autocomplete="off" /></label>
    ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
    <p><button type="submit" class="button" disabled=${confirm !== disk.identity.value}>${job === "grow" ? "Grow" : "Erase and prepare"}</button>
      <button type="button" class="button" onClick=${() => onDone(null)}>Cancel</button></p>
  </form>`;
}

function LargestDirectories({ filesystems, scan, onScan, progress }) {
  const [mountpoint, setMountpoint] = useState(filesystems[0]?.mountpoint ?? "/");
  return html`<section class="card wide" aria-labelledby="largest-heading">
    <h2 id="largest-heading">Where the space went</h2>
    <form class="form-grid" onSubmit=${(event) => { event.preventDefault(); onScan(mountpoint); }}>
      <label class="field"><span>Filesystem to scan</span>
        <select value=${mountpoint} onChange=${(event) => setMountpoint(event.target.value)}>
          ${filesystems.map((filesystem) => html`<option key=${filesystem.mountpoint} value=${filesystem.mountpoint}>${filesystem.mountpoint}</option>`)}
        </select></label>
      <p><button type="submit" class="button" disabled=${progress?.state === "running"}>Find the largest folders</button></p>
    </form>
    ${progress?.state === "running" && html`<p class="notice" data-testid="scan-progress">Scanning… ${progress.progress?.done ?? 0} entries so far</p>`}
    ${scan
      ? html`<p class="detail" data-testid="scan-summary">${scan.mountpoint}: ${formatBytes(scan.totalBytes)} in ${scan.files} files${scan.complete ? "" : " (stopped at the scan’s limit: sizes are at least these)"}, scanned at ${formatTime(scan.finishedAt)}.</p>
          <${SizeBars} label=${`Largest folders of ${scan.mountpoint}`} total=${scan.totalBytes} entries=${scan.largest} />`
      : html`<p class="detail muted">No scan yet.</p>`}
  </section>`;
}

export default function DisksPage() {
  const [state, setState] = useState({ inventory: null, health: { checkedAt: null, devices: [] }, scan: null, error: null, loading: true });
  const [action, setAction] = useState(null);
  const [scanProgress, setScanProgress] = useState(null);

  const refresh = useCallback(async () => {
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const [inventory, health, scan] = await Promise.all([getJson("disks/inventory"), getJson("disks/health"), getJson("disks/scan")]);
      setState({ inventory, health, scan, error: null, loading: false });
    } catch (error) {
      setState((previous) => ({ ...previous, error, loading: false }));
    }
  }, []);
  useEffect(() => { refresh(); }, [refresh]);

  const follow = useCallback((job, onStatus) => followJob(`disks/jobs/${job}/events`, (status) => {
    onStatus?.(status);
    if (status.state !== "running") refresh();
  }), [refresh]);

  const startScan = async (mountpoint) => {
    try {
      setScanProgress(await sendJson("POST", "disks/jobs/scan", { mountpoint }));
      follow("scan", setScanProgress);
    } catch (error) {
      setState((previous) => ({ ...previous, error }));
    }
  };
  const checkHealth = async () => {
    try {
      await sendJson("POST", "disks/jobs/health", {});
      follow("health");
    } catch (error) {
      setState((previous) => ({ ...previous, error }));
    }
  };

  const { inventory, health, scan, error, loading } = state;
  const disks = inventory ? inventory.devices.filter((device) => device.parents.length === 0 && device.sizeBytes > 0) : [];
  return html`<section class="page" aria-busy=${loading ? "true" : "false"}>
    <div class="page-head">
      <div class="page-title">
        <h1>Disks</h1>
        ${inventory && html`<p class="muted checked">Checked at <time datetime=${inventory.collectedAt}>${formatTime(inventory.collectedAt)}</time>${health.checkedAt ? `, health at ${formatTime(health.checkedAt)}` : ""}</p>`}
      </div>
      <button type="button" class="button" onClick=${checkHealth}>Check health</button>
      <button type="button" class="button" onClick=${refresh} disabled=${loading}>${loading ? "Refreshing…" : "Refresh"}</button>
    </div>
    ${error && html`<div class="notice error" role="alert" data-testid="error"><strong>Could not load the disks:</strong> ${error.message}
      ${error.status ? html` <span class="muted">(${error.status} ${error.code})</span>` : null}</div>`}
    ${inventory && html`<div class="cards">
      <section class="card wide" aria-labelledby="warnings-heading"><h2 id="warnings-heading">Warnings</h2><${Warnings} warnings=${inventory.warnings} /></section>
      ${action && html`<${Confirm} action=${action} onDone=${(job) => { setAction(null); if (job) follow(job); }} />`}
      <section class="card wide" aria-labelledby="usage-heading"><h2 id="usage-heading">Filesystems</h2>
        <ul class="filesystems">${inventory.filesystems.map((filesystem) => html`<${FilesystemUsage} key=${filesystem.mountpoint} filesystem=${filesystem} />`)}</ul></section>
      <${LargestDirectories} filesystems=${inventory.filesystems} scan=${scan} onScan=${startScan} progress=${scanProgress} />
      ${disks.map((disk) => html`<${Disk} key=${disk.kname} disk=${disk} devices=${inventory.devices} health=${health} onAction=${setAction} />`)}
    </div>`}
  </section>`;
}
