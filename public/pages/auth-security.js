// The admin password and the optional second factor (TOTP, any authenticator app).
import { useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.js";
import { html } from "../html.js";

const field = (setter) => (event) => setter(event.currentTarget.value);

export function PasswordCard() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [outcome, setOutcome] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    try {
      await sendJson("POST", "auth/password", { current, new: next });
      setOutcome({ ok: true, message: "Password changed; every other session is signed out." });
      setCurrent("");
      setNext("");
    } catch (thrown) {
      setOutcome({ ok: false, message: thrown.message });
    }
  };
  return html`<section class="card" aria-labelledby="password-heading">
    <h2 id="password-heading">Password</h2>
    <form class="form" onSubmit=${submit}>
      <label>Current password <input type="password" name="current-password" autocomplete="current-password" required value=${current} onInput=${field(setCurrent)} /></label>
      <label>New password <input type="password" name="new-password" autocomplete="new-password" minlength="10" required value=${next} onInput=${field(setNext)} /></label>
      ${outcome && html`<p class=${`notice${outcome.ok ? "" : " error"}`} role=${outcome.ok ? "status" : "alert"}>${outcome.message}</p>`}
      <button type="submit" class="button">Change password</button>
    </form>
  </section>`;
}

export function SecondFactorCard() {
  const [enabled, setEnabled] = useState(null);
  const [enrollment, setEnrollment] = useState(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState(null);
  useEffect(() => {
    getJson("auth/totp").then((answer) => setEnabled(answer.enabled), setError);
  }, []);
  const act = (action) => async (event) => {
    event?.preventDefault();
    setError(null);
    try {
      await action();
      setCode("");
      setPassword("");
    } catch (thrown) {
      setError(thrown);
    }
  };
  const enroll = act(async () => setEnrollment(await sendJson("POST", "auth/totp/enroll")));
  const confirm = act(async () => {
    setEnabled((await sendJson("POST", "auth/totp/confirm", { code })).enabled);
    setEnrollment(null);
  });
  const disable = act(async () => setEnabled((await sendJson("POST", "auth/totp/disable", { password, code })).enabled));
  const codeField = html`<label>Code from the app <input name="totp-code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required value=${code} onInput=${field(setCode)} /></label>`;
  return html`<section class="card" aria-labelledby="totp-heading">
    <h2 id="totp-heading">Second factor</h2>
    ${enabled === true &&
    html`<p class="detail">Signing in asks for a code from your authenticator app.</p>
      <form class="form" onSubmit=${disable}>
        <label>Password <input type="password" name="totp-password" autocomplete="current-password" required value=${password} onInput=${field(setPassword)} /></label>
        ${codeField}
        <button type="submit" class="button">Turn off</button>
      </form>`}
    ${enabled === false && !enrollment &&
    html`<p class="detail">Off. With it on, signing in also asks for a code from an authenticator app.</p>
      <button type="button" class="button" onClick=${() => enroll()}>Turn on</button>`}
    ${enrollment &&
    html`<form class="form" onSubmit=${confirm}>
      <p>Add this key to your authenticator app, or open the link on your phone:</p>
      <code data-testid="totp-secret">${enrollment.secret}</code>
      <p><a href=${enrollment.uri}>Open in an authenticator app</a></p>
      ${codeField}
      <button type="submit" class="button">Confirm</button>
    </form>`}
    ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
  </section>`;
}
