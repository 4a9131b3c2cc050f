// Overview: the answers an operator needs first. Spend per app today and this month with the apps over
// or near a budget on top, provider status, PHI redactions and blocks today, savings against sending
// everything to OpenAI, and charts over time (Today / 7 days / This month; per app or model).
//
// Figures come from /api/overview and /api/charts (the hourly roll-up plus the newest records), the
// budgets from /api/budgets, providers from /health/providers and /api/circuits, savings from
// /api/savings.

import { get } from "/dashboard/static/api.js";
import { countFormat, dataTable, lineChart } from "/dashboard/static/pages/charts.js";
import {
  badge, clear, empty, errorBox, field, h, monthStart, ms, num, pct, ratio, stat, table, today, usd,
} from "/dashboard/static/ui.js";

const withApp = (app, params = {}) => (app ? { ...params, app } : params);

// A share of a budget as text that never rounds up to the limit: 99.91% is "99.9%", not "100%".
export function budgetShare(share) {
  if (share === null || share === undefined || Number.isNaN(share)) return "–";
  const percent = share * 100;
  if (percent < 100 && percent >= 99.95) return "99.9%";
  return `${percent >= 10 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

function savingsOf(body) {
  const t = (body && body.totals) || {};
  const actual = t.actual_usd || 0;
  const baseline = t.baseline_usd || 0;
  const saved = t.saved_usd ?? baseline - actual;
  return { saved, baseline, share: baseline ? saved / baseline : null, model: body.baseline_model || "gpt-4o" };
}

// Worst budget of each app: {share, state: over|near|ok, text}.
function budgetsByApp(budgets) {
  const out = new Map();
  for (const b of budgets) {
    const limit = b.limit_usd;
    const requests = b.limit_requests;
    const shares = [];
    if (limit) shares.push({ share: (b.spent_usd || 0) / limit, text: `${b.period} ${usd(b.spent_usd || 0)} of ${usd(limit)}` });
    if (requests) shares.push({ share: (b.requests || 0) / requests, text: `${b.period} ${num(b.requests || 0)} of ${num(requests)} requests` });
    for (const s of shares) {
      const soft = (b.soft_pct ?? 80) / 100;
      const state = s.share >= 1 ? "over" : s.share >= soft ? "near" : "ok";
      const current = out.get(b.app);
      if (!current || s.share > current.share) out.set(b.app, { ...s, state });
    }
  }
  return out;
}

const STATE_ORDER = { over: 0, near: 1, ok: 2, none: 3 };

function spendTable(overview, budgets) {
  const byApp = budgetsByApp(budgets);
  const names = new Set([...overview.apps.map((a) => a.app), ...byApp.keys()]);
  const figures = new Map(overview.apps.map((a) => [a.app, a]));
  const zero = { requests: 0, errors: 0, refused: 0, cost_usd: 0, phi_redactions: 0, phi_blocks: 0, safety_blocks: 0 };
  const rows = [...names].map((app) => {
    const f = figures.get(app) || { today: zero, month: zero };
    const budget = byApp.get(app) || null;
    return { app, today: f.today, month: f.month, budget, state: budget ? budget.state : "none" };
  }).sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state]
    || (b.budget?.share || 0) - (a.budget?.share || 0) || b.month.cost_usd - a.month.cost_usd || a.app.localeCompare(b.app));
  if (rows.length === 0) return empty("No apps have traffic or budgets yet.", "Requests through the gateway show up here within seconds.");
  const budgetCell = (r) => {
    if (!r.budget) return h("span", { class: "muted" }, "no budget");
    const kind = r.state === "over" ? "bad" : r.state === "near" ? "warn" : "ok";
    const word = r.state === "over" ? "over" : r.state === "near" ? "near" : "ok";
    return h("span", {}, badge(`${word} ${budgetShare(r.budget.share)}`, kind), " ", h("span", { class: "muted" }, r.budget.text));
  };
  return table("Spend per app, apps over or near a budget first", [
    { label: "App", value: (r) => r.app },
    { label: "Budget", value: budgetCell },
    { label: "Today", value: (r) => usd(r.today.cost_usd), num: true },
    { label: "This month", value: (r) => usd(r.month.cost_usd), num: true },
    { label: "Requests today", value: (r) => num(r.today.requests), num: true },
    { label: "Failed today", value: (r) => num(r.today.errors - r.today.refused), num: true },
    { label: "PHI redacted / blocked today", value: (r) => `${num(r.today.phi_redactions)} / ${num(r.today.phi_blocks)}`, num: true },
  ], rows, { "data-testid": "spend-table" });
}

function providerStatus(health, circuits) {
  const open = new Map();
  for (const c of circuits.data || []) {
    if (c.state === "open") open.set(c.provider, [...(open.get(c.provider) || []), c.model]);
  }
  const rows = Object.values(health.providers || {}).map((p) => {
    let status;
    if (!p.configured) status = ["not configured", "bad"];
    else if (open.has(p.provider)) status = [`circuit open: ${open.get(p.provider).join(", ")}`, "bad"];
    else if (!p.calls) status = ["no recent calls", "info"];
    else if (p.success_rate !== null && p.success_rate < 0.95) status = [`degraded: ${pct(p.success_rate)} succeed`, p.success_rate < 0.5 ? "bad" : "warn"];
    else status = ["ok", "ok"];
    return { ...p, status };
  });
  if (rows.length === 0) return empty("No providers are configured.");
  return h("ul", { class: "status-list", "data-testid": "provider-status" }, rows.map((p) => h("li", {},
    h("strong", {}, p.provider), " ", badge(p.status[0], p.status[1]),
    p.calls ? h("span", { class: "muted" }, ` ${num(p.calls)} calls · p95 ${ms(p.p95_ms)}`) : null)));
}

// -- charts -------------------------------------------------------------------------------------------

const chartState = { preset: "today", metric: "requests", by: "total" };
const PRESETS = [["today", "Today"], ["7d", "7 days"], ["month", "This month"]];
// Chart choices: the API metric fetched (/api/charts?metric=) and the series field drawn.
const METRICS = {
  requests: { label: "Requests", format: countFormat, api: "requests" },
  errors: { label: "Errors", format: countFormat, api: "errors" },
  p50_ms: { label: "Latency p50", format: (v) => ms(v), api: "latency" },
  p95_ms: { label: "Latency p95", format: (v) => ms(v), api: "latency" },
  tokens: { label: "Tokens", format: countFormat, api: "tokens" },
  cost_usd: { label: "Cost", format: usd, api: "cost" },
};
const BY = { total: "All traffic", app: "Per app", model: "Per model" };

async function chartCard(app) {
  const slot = h("div", { class: "chart-slot" });
  const presetButtons = h("div", { class: "segmented", role: "group", "aria-label": "Time range" },
    PRESETS.map(([value, label]) => h("button", {
      type: "button", "aria-pressed": String(value === chartState.preset), "data-preset": value,
      onclick: () => { chartState.preset = value; draw(); },
    }, label)));
  const metric = h("select", { name: "metric" }, Object.entries(METRICS).map(([value, m]) =>
    h("option", { value, selected: value === chartState.metric }, m.label)));
  const by = h("select", { name: "by" }, Object.entries(BY).map(([value, label]) =>
    h("option", { value, selected: value === chartState.by }, label)));
  metric.addEventListener("change", () => { chartState.metric = metric.value; draw(); });
  by.addEventListener("change", () => { chartState.by = by.value; draw(); });
  const controls = h("form", { class: "controls", "aria-label": "Chart options", onsubmit: (e) => e.preventDefault() },
    h("div", { class: "field" }, h("span", { class: "field-label" }, "Range"), presetButtons),
    field("Show", metric), field("Split", by));

  let drawn = 0;
  async function draw() {
    const token = ++drawn; // a quicker later choice wins over an earlier slow answer
    for (const b of presetButtons.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.preset === chartState.preset));
    slot.setAttribute("aria-busy", "true");
    try {
      const m = METRICS[chartState.metric];
      const body = await get("/api/charts", withApp(app, { preset: chartState.preset, by: chartState.by, metric: m.api }));
      if (token !== drawn) return;
      const lines = body.series.map((s) => ({ name: s.name, values: s[chartState.metric] }));
      const requests = body.series.reduce((sum, s) => sum + s.requests.reduce((a, b) => a + b, 0), 0);
      const range = PRESETS.find(([v]) => v === chartState.preset)[1];
      const label = `${m.label} ${BY[chartState.by].toLowerCase()}, ${range.toLowerCase()} (UTC)`;
      if (requests === 0) {
        clear(slot, empty(`No requests ${range === "Today" ? "today" : `in ${range.toLowerCase()}`}.`, "Requests through the gateway show up here within seconds."));
      } else {
        const chart = await lineChart(body, lines, { label, format: m.format });
        if (token !== drawn) return;
        clear(slot, h("h3", { class: "chart-title" }, label), chart,
          h("details", {}, h("summary", {}, "Show as a table"), dataTable(body, lines, m.format)),
          chartState.metric.endsWith("_ms") ? h("p", { class: "muted small" }, body.latency_note) : null);
      }
    } catch (error) {
      if (token === drawn) clear(slot, errorBox(error));
    } finally {
      if (token === drawn) slot.removeAttribute("aria-busy");
    }
  }
  await draw();
  return h("section", { class: "card", "aria-labelledby": "charts-title", "data-testid": "charts" },
    h("h2", { id: "charts-title" }, "Over time"), controls, slot);
}

// -- the page -----------------------------------------------------------------------------------------

export async function overview({ app }) {
  const day = today();
  const month = monthStart();
  const [summary, budgets, health, circuits] = await Promise.all([
    get("/api/overview", withApp(app)),
    get("/api/budgets", withApp(app)),
    get("/health/providers"),
    get("/api/circuits"),
  ]);
  // Savings price every record against OpenAI (the usage package's report over the raw records): at a
  // million records that takes seconds, so the page shows everything else first and fills them in.
  const savingStat = (id, body) => {
    const s = savingsOf(body);
    return stat(`Saved vs all-${s.model}`, usd(s.saved),
      s.baseline ? `${pct(s.share, 0)} of ${usd(s.baseline)} on OpenAI` : "no compared traffic yet", `${id}-savings`, s.saved);
  };
  // Each placeholder sits in a slot of its own from the start, so an answer that arrives while the
  // rest of the page is still being built (the chart awaits) has somewhere to go.
  const pending = {
    today: h("div", { class: "stat-slot" }, stat("Saved vs all-OpenAI", "…", "being computed", "today-savings")),
    month: h("div", { class: "stat-slot" }, stat("Saved vs all-OpenAI", "…", "being computed", "month-savings")),
  };
  for (const [id, from] of [["today", day], ["month", month]]) {
    get("/api/savings", withApp(app, { from, to: day }))
      .then((body) => clear(pending[id], savingStat(id, body)))
      .catch((error) => clear(pending[id], stat("Saved vs all-OpenAI", "–", `not available: ${error.message}`, `${id}-savings`)));
  }
  const block = (title, t, id) => {
    const failed = t.errors - t.refused;
    return h("section", { class: "card", "aria-labelledby": `${id}-title`, "data-testid": id },
      h("h2", { id: `${id}-title` }, title),
      h("div", { class: "stats" },
        stat("Requests", num(t.requests), `${num(t.tokens)} tokens`, `${id}-requests`, t.requests),
        stat("Spend", usd(t.cost_usd), null, `${id}-cost`, t.cost_usd),
        pending[id],
        stat("Failure rate", pct(ratio(failed, t.requests)), `${num(failed)} failed · ${num(t.refused)} refused`,
          `${id}-errors`, ratio(failed, t.requests)),
        stat("Cache hit rate", pct(ratio(t.cache_hits, t.requests)), `${num(t.cache_hits)} hits`, `${id}-cache`,
          ratio(t.cache_hits, t.requests)),
        stat("PHI redacted", num(t.phi_redactions), `in ${num(t.phi_requests)} requests`, `${id}-phi`, t.phi_redactions),
        stat("Blocked", num(t.phi_blocks + t.safety_blocks), `${num(t.phi_blocks)} PHI · ${num(t.safety_blocks)} content safety`,
          `${id}-blocks`, t.phi_blocks + t.safety_blocks)));
  };
  const scope = app ? `App ${app}` : "All apps";
  const budgetRows = budgets.data || [];
  const charts = await chartCard(app);
  return h("div", {}, h("p", { class: "muted" }, `${scope} · UTC days`),
    block("Today", summary.totals.today, "today"),
    h("div", { class: "grid-2" },
      h("section", { class: "card", "aria-labelledby": "spend-title" }, h("h2", { id: "spend-title" }, "Spend and budgets per app"),
        spendTable(summary, budgetRows)),
      h("section", { class: "card", "aria-labelledby": "providers-title" }, h("h2", { id: "providers-title" }, "Providers"),
        providerStatus(health, circuits))),
    charts,
    block("This month", summary.totals.month, "month"));
}
