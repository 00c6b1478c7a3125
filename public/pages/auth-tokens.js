// API tokens: create one (name, expiry, scope), see it once and copy it, list and revoke them.
import { useCallback, useEffect, useState } from "preact/hooks";
import { getApiDescription, getJson, sendJson } from "../api.js";
import { html } from "../html.js";

const formatDate = (iso) => new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
const field = (setter) => (event) => setter(event.currentTarget.value);
const scopeWords = (scope) => `${scope.functions[0] === "*" ? "all functions" : scope.functions.join(", ")}, ${scope.write ? "read and write" : "read only"}`;

function CreateToken({ functions, onCreated }) {
  const [name, setName] = useState("");
  const [days, setDays] = useState("90");
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState([]);
  const [write, setWrite] = useState(false);
  const [error, setError] = useState(null);
  const toggle = (fn) => setChosen((current) => (current.includes(fn) ? current.filter((other) => other !== fn) : [...current, fn]));
  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    try {
      const scope = { functions: all ? ["*"] : chosen, write };
      onCreated(await sendJson("POST", "auth/tokens", { name, expiresInDays: Number(days), scope }));
      setName("");
    } catch (thrown) {
      setError(thrown);
    }
  };
  return html`<form class="form" onSubmit=${submit} aria-label="New token">
    <label>Name <input name="token-name" required maxlength="64" placeholder="backup-script" value=${name} onInput=${field(setName)} /></label>
    <label>Expires after
      <select name="token-days" value=${days} onChange=${field(setDays)}>
        ${[["7", "7 days"], ["30", "30 days"], ["90", "90 days"], ["365", "1 year"]].map(([value, words]) => html`<option value=${value}>${words}</option>`)}
      </select>
    </label>
    <fieldset>
      <legend>Functions</legend>
      <label class="choice"><input type="checkbox" name="token-all" checked=${all} onChange=${() => setAll(!all)} /> All functions</label>
      ${!all && functions.map((fn) => html`<label class="choice"><input type="checkbox" name=${`token-fn-${fn}`} checked=${chosen.includes(fn)} onChange=${() => toggle(fn)} /> ${fn}</label>`)}
    </fieldset>
    <label class="choice"><input type="checkbox" name="token-write" checked=${write} onChange=${() => setWrite(!write)} /> May change things (otherwise read only)</label>
    ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
    <button type="submit" class="button">Create token</button>
  </form>`;
}

function NewToken({ created }) {
  const [copied, setCopied] = useState(false);
  const copy = () => navigator.clipboard.writeText(created.token).then(() => setCopied(true), () => setCopied(false));
  return html`<div class="notice new-token" role="status">
    <p>Token <strong>${created.name}</strong>: copy it now, it is not shown again.</p>
    <code data-testid="new-token">${created.token}</code>
    <button type="button" class="button" onClick=${copy}>${copied ? "Copied" : "Copy"}</button>
    <p class="muted">Use it as <code>curl -H "Authorization: Bearer $TOKEN" ${location.origin}/api/system/overview</code></p>
  </div>`;
}

export function TokensCard() {
  const [tokens, setTokens] = useState(null);
  const [functions, setFunctions] = useState([]);
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const load = useCallback(() => getJson("auth/tokens").then((answer) => setTokens(answer.tokens), setError), []);
  useEffect(() => {
    load();
    // auth takes a session, not a token, and setup is closed after first boot: neither is a scope
    getApiDescription().then((api) => setFunctions(api.tags.map((tag) => tag.name).filter((name) => name !== "auth" && name !== "setup")), () => {});
  }, [load]);
  const revoke = async (token) => {
    try {
      await sendJson("DELETE", `auth/tokens/${encodeURIComponent(token.id)}`);
      load();
    } catch (thrown) {
      setError(thrown);
    }
  };
  return html`<section class="card wide" aria-labelledby="tokens-heading">
    <h2 id="tokens-heading">API tokens</h2>
    <p class="detail">For scripts and other programs: each token reaches only the functions you choose, expires, and can be revoked.</p>
    ${created && html`<${NewToken} created=${created} />`}
    <${CreateToken} functions=${functions} onCreated=${(token) => (setCreated(token), load())} />
    ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
    ${tokens &&
    (tokens.length === 0
      ? html`<p class="muted">No tokens yet.</p>`
      : html`<div class="table-scroll"><table class="units tokens">
          <thead><tr><th>Name</th><th>Scope</th><th>Expires</th><th></th></tr></thead>
          <tbody>${tokens.map((token) => html`<tr key=${token.id} data-token-id=${token.id}>
            <td>${token.name}</td><td>${scopeWords(token.scope)}</td><td>${formatDate(token.expiresAt)}</td>
            <td><button type="button" class="button" onClick=${() => revoke(token)} aria-label=${`Revoke ${token.name}`}>Revoke</button></td>
          </tr>`)}</tbody>
        </table></div>`)}
  </section>`;
}
