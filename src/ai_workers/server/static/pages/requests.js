// Request log: every request the gateway answered, newest first (GET /api/requests, keyset pages),
// with filters, a detail view (GET /api/requests/{id}) and a CSV of the same filters. The log holds
// counts and identifiers only: user pseudonyms, PHI types and counts, never prompt or answer text.

import { ApiError, get, session } from "/dashboard/static/api.js";
import {
  badge, clear, dateTime, daysAgo, empty, errorBox, field, h, ms, num, today, usd,
} from "/dashboard/static/ui.js";

const PAGE_SIZE = 50;
const state = {
  from: daysAgo(6), to: today(), q: "", user: "", model: "", provider: "", status: "", cache: "", phi: "", safety: "",
};
const FILTERS = ["from", "to", "q", "user", "model", "provider", "status", "cache", "phi", "safety"];

function params(app, extra = {}) {
  const out = app ? { app } : {};
  for (const name of FILTERS) if (state[name]) out[name] = state[name];
  return { ...out, ...extra };
}

function statusBadge(row) {
  const kind = row.status < 400 ? "ok" : row.status < 500 ? "warn" : "bad";
  return h("span", {}, badge(String(row.status), kind), row.error_kind ? h("span", { class: "muted" }, ` ${row.error_kind}`) : null);
}

function phiText(row) {
  if (!row.phi_types || row.phi_types.length === 0) return "–";
  const counts = row.phi_counts || {};
  return row.phi_types.map((t) => (counts[t] ? `${t} ×${counts[t]}` : t)).join(", ");
}

function safetyBadge(value) {
  if (!value) return "–";
  return badge(value, value === "blocked" ? "bad" : value === "flagged" ? "warn" : "ok");
}

function select(name, label, options) {
  const el = h("select", { name }, options.map(([value, text]) => h("option", { value, selected: value === state[name] }, text)));
  return field(label, el);
}

function input(name, label, placeholder, type = "text") {
  const el = h("input", { name, type, value: state[name], placeholder, autocomplete: "off", spellcheck: "false" });
  if (type === "date") el.max = today();
  return field(label, el);
}

// "12-06 23:03:55": the year is in the From/To filter, seconds tell neighbours apart (UTC).
const shortTime = (iso) => (iso ? new Date(iso).toISOString().slice(5, 19).replace("T", " ") : "–");

// A mistake in the form, said as what to fix (errorBox is for a load that failed).
const problem = (text) => h("p", { class: "error" }, text);

// -- detail -------------------------------------------------------------------------------------------

function detailList(row) {
  const items = [
    ["Request id", h("code", {}, row.id)],
    ["Time", dateTime(row.ts)],
    ["App", row.app],
    ["User (pseudonym)", row.user || "–"],
    ["Key", row.key_id || "–"],
    ["Route / capability", `${row.route || "api"} / ${row.capability}`],
    ["Requested model", row.requested_model || "–"],
    ["Answered by", `${row.provider || "–"} / ${row.model || "–"}${row.provider_model && row.provider_model !== row.model ? ` (${row.provider_model})` : ""}`],
    ["Routing", [row.tier ? `tier ${row.tier}` : null, row.arm ? `arm ${row.arm}` : null, row.route_reason].filter(Boolean).join(" · ") || "–"],
    ["Status", statusBadge(row)],
    ["Latency", `${ms(row.latency_ms)} total · ${ms(row.upstream_ms)} upstream · ${ms(row.overhead_ms)} gateway overhead`],
    ["Tokens", `${num(row.input_tokens)} in · ${num(row.output_tokens)} out${row.stream ? " · streamed" : ""}`],
    ["Cost", `${usd(row.cost_usd)} billed · ${usd(row.list_cost_usd)} list${row.neurons ? ` · ${num(Math.round(row.neurons))} neurons` : ""}`],
    ["Cache", row.cache || "–"],
    ["PHI found", phiText(row)],
    ["PHI redacted", num(row.phi_redactions)],
    ["Safety verdict", safetyBadge(row.safety)],
  ];
  return h("dl", { class: "detail-list" }, items.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function attemptsTable(row) {
  const attempts = row.attempt_log || [];
  if (attempts.length === 0) return h("p", { class: "muted" }, "No provider was called (answered from cache, or refused before sending).");
  return h("div", { class: "table-wrap" }, h("table", { "data-testid": "attempts-table" },
    h("caption", {}, `Attempts (${attempts.length})`),
    h("thead", {}, h("tr", {}, ["#", "Provider", "Model", "Status", "Error", "Latency"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, attempts.map((a, i) => h("tr", {},
      h("th", { scope: "row" }, String(i + 1)), h("td", {}, a.provider), h("td", {}, a.model),
      h("td", {}, badge(a.ok ? "ok" : String(a.status ?? "failed"), a.ok ? "ok" : "bad")),
      h("td", {}, a.error_kind || "–"), h("td", { class: "num" }, ms(a.latency_ms)))))));
}

// The app's opt-in, PHI-redacted text (textContent only: never parsed as HTML).
function contentBlock(content) {
  const note = h("p", { class: "muted small", "data-testid": "content-note" }, content.message);
  if (!content.stored) return note;
  const part = (title, text, id) => [h("h3", {}, title),
    h("pre", { class: "request-text", "data-testid": id }, text ?? "(not stored)")];
  return h("section", { "aria-label": "Prompt and answer (redacted)" },
    ...part("Prompt (redacted)", content.prompt, "content-prompt"),
    ...part("Answer (redacted)", content.answer, "content-answer"),
    content.truncated ? h("p", { class: "muted small" }, "Truncated: text over 16 KB is cut.") : null,
    note);
}

async function showDetail(dialog, id, app) {
  clear(dialog, h("p", { class: "loading", role: "status" }, "Loading…"));
  if (!dialog.open) dialog.showModal();
  const close = h("button", { type: "button", onclick: () => dialog.close() }, "Close");
  try {
    const row = await get(`/api/requests/${encodeURIComponent(id)}`, app ? { app } : {});
    clear(dialog, h("div", { class: "dialog-head" }, h("h2", { id: "request-detail-title" }, "Request details"), close),
      detailList(row), attemptsTable(row), contentBlock(row.content));
  } catch (error) {
    clear(dialog, h("div", { class: "dialog-head" }, h("h2", { id: "request-detail-title" }, "Request details"), close), errorBox(error));
  }
  close.focus();
}

// -- CSV ----------------------------------------------------------------------------------------------

async function downloadCsv(app, message) {
  const url = new URL("/api/requests.csv", window.location.origin);
  for (const [k, v] of Object.entries(params(app))) url.searchParams.set(k, v);
  const me = session.load();
  try {
    const response = await fetch(url, { headers: me && me.key ? { Authorization: `Bearer ${me.key}` } : {}, credentials: "omit", cache: "no-store" });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new ApiError(response.status, (body.error && body.error.message) || response.statusText);
    }
    const blob = await response.blob();
    const link = h("a", { href: URL.createObjectURL(blob), download: `ai-workers-requests-${state.from}-to-${state.to}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  } catch (error) {
    clear(message, errorBox(error));
  }
}

// -- the page -----------------------------------------------------------------------------------------

export async function requests({ app, refresh }) {
  const message = h("div", { role: "alert", "data-testid": "log-message" });
  const form = h("form", { class: "controls", "aria-label": "Request filters", novalidate: true },
    input("from", "From", "", "date"), input("to", "To", "", "date"),
    input("q", "Search", "request id or user"),
    input("user", "User", "pseudonym"), input("model", "Model", "any model"), input("provider", "Provider", "any provider"),
    select("status", "Status", [["", "any"], ["ok", "ok (< 400)"], ["error", "errors (≥ 400)"], ["4xx", "4xx refused"], ["5xx", "5xx failed"]]),
    select("cache", "Cache", [["", "any"], ["hit", "hit"], ["miss", "miss"]]),
    select("phi", "PHI", [["", "any"], ["yes", "PHI found"]]),
    select("safety", "Safety", [["", "any"], ["safe", "safe"], ["flagged", "flagged"], ["blocked", "blocked"]]),
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "primary" }, "Apply"),
      h("button", { type: "button", "data-testid": "log-reset", onclick: () => {
        Object.assign(state, { from: daysAgo(6), to: today() });
        for (const name of FILTERS.slice(2)) state[name] = "";
        refresh();
      } }, "Reset"),
      h("button", { type: "button", "data-testid": "log-csv", onclick: () => downloadCsv(app, message) }, "Download CSV")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = Object.fromEntries(FILTERS.map((name) => [name, String(data.get(name) || "").trim()]));
    if (!next.from || !next.to) {
      clear(message, problem("Pick both dates: From and To."));
      return;
    }
    if (next.from > next.to) {
      clear(message, problem(`From (${next.from}) is after To (${next.to}): pick a From date on or before To.`));
      return;
    }
    Object.assign(state, next);
    refresh();
  });

  const first = await get("/api/requests", params(app, { limit: PAGE_SIZE }));
  const rows = [...first.data];
  const dialog = h("dialog", { class: "wide", "aria-labelledby": "request-detail-title", "data-testid": "request-detail" });
  const tbody = h("tbody", {});
  const tableSlot = h("div", {});
  const more = h("button", { type: "button", "data-testid": "log-more" }, "Load older requests");
  let cursor = first.next_cursor;

  const rowEl = (r) => h("tr", { "data-id": r.id },
    h("th", { scope: "row" }, h("button", { type: "button", class: "link", "aria-label": `Details of request ${r.id}`,
      onclick: () => showDetail(dialog, r.id, app) }, shortTime(r.ts))),
    h("td", {}, r.app), h("td", {}, r.user || "–"), h("td", {}, r.model || "–"), h("td", {}, r.provider || "–"),
    h("td", {}, statusBadge(r)),
    h("td", { class: "num" }, ms(r.latency_ms), r.overhead_ms !== null && r.overhead_ms !== undefined ? h("span", { class: "muted" }, ` (+${ms(r.overhead_ms)})`) : null),
    h("td", { class: "num" }, `${num(r.input_tokens)} / ${num(r.output_tokens)}`),
    h("td", { class: "num" }, usd(r.cost_usd)), h("td", {}, r.cache || "–"), h("td", {}, phiText(r)),
    h("td", {}, safetyBadge(r.safety)), h("td", { class: "num" }, num(r.attempts)));

  const drawTable = () => {
    if (rows.length === 0) {
      clear(tableSlot, empty("No requests match.", "Widen the dates or clear a filter."));
      return;
    }
    clear(tbody, rows.map(rowEl));
    clear(tableSlot, h("p", { class: "muted small" },
      `${num(rows.length)} shown${cursor ? ", more below" : ""}. Times in UTC; latency (+ gateway overhead); tokens in / out. Open a time for details.`),
    h("div", { class: "table-wrap" }, h("table", { "data-testid": "requests-table", class: "log-table" },
      h("caption", {}, "Requests, newest first"),
      h("thead", {}, h("tr", {}, ["Time", "App", "User", "Model", "Provider", "Status", "Latency", "Tokens", "Cost", "Cache", "PHI", "Safety", "Attempts"]
        .map((c, i) => h("th", { scope: "col", class: [6, 7, 8, 12].includes(i) ? "num" : null }, c)))), tbody)),
      cursor ? more : null);
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      const next = await get("/api/requests", params(app, { limit: PAGE_SIZE, cursor }));
      rows.push(...next.data);
      cursor = next.next_cursor;
      drawTable();
    } catch (error) {
      clear(message, errorBox(error));
    } finally {
      more.disabled = false;
    }
  });
  drawTable();
  return h("div", {},
    h("section", { class: "card" }, h("h2", {}, "Filters"), form, message),
    h("section", { class: "card" }, tableSlot,
      h("p", { class: "muted small" }, first.content_note)),
    dialog);
}
