// The page shell: header with the box name, navigation, a hash router over the pages table, footer.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { SessionGate, SignOut } from "./session.js";

/** Every page of the admin plane; adding a function's page is one line here. */
const pages = [
  { path: "system", title: "System", load: () => import("./pages/system.js") },
  { path: "auth", title: "Access", load: () => import("./pages/auth.js") },
  { path: "domain", title: "Domain", load: () => import("./pages/domain.js") },
  { path: "dyndns", title: "DynDNS", load: () => import("./pages/dyndns.js") },
  { path: "disks", title: "Disks", load: () => import("./pages/disks.js") },
  { path: "logs", title: "Logs", load: () => import("./pages/logs.js") },
  { path: "services", title: "Services", load: () => import("./pages/services.js") },
  { path: "audit", title: "Audit", load: () => import("./pages/audit.js") },
  { path: "backups", title: "Backups", load: () => import("./pages/backups.js") },
];

const defaultPath = pages[0].path;

/** "#/system/whatever" → { path: "system", rest: ["whatever"] } */
function parseHash(hash) {
  const [path = "", ...rest] = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  return { path: path || defaultPath, rest };
}

function useRoute() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onHashChange = () => setRoute(parseHash(location.hash));
    addEventListener("hashchange", onHashChange);
    return () => removeEventListener("hashchange", onHashChange);
  }, []);
  return route;
}

/** Loads a page module on first visit; page modules export their component as default. */
function usePageComponent(page) {
  const [loaded, setLoaded] = useState({ page: null, component: null, error: null });
  useEffect(() => {
    if (!page) return;
    let current = true;
    page
      .load()
      .then((module) => current && setLoaded({ page, component: module.default, error: null }))
      .catch((error) => current && setLoaded({ page, component: null, error }));
    return () => {
      current = false;
    };
  }, [page]);
  return loaded.page === page ? loaded : { page, component: null, error: null };
}

function NotFound({ path }) {
  return html`<section class="page">
    <h1>Page not found</h1>
    <p>There is no page called “${path}”. <a href=${`#/${defaultPath}`}>Go to the system overview.</a></p>
  </section>`;
}

function PageArea({ route, onBoxName }) {
  const page = pages.find((candidate) => candidate.path === route.path);
  const { component: Page, error } = usePageComponent(page);
  if (!page) return html`<${NotFound} path=${route.path} />`;
  if (error) return html`<p class="notice error" role="alert">Could not load the ${page.title} page: ${error.message}</p>`;
  if (!Page) return html`<p class="notice" aria-busy="true">Loading…</p>`;
  return html`<${Page} params=${route.rest} onBoxName=${onBoxName} />`;
}

function App() {
  const route = useRoute();
  const [boxName, setBoxName] = useState(null);
  const page = pages.find((candidate) => candidate.path === route.path);

  useEffect(() => {
    document.title = [page?.title, boxName, "caretaker"].filter(Boolean).join(" · ");
  }, [page, boxName]);

  return html`
    <header class="masthead">
      <a class="brand" href=${`#/${defaultPath}`}>
        <span class="brand-product">caretaker</span>
        ${boxName && html`<span class="brand-box" data-testid="box-name">${boxName}</span>`}
      </a>
      <nav aria-label="Pages">
        <ul>
          ${pages.map(
            (candidate) => html`<li key=${candidate.path}>
              <a href=${`#/${candidate.path}`} aria-current=${candidate === page ? "page" : undefined}>${candidate.title}</a>
            </li>`,
          )}
        </ul>
      </nav>
      <${SignOut} />
    </header>
    <main id="main">
      <${PageArea} route=${route} onBoxName=${setBoxName} />
    </main>
    <footer class="footer">
      <a href="./openapi.json">API description (openapi.json)</a>
    </footer>
  `;
}

if (!location.hash) history.replaceState(null, "", `#/${defaultPath}`);
const root = document.getElementById("app");
root.textContent = "";
// before setup the wizard, before sign-in the login: neither is a page of the app
const screens = { setup: () => import("./pages/setup.js"), login: () => import("./pages/login.js") };
render(html`<${SessionGate} screens=${screens}><${App} /><//>`, root);
