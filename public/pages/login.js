// The login screen: the admin password, then the authenticator code when a second factor is enabled.
import { useState } from "preact/hooks";
import { sendJson } from "../api.js";
import { html } from "../html.js";

export default function Login({ onDone }) {
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await sendJson("POST", "auth/login", needsCode ? { password, totp } : { password });
      onDone();
    } catch (thrown) {
      if (thrown.code === "totp_required") setNeedsCode(true);
      else setError(thrown);
    } finally {
      setBusy(false);
    }
  };

  return html`<section class="page door-card">
    <h1>Sign in</h1>
    <form class="form" onSubmit=${submit}>
      <label>Password
        <input type="password" name="password" autocomplete="current-password" required value=${password}
          onInput=${(event) => setPassword(event.currentTarget.value)} autofocus />
      </label>
      ${needsCode &&
      html`<label>Code from your authenticator app
        <input name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required value=${totp}
          onInput=${(event) => setTotp(event.currentTarget.value)} autofocus />
      </label>`}
      ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
      <button type="submit" class="button" disabled=${busy}>Sign in</button>
    </form>
  </section>`;
}
