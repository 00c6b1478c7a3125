// The door of the page: asks auth/status, then shows the setup wizard, the login or the app; keeps
// an active owner's session alive (POST auth/refresh at most every 5 minutes while they use the page).
import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "./api.js";
import { html } from "./html.js";

const refreshEveryMs = 5 * 60 * 1000;

/** Refreshes the session's idle deadline on activity: a page left alone lapses after 30 minutes. */
function useActivityRefresh(active) {
  useEffect(() => {
    if (!active) return;
    let last = Date.now();
    const onActivity = () => {
      if (Date.now() - last < refreshEveryMs) return;
      last = Date.now();
      sendJson("POST", "auth/refresh").catch(() => {});
    };
    for (const event of ["pointerdown", "keydown"]) addEventListener(event, onActivity, { passive: true });
    return () => {
      for (const event of ["pointerdown", "keydown"]) removeEventListener(event, onActivity);
    };
  }, [active]);
}

function useModule(load) {
  const [component, setComponent] = useState(null);
  useEffect(() => {
    let current = true;
    load().then((module) => current && setComponent(() => module.default));
    return () => {
      current = false;
    };
  }, [load]);
  return component;
}

/** Renders the app only for a signed-in owner; `screens` loads the wizard and the login page. */
export function SessionGate({ screens, children }) {
  const [status, setStatus] = useState(null);
  const [error, setError] = useState(null);
  const check = useCallback(() => {
    getJson("auth/status").then(setStatus, setError);
  }, []);
  useEffect(check, [check]);
  useEffect(() => {
    const lapsed = () => setStatus((current) => current && { ...current, signedIn: null });
    addEventListener("caretaker:unauthenticated", lapsed);
    return () => removeEventListener("caretaker:unauthenticated", lapsed);
  }, []);
  const screen = !status ? null : !status.setupComplete ? "setup" : !status.signedIn ? "login" : "app";
  useActivityRefresh(screen === "app");
  const Screen = useModule(screen === "setup" ? screens.setup : screens.login);
  if (error) return html`<p class="notice error" role="alert">Could not reach the box: ${error.message}</p>`;
  if (!screen) return html`<p class="notice" aria-busy="true">Loading…</p>`;
  if (screen === "app") return children;
  if (!Screen) return html`<p class="notice" aria-busy="true">Loading…</p>`;
  return html`<main id="main" class="door"><${Screen} onDone=${check} /></main>`;
}

/** The masthead's sign-out button. */
export function SignOut() {
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    await sendJson("POST", "auth/logout").catch(() => {});
    location.reload();
  };
  return html`<button type="button" class="button sign-out" onClick=${signOut} disabled=${busy}>Sign out</button>`;
}
