// The dashboard shell: sign-in, navigation (hash routes, so reloads and links keep the page), the app
// filter for admin keys, and the hand-off to one page module per section.

import { ApiError, call, get, session, setUnauthorizedHandler } from "/dashboard/static/api.js";
import { PAGES } from "/dashboard/static/pages.js";
import { clear, errorBox, h, loading } from "/dashboard/static/ui.js";

const $ = (id) => document.getElementById(id);
const FILTER_KEY = "aiw.app-filter";

let renderToken = 0;

function showSignIn(message) {
  $("shell").hidden = true;
  $("signin").hidden = false;
  const box = $("signin-message");
  box.hidden = !message;
  box.textContent = message || "";
  $("signin-key").value = "";
  $("signin-key").focus();
  probeDevMode();
}

async function probeDevMode() {
  // Dev mode (no key exists yet, loopback only) answers /api/me without a key.
  try {
    const me = await call("GET", "/api/me");
    $("devmode").hidden = !(me && me.role === "admin");
  } catch {
    $("devmode").hidden = true;
  }
}

async function signIn(key) {
  const button = $("signin-form").querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const me = await call("GET", "/api/me", { key });
    session.save({ key, app: me.app, role: me.role, keyId: me.key_id });
    sessionStorage.removeItem(FILTER_KEY);
    await startShell();
  } catch (error) {
    const message = error instanceof ApiError && error.status === 401
      ? "That key was not accepted: it is wrong, revoked or expired."
      : error.message;
    showSignIn(message);
  } finally {
    button.disabled = false;
  }
}

function visiblePages(me) {
  return PAGES.filter((page) => !page.adminOnly || me.role === "admin");
}

function currentRoute() {
  const name = (window.location.hash || "").replace(/^#\/?/, "").split("?")[0];
  return name || "overview";
}

function renderNav(me) {
  const active = currentRoute();
  clear($("nav"), h("ul", {}, visiblePages(me).map((page) => h("li", {},
    h("a", { href: `#/${page.id}`, "aria-current": page.id === active ? "page" : null, "data-page": page.id },
      page.title)))));
}

async function renderFilter(me) {
  const slot = $("app-filter-slot");
  if (me.role !== "admin") {
    clear(slot, h("span", { class: "app-fixed", "data-testid": "app-fixed" }, "App: ", h("strong", {}, me.app)));
    return;
  }
  const select = h("select", { id: "app-filter", "aria-label": "Show data for app" },
    h("option", { value: "" }, "All apps"));
  const chosen = sessionStorage.getItem(FILTER_KEY) || "";
  try {
    const apps = await get("/api/apps");
    for (const name of apps.data) select.append(h("option", { value: name }, name));
  } catch {
    // the filter still offers "All apps"; the page shows its own errors
  }
  if (chosen && ![...select.options].some((o) => o.value === chosen)) {
    select.append(h("option", { value: chosen }, chosen));
  }
  select.value = chosen;
  select.addEventListener("change", () => {
    sessionStorage.setItem(FILTER_KEY, select.value);
    renderPage();
  });
  clear(slot, h("label", { for: "app-filter", class: "sr-only" }, "App"), select);
}

function appFilter() {
  const me = session.load();
  if (!me) return null;
  return me.role === "admin" ? sessionStorage.getItem(FILTER_KEY) || null : me.app;
}

const AUTO_REFRESH_MS = 30000;

// Overview and Providers redraw every 30 s while the tab is visible, in place (no loading flash).
setInterval(() => {
  const me = session.load();
  const page = me && visiblePages(me).find((p) => p.id === currentRoute());
  const main = $("main");
  const busy = main.querySelector("details[open]") || (main.contains(document.activeElement) && document.activeElement !== main);
  if (page && page.autoRefresh && !busy && document.visibilityState === "visible" && !$("shell").hidden) {
    renderPage({ quiet: true });
  }
}, AUTO_REFRESH_MS);

async function renderPage({ focus = false, quiet = false } = {}) {
  const me = session.load();
  if (!me) return showSignIn();
  renderNav(me);
  const pages = visiblePages(me);
  const page = pages.find((p) => p.id === currentRoute());
  const main = $("main");
  const token = ++renderToken;
  if (!page) {
    clear(main, h("h1", {}, "Not found"), errorBox(new Error("This section does not exist or needs an admin key.")));
    return;
  }
  document.title = `${page.title} · ai-workers`;
  if (!quiet) clear(main, h("h1", {}, page.title), loading());
  try {
    const body = await page.render({ me, app: appFilter(), refresh: () => renderPage() });
    if (token !== renderToken) return; // the user moved on while this page loaded
    const updated = new Date().toISOString().slice(11, 19);
    clear(main, h("div", { class: "page-head" }, h("h1", {}, page.title),
      h("div", { class: "page-tools" }, h("span", { class: "muted" }, `Updated ${updated} UTC`),
        h("button", { type: "button", class: "refresh", onclick: () => renderPage() }, "Refresh"))), body);
  } catch (error) {
    if (token !== renderToken) return;
    if (error instanceof ApiError && error.status === 401) return; // signed out already
    if (quiet) return; // keep the last good view; the next refresh tries again
    clear(main, h("h1", {}, page.title), errorBox(error));
  }
  if (focus) {
    // A new section starts at the top, with its heading below the sticky bar: focus() alone scrolled
    // the page so that <main> met the viewport's top edge, under the bar (the "59 px" bug).
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

function renderWho(me) {
  $("who").textContent = me.role === "admin" ? `admin · ${me.keyId || "dev mode"}` : `app key · ${me.keyId || ""}`;
  const banner = $("banner");
  banner.hidden = Boolean(me.keyId);
  banner.textContent = me.keyId ? "" : "Local dev mode: no API key exists yet, so this loopback browser is "
    + "treated as admin. Create an admin key under Keys; that ends dev mode.";
}

async function startShell() {
  const me = session.load();
  $("signin").hidden = true;
  $("shell").hidden = false;
  renderWho(me);
  await Promise.all([renderFilter(me), renderPage()]);
}

function boot() {
  setUnauthorizedHandler((error, ended) => showSignIn(ended && !ended.key
    ? "Local dev mode has ended: an API key exists now. Sign in with an admin key."
    : "Your session ended: the key is no longer accepted (revoked or expired). Sign in again."));
  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("signin-key").value.trim();
    if (!key) return showSignIn("Enter an API key.");
    signIn(key);
  });
  $("devmode-button").addEventListener("click", () => signIn(null));
  $("signout").addEventListener("click", () => {
    session.clear();
    sessionStorage.removeItem(FILTER_KEY);
    showSignIn("Signed out.");
  });
  window.addEventListener("hashchange", () => renderPage({ focus: true }));
  // A page changed the session (the first admin key, created in dev mode, signs this tab in).
  window.addEventListener("aiw:session", () => renderWho(session.load()));
  if (session.load()) startShell();
  else showSignIn();
}

boot();
