// The first-boot wizard: the setup code from the console, the admin password, the box's name.
import { useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.js";
import { html } from "../html.js";

const field = (setter) => (event) => setter(event.currentTarget.value);
const isDomain = (name) => /^(?!\d+(\.\d+)*$)[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(name) && !/\.local$/i.test(name);

function CodeStep({ onNext }) {
  const [code, setCode] = useState("");
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    try {
      await sendJson("POST", "setup/code", { code });
      onNext(code);
    } catch (thrown) {
      setError(thrown);
    }
  };
  return html`<form class="form" onSubmit=${submit}>
    <p>The setup code is shown on the box's console and in its journal (<code>journalctl -u caretaker-setup-code</code>).</p>
    <label>Setup code <input name="code" autocomplete="off" required value=${code} onInput=${field(setCode)} autofocus /></label>
    ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
    <button type="submit" class="button">Next</button>
  </form>`;
}

function AccountStep({ code, status, onDone }) {
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [name, setName] = useState(status.suggestions[0] ?? "");
  const [tls, setTls] = useState("internal");
  const [email, setEmail] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const domain = isDomain(name);
  const submit = async (event) => {
    event.preventDefault();
    if (password !== again) return setError({ message: "the two passwords differ" });
    setBusy(true);
    setError(null);
    try {
      const box = domain && tls === "acme" ? { name, tls, email } : { name, tls: "internal" };
      await sendJson("POST", "setup/complete", { code, password, box });
      // straight in: the password was just set
      await sendJson("POST", "auth/login", { password });
      onDone();
    } catch (thrown) {
      setError(thrown);
      setBusy(false);
    }
  };
  return html`<form class="form" onSubmit=${submit}>
    <label>Admin password <span class="muted">(at least ${status.passwordMinLength} characters)</span>
      <input type="password" name="password" autocomplete="new-password" minlength=${status.passwordMinLength} required value=${password} onInput=${field(setPassword)} autofocus />
    </label>
    <label>The same password again
      <input type="password" name="password-again" autocomplete="new-password" required value=${again} onInput=${field(setAgain)} />
    </label>
    <label>The box's name <span class="muted">(its address, a .local name or a domain you own)</span>
      <input name="box-name" list="name-suggestions" required value=${name} onInput=${field(setName)} />
      <datalist id="name-suggestions">${status.suggestions.map((suggestion) => html`<option value=${suggestion} />`)}</datalist>
    </label>
    ${domain &&
    html`<fieldset>
      <legend>Certificate</legend>
      <label class="choice"><input type="radio" name="tls" value="acme" checked=${tls === "acme"} onChange=${() => setTls("acme")} /> Let's Encrypt (the domain points at this box from the internet)</label>
      <label class="choice"><input type="radio" name="tls" value="internal" checked=${tls === "internal"} onChange=${() => setTls("internal")} /> The box's own certificate authority (home network only)</label>
      ${tls === "acme" &&
      html`<label>Contact address for Let's Encrypt <input type="email" name="email" required value=${email} onInput=${field(setEmail)} /></label>`}
    </fieldset>`}
    ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
    <button type="submit" class="button" disabled=${busy}>Finish setup</button>
  </form>`;
}

export default function Setup({ onDone }) {
  const [status, setStatus] = useState(null);
  const [code, setCode] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    getJson("setup/status").then(setStatus, setError);
  }, []);
  return html`<section class="page door-card">
    <h1>Set up this box</h1>
    ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
    ${status && !code && html`<${CodeStep} onNext=${setCode} />`}
    ${status && code && html`<${AccountStep} code=${code} status=${status} onDone=${onDone} />`}
  </section>`;
}
