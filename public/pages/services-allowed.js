// The allow-list card of the services page: which units the owner lets caretaker start, stop,
// restart, enable and disable, and whether polkit's rule was written from it.
import { useState } from "preact/hooks";
import { sendJson } from "../api.js";
import { html } from "../html.js";

export function AllowList({ allowed, onSaved }) {
  const [units, setUnits] = useState(allowed.units);
  const [draft, setDraft] = useState("");
  const [state, setState] = useState({ busy: false, error: null });
  const changed = units.join(" ") !== allowed.units.join(" ");

  function add(event) {
    event.preventDefault();
    // read the field itself: a submit right after typing can come before the re-render with the draft
    const name = String(new FormData(event.currentTarget).get("unit") ?? "").trim();
    if (name && !units.includes(name)) setUnits([...units, name].sort());
    setDraft("");
  }

  async function save() {
    setState({ busy: true, error: null });
    try {
      const saved = await sendJson("PUT", "services/allowed", { units });
      setUnits(saved.units);
      setState({ busy: false, error: null });
      await onSaved();
    } catch (error) {
      setState({ busy: false, error });
    }
  }

  return html`<section class="card wide" aria-labelledby="services-allowed-heading" data-testid="services-allowed">
    <h2 id="services-allowed-heading">Allow-list</h2>
    <p class="detail">The units caretaker may start, stop, restart, enable and disable. polkit enforces the same list for caretaker's own user; caretaker's own units and Caddy can never be on it.</p>
    ${units.length === 0 ? html`<p class="muted">No unit yet.</p>` : html`<ul class="allow-list">
      ${units.map((unit) => html`<li key=${unit}><code>${unit}</code> <button type="button" class="button small" aria-label=${`Remove ${unit}`} onClick=${() => setUnits(units.filter((other) => other !== unit))}>Remove</button></li>`)}
    </ul>`}
    <form class="form-grid" onSubmit=${add}>
      <label class="field"><span>Unit</span><input name="unit" value=${draft} placeholder="nginx.service" onInput=${(event) => setDraft(event.target.value)} /></label>
      <div><button type="submit" class="button">Add</button> <button type="button" class="button" disabled=${!changed || state.busy} onClick=${save}>${state.busy ? "Saving…" : "Save the list"}</button></div>
    </form>
    <p class="detail" data-testid="services-policy" data-level=${allowed.policy.applied ? "ok" : "warning"}>${allowed.policy.applied ? "✓ " : ""}${allowed.policy.note}</p>
    ${state.error && html`<p class="notice error" role="alert" data-testid="services-allowed-error">Not saved: ${state.error.message}</p>`}
  </section>`;
}
