// The backups page's archive browser (folders of an archive, paged; ticks choose paths to restore)
// and its verified-restore line (the last sample restored and compared, and a button to run one).
import { useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.js";
import { formatBytes } from "../format.js";
import { html } from "../html.js";

const pageSize = 100;

/** One directory of an archive; the first visit waits while the list job reads the archive (202). */
export function Browse({ repository, archive, paths, onPaths }) {
  const [path, setPath] = useState("");
  const [listing, setListing] = useState({ entries: [], loading: true });
  const [error, setError] = useState(null);
  // listing is a job (borg reads the whole archive): only when asked, never on page load
  const [open, setOpen] = useState(false);
  useEffect(() => setPath(""), [archive]);
  useEffect(() => {
    if (!archive || !open) return undefined;
    let stopped = false;
    const load = async (cursor, before) => {
      try {
        const query = new URLSearchParams({ path, limit: String(pageSize), ...(cursor ? { cursor } : {}) });
        const page = await getJson(`backups/repositories/${repository}/archives/${encodeURIComponent(archive)}/contents?${query}`);
        if (stopped) return;
        if (page.state === "listing") return void setTimeout(() => !stopped && load(cursor, before), 1000);
        setError(null);
        setListing({ ...page, entries: [...before, ...page.entries], loading: false });
      } catch (thrown) {
        if (!stopped) setError(thrown.message), setListing({ entries: [], loading: false });
      }
    };
    setListing({ entries: [], loading: true });
    load(null, []);
    return () => { stopped = true; };
  }, [repository, archive, path, open]);
  const chosen = paths.split("\n").map((line) => line.trim()).filter(Boolean);
  const toggle = (entryPath) => onPaths((chosen.includes(entryPath) ? chosen.filter((other) => other !== entryPath) : [...chosen, entryPath]).join("\n"));
  const parts = path ? path.split("/") : [];
  const more = () => getJson(`backups/repositories/${repository}/archives/${encodeURIComponent(archive)}/contents?${new URLSearchParams({ path, limit: String(pageSize), cursor: listing.nextCursor })}`)
    .then((page) => setListing({ ...page, entries: [...listing.entries, ...page.entries] }), (thrown) => setError(thrown.message));
  if (!open) return html`<p><button type="button" disabled=${!archive} onClick=${() => setOpen(true)}>Browse this archive</button></p>`;
  return html`<div class="browse" data-testid="backups-browse">
    <p class="detail">Browse: <button type="button" class="link" onClick=${() => setPath("")}>${archive}</button>${parts.map((part, index) => html` / <button type="button" class="link" onClick=${() => setPath(parts.slice(0, index + 1).join("/"))}>${part}</button>`)}</p>
    ${listing.loading && !error && html`<p class="detail">Reading the archive's contents…</p>`}
    ${error && html`<p class="notice error" role="alert">${error}</p>`}
    <ul class="entries">${listing.entries.map((entry) => html`<li>
      <label class="choice"><input type="checkbox" checked=${chosen.includes(entry.path)} onChange=${() => toggle(entry.path)} aria-label=${`restore ${entry.name}`} />
      ${entry.type === "directory" ? html`<button type="button" class="link" onClick=${() => setPath(entry.path)}>${entry.name}/</button>` : html`<span>${entry.name}</span>`}
      ${entry.type === "file" && html`<span class="detail">${formatBytes(entry.size)}</span>`}</label>
    </li>`)}</ul>
    ${listing.nextCursor && html`<button type="button" onClick=${more}>Show more</button>`}
    ${listing.truncated && html`<p class="detail">This folder has ${listing.total} entries; only the first ${listing.kept} can be browsed. Tick the folder itself to restore all of them.</p>`}
  </div>`;
}

/** The last verified restore: a sample of the newest archive restored and compared with borg's checksums. */
export function Verification({ status, refresh }) {
  const [error, setError] = useState(null);
  const verification = status.verification;
  const run = () => sendJson("POST", `backups/repositories/${status.name}/jobs/verify`, {}).then(() => (setError(null), refresh()), (thrown) => setError(thrown.message));
  return html`<p class="detail" data-testid="backups-verification" data-ok=${verification ? String(verification.ok) : "none"}>
    Verified restore: ${verification ? `${verification.message} (${new Date(verification.checkedAt).toLocaleString()}, ${verification.durationSeconds} s)` : "not yet: a weekly job restores a sample of the newest archive and compares it with the archive's checksums"}
    ${" "}<button type="button" disabled=${!!status.running} onClick=${run}>Verify a sample now</button>
    ${error && html`<span class="notice error" role="alert">${error}</span>`}
  </p>`;
}
