// One render function per dashboard section. Each returns a DOM node built from the JSON APIs;
// the shell (app.js) shows it, or the error it throws.
//
// The usage APIs (/api/usage, /api/costs, /api/savings, /api/budgets) belong to the usage package;
// the adapters below (`costRows`, `budgetRows`) are the only place that knows their field
// names, so a change there is a change here only.

import { api, get, session } from "/dashboard/static/api.js";
import { alertsPage } from "/dashboard/static/alerts.js";
import { appsPage, budgetEditor, keyActions, keyExtraColumns, keySpend } from "/dashboard/static/apps.js";
import { safetyPage } from "/dashboard/static/safety.js";
import { overview } from "/dashboard/static/pages/overview.js";
import { requests } from "/dashboard/static/pages/requests.js";
import { batches } from "/dashboard/static/batches.js";
import {
  badge, clear, dateRange, dateTime, daysAgo, download, empty, errorBox, field, formError, h, monthStart, ms,
  num, pct, pctFloor, ratio, relative, stat, table, toCsv, today, usd,
} from "/dashboard/static/ui.js";

// -- adapters for the usage package's JSON ----------------------------------------------------------

const pick = (obj, ...names) => {
  for (const name of names) if (obj && obj[name] !== undefined && obj[name] !== null) return obj[name];
  return undefined;
};

// A report is {title, columns, rows: [{column: value}], totals?: {...}, notes?: [...]}
// (ai_workers.usage.reports.Report.to_json_obj); lists elsewhere are {data: [...]}.
const rowsOf = (body) => pick(body, "rows", "data") || (Array.isArray(body) ? body : []);

function costRows(body, by) {
  return rowsOf(body).map((r) => ({
    key: pick(r, by, "key") ?? null,
    requests: r.requests || 0,
    errors: r.errors || 0,
    cacheHits: r.cache_hits || 0,
    inputTokens: r.input_tokens || 0,
    outputTokens: r.output_tokens || 0,
    neurons: r.neurons || 0,
    listCost: r.list_cost_usd ?? r.cost_usd ?? 0,
    cost: r.cost_usd || 0,
  }));
}

function budgetRows(body) {
  return rowsOf(body).map((b) => ({
    app: b.app,
    name: pick(b, "budget", "name"),
    scope: b.scope || "app",
    user: b.user,
    period: b.period || "",
    limitUsd: b.limit_usd,
    limitRequests: b.limit_requests,
    softPct: b.soft_pct ?? 80,
    spentUsd: b.spent_usd || 0,
    reservedUsd: b.reserved_usd || 0,
    requests: b.requests || 0,
    resetsAt: b.resets_at,
  }));
}

const withApp = (app, params = {}) => (app ? { ...params, app } : params);

// -- Costs ------------------------------------------------------------------------------------------

const costState = { from: daysAgo(29), to: today(), by: "app" };

async function costs({ app, refresh }) {
  const body = await get("/api/costs", withApp(app, { from: costState.from, to: costState.to, by: costState.by }));
  const rows = costRows(body, costState.by).sort((a, b) => b.cost - a.cost);
  const total = rows.reduce((sum, r) => sum + r.cost, 0);
  const by = h("select", { name: "by" }, ["app", "user", "model", "provider"].map((v) =>
    h("option", { value: v, selected: v === costState.by }, v)));
  by.addEventListener("change", () => { costState.by = by.value; refresh(); });
  const csv = () => download(`ai-workers-costs-by-${costState.by}-${costState.from}-to-${costState.to}.csv`,
    toCsv([costState.by, "requests", "errors", "cache_hits", "input_tokens", "output_tokens", "neurons",
      "list_cost_usd", "cost_usd"], rows.map((r) => [r.key, r.requests, r.errors, r.cacheHits, r.inputTokens,
      r.outputTokens, r.neurons, r.listCost, r.cost])));
  const controls = h("form", { class: "controls", "aria-label": "Cost filters", onsubmit: (e) => e.preventDefault() },
    dateRange(costState.from, costState.to, (from, to) => { Object.assign(costState, { from, to }); refresh(); }),
    field("Group by", by),
    h("button", { type: "button", onclick: csv, disabled: rows.length === 0, "data-testid": "csv" }, "Download CSV"));
  const label = costState.by[0].toUpperCase() + costState.by.slice(1);
  const content = rows.length === 0
    ? empty("No requests in this date range.", "Pick a wider range, or another app.")
    : table(`Cost by ${costState.by}, ${costState.from} to ${costState.to}: total ${usd(total)}`, [
      { label, value: (r) => (r.key === null || r.key === "" ? "(none)" : r.key) },
      { label: "Requests", value: (r) => num(r.requests), num: true },
      { label: "Errors", value: (r) => num(r.errors), num: true },
      { label: "Cache hits", value: (r) => num(r.cacheHits), num: true },
      { label: "Input tokens", value: (r) => num(r.inputTokens), num: true },
      { label: "Output tokens", value: (r) => num(r.outputTokens), num: true },
      { label: "List price", value: (r) => usd(r.listCost), num: true },
      { label: "Billed", value: (r) => usd(r.cost), num: true },
      { label: "Share", value: (r) => pct(ratio(r.cost, total)), num: true },
    ], rows, { "data-testid": "costs-table" });
  return h("div", {}, controls, h("div", { "data-range-content": true }, content), rows.length === 0 ? null : h("p", { class: "muted" },
    "Billed is what is paid: Workers AI neurons inside the free daily allocation cost $0. "
    + "List price is the same traffic before that allocation."));
}

// -- Budgets ----------------------------------------------------------------------------------------

function budgetBar(label, spent, limit, softPct, format) {
  const share = limit ? spent / limit : 0;
  const state = share >= 1 ? "hard" : share * 100 >= softPct ? "soft" : "ok";
  const fill = h("div", { class: `bar-fill fill-${state}` });
  fill.style.width = `${Math.min(share, 1) * 100}%`;
  const marker = h("div", { class: "bar-marker", title: `soft limit ${softPct}%` });
  marker.style.left = `${softPct}%`;
  return h("div", { class: "budget-line" },
    h("div", { class: "budget-text" }, h("span", {}, label),
      h("span", { "data-testid": "budget-share" }, `${format(spent)} of ${format(limit)} (${pctFloor(share)})`)),
    h("div", {
      class: "bar", role: "progressbar", "aria-label": `${label} used`, "aria-valuemin": 0, "aria-valuemax": 100,
      "aria-valuenow": Math.floor(share * 1000) / 10, "aria-valuetext": `${format(spent)} of ${format(limit)}`,
    }, fill, marker),
    state === "ok" ? null : badge(state === "hard" ? "hard limit reached: requests get 429" : `over soft limit (${softPct}%)`,
      state === "hard" ? "bad" : "warn"));
}

async function budgets({ app, refresh }) {
  const rows = budgetRows(await get("/api/budgets", withApp(app)));
  const editor = session.load()?.role === "admin" ? await budgetEditor({ app, refresh }) : null;
  if (rows.length === 0) {
    return h("div", {}, empty("No budgets configured" + (app ? ` for ${app}.` : "."),
      editor ? "Add one below, or under apps.<name>.budgets in the config file."
        : "Add budgets under apps.<name>.budgets in the config file (daily or monthly, dollars or requests)."), editor);
  }
  return h("div", {}, h("div", { class: "budgets" }, rows.map((b) => h("section", { class: "card budget", "data-testid": "budget" },
    h("h2", {}, `${b.app} · ${b.period}`, b.scope === "user" ? ` · user ${b.user || "each"}` : "",
      b.name && !b.name.includes("/") ? ` · ${b.name}` : ""), // "app/scope/period" keys say nothing new
    b.limitUsd !== undefined && b.limitUsd !== null ? budgetBar("Spend", b.spentUsd, b.limitUsd, b.softPct, usd) : null,
    b.limitRequests ? budgetBar("Requests", b.requests, b.limitRequests, b.softPct, num) : null,
    b.reservedUsd > 0 ? h("p", { class: "muted" }, `${usd(b.reservedUsd)} reserved by requests in flight`) : null,
    h("p", { class: "muted" }, b.resetsAt ? `Resets ${relative(b.resetsAt)} (${dateTime(b.resetsAt)})` : "")))), editor);
}

// -- Providers --------------------------------------------------------------------------------------

const STATE_KIND = { closed: "ok", half_open: "warn", open: "bad" };
const STATUS_KIND = { healthy: "ok", idle: "info", degraded: "warn", down: "bad", not_configured: "bad" };

async function providers() {
  const [health, circuits] = await Promise.all([get("/health/providers"), get("/api/circuits")]);
  const rows = Object.values(health.providers || {});
  const providerTable = rows.length === 0 ? empty("No providers are configured.") : table(
    "Providers: calls in the last few minutes", [
      { label: "Provider", value: (r) => r.provider },
      // Health from the success rate and the circuits, not from "credentials present".
      { label: "Status", value: (r) => h("span", { "data-testid": `provider-status-${r.provider}` },
        badge(String(r.status || (r.configured ? "idle" : "not_configured")).replace("_", " "), STATUS_KIND[r.status] || "info"),
        " ", h("span", { class: "muted" }, r.configured ? r.status_reason || "" : r.message || r.status_reason || "")) },
      { label: "Calls", value: (r) => num(r.calls), num: true },
      { label: "Success rate", value: (r) => pct(r.success_rate), num: true },
      { label: "Latency p50", value: (r) => ms(r.p50_ms), num: true },
      { label: "Latency p95", value: (r) => ms(r.p95_ms), num: true },
      { label: "Errors", value: (r) => Object.entries(r.errors || {}).map(([k, v]) => `${k}: ${v}`).join(", ") || "–" },
    ], rows, { "data-testid": "providers-table" });
  const circuitRows = circuits.data || [];
  const circuitTable = circuitRows.length === 0
    ? empty("No circuit breakers yet.", "A provider and model appear here after the first call to them.")
    : table("Circuit breakers per provider and model", [
      { label: "Provider / model", value: (r) => `${r.provider} / ${r.model}` },
      { label: "State", value: (r) => badge(String(r.state).replace("_", "-"), STATE_KIND[r.state] || "warn") },
      { label: "Requests in window", value: (r) => num(r.window_requests), num: true },
      { label: "Error rate", value: (r) => pct(r.window_error_rate), num: true },
      { label: "p50", value: (r) => ms(r.latency_p50_ms), num: true },
      { label: "p95", value: (r) => ms(r.latency_p95_ms), num: true },
      { label: "Last error", value: (r) => r.last_error_kind || "–" },
      { label: "Retry in", value: (r) => (r.retry_in_s === null || r.retry_in_s === undefined ? "–" : `${Math.ceil(r.retry_in_s)} s`), num: true },
    ], circuitRows, { "data-testid": "circuits-table" });
  return h("div", {}, h("section", { class: "card" }, h("h2", {}, "Health"), providerTable),
    h("section", { class: "card" }, h("h2", {}, "Circuit breakers"), circuitTable));
}

// -- Keys (admin) -----------------------------------------------------------------------------------

const keyState = { showRevoked: false };

function copyButton(input) {
  const status = h("span", { class: "muted", role: "status" });
  const button = h("button", { type: "button", class: "primary" }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      input.select();
      document.execCommand("copy");
    }
    status.textContent = "Copied.";
  });
  return [button, status];
}

function createdKeyPanel(created) {
  const input = h("input", { type: "text", readonly: true, value: created.key, class: "mono", "aria-label": "New API key",
    "data-testid": "new-key", onfocus: (e) => e.target.select() });
  return h("div", { class: "card created", role: "alert" },
    h("h2", {}, `Key created for ${created.app} (${created.role})`),
    h("p", {}, h("strong", {}, "Copy it now: this is the only time it is shown."), " The server keeps only a hash."),
    h("div", { class: "copy-row" }, input, copyButton(input)));
}

async function keys({ app, refresh }) {
  const body = await get("/admin/keys", withApp(app, { include_revoked: keyState.showRevoked ? "true" : "" }));
  const rows = body.data || [];
  const slot = h("div", { id: "created-slot" });
  const message = h("div", { role: "alert" });
  const appInput = h("input", { name: "app", required: true, value: app || "", maxlength: 100, autocomplete: "off" });
  const role = h("select", { name: "role" }, h("option", { value: "app" }, "app"), h("option", { value: "admin" }, "admin"));
  const name = h("input", { name: "name", maxlength: 200, autocomplete: "off", placeholder: "e.g. production" });
  const models = h("input", { name: "models", autocomplete: "off", placeholder: "any model the app allows" });
  const expires = h("input", { name: "expires_at", type: "date", min: today() });
  const submit = h("button", { type: "submit", class: "primary" }, "Create key");
  const form = h("form", { class: "controls create-key", "aria-label": "Create a key", novalidate: true },
    field("App", appInput), field("Role", role), field("Name (optional)", name),
    field("Allowed models (optional, comma-separated)", models), field("Expires (optional)", expires), submit, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, message, null);
    if (!appInput.value.trim()) {
      formError(form, message, { message: "Enter the app this key is for.", param: "app" });
      return;
    }
    submit.disabled = true;
    const list = models.value.split(",").map((m) => m.trim()).filter(Boolean);
    try {
      const created = await api("POST", "/admin/keys", { body: {
        app: appInput.value.trim(), role: role.value, name: name.value.trim() || null, models: list.length ? list : null,
        expires_at: expires.value || null,
      } });
      const me = session.load();
      form.reset();
      clear(slot, createdKeyPanel(created));
      if (me && !me.key) {
        // Dev mode ends with the first key. With an admin key, carry on signed in with it; otherwise
        // this page can no longer read keys, so say so instead of losing the key on screen.
        if (created.role === "admin") {
          session.save({ key: created.key, app: created.app, role: created.role, keyId: created.id });
          window.dispatchEvent(new Event("aiw:session"));
          await reloadTable();
        } else {
          slot.append(h("p", { class: "notice" }, "Dev mode has ended now that a key exists. "
            + "Create an admin key with the CLI (ai-workers keys create --app NAME --role admin) to keep using this page."));
        }
      } else {
        await reloadTable();
      }
      slot.querySelector("input").focus();
    } catch (error) {
      formError(form, message, error);
    } finally {
      submit.disabled = false;
    }
  });

  const dialog = h("dialog", { "aria-labelledby": "revoke-title" });
  const tableSlot = h("div", {});
  const revoke = (row) => {
    clear(dialog,
      h("form", { method: "dialog" },
        h("h2", { id: "revoke-title" }, `Revoke key ${row.id}?`),
        h("p", {}, `Apps using this key for ${row.app} get 401 at once. This cannot be undone.`),
        h("div", { class: "dialog-actions" },
          h("button", { value: "cancel", autofocus: true }, "Cancel"),
          h("button", { value: "revoke", class: "danger" }, "Revoke"))));
    dialog.onclose = async () => {
      if (dialog.returnValue !== "revoke") return;
      try {
        await api("DELETE", `/admin/keys/${encodeURIComponent(row.id)}`);
        await reloadTable();
      } catch (error) {
        clear(message, errorBox(error));
      }
    };
    dialog.returnValue = "";
    dialog.showModal();
  };
  const spend = await keySpend();
  const actions = keyActions({ slot, reload: () => reloadTable(), message });
  const render = (list) => clear(tableSlot, list.length === 0
    ? empty(app ? `No keys for ${app}.` : "No keys yet.", "Create one above; it is shown once.")
    : table("API keys", [
      { label: "Key id", value: (r) => h("code", {}, r.id) },
      { label: "App", value: (r) => r.app },
      { label: "Name", value: (r) => r.name || "–" },
      { label: "Role", value: (r) => (r.role === "admin" ? badge("admin", "warn") : "app") },
      { label: "Models", value: (r) => (r.allowed_models ? r.allowed_models.join(", ") : "any allowed") },
      { label: "Created", value: (r) => dateTime(r.created_at) },
      { label: "Last used", value: (r) => (r.last_used_at ? relative(r.last_used_at) : "never") },
      ...keyExtraColumns(spend),
      { label: "Status", value: (r) => (r.active ? badge("active", "ok") : badge(r.revoked_at ? "revoked" : "expired", "bad")) },
      { label: "Action", value: (r) => (r.active
        ? h("span", { class: "edit-row" }, actions(r),
          h("button", { type: "button", class: "danger small", onclick: () => revoke(r), "aria-label": `Revoke key ${r.id}` }, "Revoke"))
        : "–") },
    ], list, { "data-testid": "keys-table" }));
  async function reloadTable() {
    const fresh = await get("/admin/keys", withApp(app, { include_revoked: keyState.showRevoked ? "true" : "" }));
    render(fresh.data || []);
  }
  render(rows);
  const showRevoked = h("input", { type: "checkbox", id: "show-revoked", checked: keyState.showRevoked });
  showRevoked.addEventListener("change", () => { keyState.showRevoked = showRevoked.checked; refresh(); });
  return h("div", {},
    h("section", { class: "card" }, h("h2", {}, "Create a key"), form, slot),
    h("section", { class: "card" }, h("div", { class: "section-head" }, h("h2", {}, "Keys"),
      h("label", { class: "check" }, showRevoked, " Show revoked")), tableSlot),
    dialog);
}

// -- Audit ------------------------------------------------------------------------------------------

// Actions written by the safety package (blocks, overrides) and the key admin API.
const AUDIT_ACTIONS = ["", "phi_block", "safety_block", "override_grant", "override_used", "override_revoke",
  "key_create", "key_revoke", "key_rotate", "key_expiry", "app_create", "app_update", "budget_create", "budget_update",
  "budget_delete", "cache_invalidate", "cache_warm"];

function auditDetails(details) {
  const parts = [];
  if (details.safety_categories) parts.push(`categories: ${details.safety_categories.join(", ")}`);
  if (details.policy) parts.push(`policy: ${details.policy}`);
  if (details.code) parts.push(`code: ${details.code}`);
  if (details.override_id) parts.push(`override: ${details.override_id}`);
  if (details.key_id) parts.push(`key: ${details.key_id}`);
  if (details.role) parts.push(`role: ${details.role}`);
  if (details.new_key_id) parts.push(`new key: ${details.new_key_id}`);
  if (details.before && details.after) {
    for (const name of ["usd", "requests", "soft_pct"]) {
      if (details.before[name] !== details.after[name]) parts.push(`${name}: ${details.before[name] ?? "–"} → ${details.after[name] ?? "–"}`);
    }
  }
  return parts.length ? parts.join(" · ") : "–";
}
const auditState = { from: daysAgo(29), to: today(), action: "" };

async function audit({ app, refresh }) {
  const params = withApp(app, { from: auditState.from, to: auditState.to, action: auditState.action, limit: 100 });
  const [events, overrides] = await Promise.all([get("/api/audit", params), get("/api/overrides", withApp(app))]);
  const action = h("select", { name: "action" }, AUDIT_ACTIONS.map((a) =>
    h("option", { value: a, selected: a === auditState.action }, a || "all actions")));
  action.addEventListener("change", () => { auditState.action = action.value; refresh(); });
  const controls = h("form", { class: "controls", "aria-label": "Audit filters", onsubmit: (e) => e.preventDefault() },
    dateRange(auditState.from, auditState.to, (from, to) => { Object.assign(auditState, { from, to }); refresh(); }),
    field("Action", action));
  const columns = [
    { label: "Time", value: (r) => dateTime(r.ts) },
    { label: "App", value: (r) => r.app },
    { label: "Action", value: (r) => badge(r.action, /block/.test(r.action) ? "bad" : /override/.test(r.action) ? "warn" : "info") },
    { label: "Who", value: (r) => r.actor || "–" },
    { label: "Why", value: (r) => r.reason || "–" },
    { label: "Identifier types", value: (r) => (r.phi_types.length ? r.phi_types.join(", ") : "–") },
    { label: "Details", value: (r) => auditDetails(r.details || {}) },
    { label: "Request", value: (r) => (r.request_id ? h("code", {}, r.request_id) : "–") },
  ];
  const rows = [...events.data];
  const tableSlot = h("div", {});
  const more = h("button", { type: "button" }, "Load older events");
  const draw = (hasMore) => {
    clear(tableSlot, rows.length === 0
      ? empty("No audit events in this range.", "PHI and safety blocks, overrides and key changes appear here.")
      : table("Audit log (newest first)", columns, rows, { "data-testid": "audit-table" }));
    if (hasMore) tableSlot.append(more);
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      const next = await get("/api/audit", { ...params, before_id: rows[rows.length - 1].id });
      rows.push(...next.data);
      draw(next.has_more);
    } catch (error) {
      tableSlot.append(errorBox(error));
    } finally {
      more.disabled = false;
    }
  });
  draw(events.has_more);
  const overrideRows = overrides.data || [];
  const isAdmin = session.load()?.role === "admin";
  return h("div", {},
    h("section", { class: "card" }, h("h2", {}, "Blocks, overrides and admin actions"), controls, tableSlot),
    h("section", { class: "card" }, h("h2", {}, "Overrides"),
      isAdmin ? grantOverrideForm(app, refresh) : null,
      overrideRows.length === 0
        ? empty("No overrides granted.", "An admin override lets one request or an app pass a block for a limited time, with a reason.")
        : overridesTable(overrideRows, isAdmin, refresh)));
}

function grantOverrideForm(app, refresh) {
  const message = h("div", { role: "alert" });
  const appInput = h("input", { name: "app", value: app || "", required: true, autocomplete: "off" });
  const kind = h("select", { name: "kind" }, ["phi", "safety", "all"].map((k) => h("option", { value: k }, k)));
  const requestId = h("input", { name: "request_id", autocomplete: "off", placeholder: "empty: the whole app" });
  const hours = h("input", { name: "hours", type: "number", min: "0.1", step: "0.1", value: "1" });
  const reason = h("input", { name: "reason", required: true, autocomplete: "off", placeholder: "why this is allowed" });
  const submit = h("button", { type: "submit", class: "primary" }, "Grant override");
  const form = h("form", { class: "controls", "aria-label": "Grant an override", novalidate: true },
    field("App", appInput), field("Blocks to pass", kind), field("Request id (optional)", requestId),
    field("Hours", hours), field("Reason (required)", reason), submit, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, message, null);
    if (!appInput.value.trim() || !reason.value.trim()) {
      formError(form, message, { message: "An override needs the app and a reason; both are audited.",
        param: appInput.value.trim() ? "reason" : "app" });
      return;
    }
    submit.disabled = true;
    try {
      await api("POST", "/admin/safety/overrides", { body: {
        app: appInput.value.trim(), kind: kind.value, request_id: requestId.value.trim() || null,
        hours: Number(hours.value) || null, reason: reason.value.trim(),
      } });
      refresh();
    } catch (error) {
      formError(form, message, error);
      submit.disabled = false;
    }
  });
  return h("div", {}, form);
}

function overridesTable(rows, isAdmin, refresh) {
  const message = h("div", { role: "alert" });
  const dialog = h("dialog", { "aria-labelledby": "revoke-override-title" });
  const revoke = (row) => {
    const reason = h("input", { name: "reason", autocomplete: "off" });
    clear(dialog, h("form", { method: "dialog" },
      h("h2", { id: "revoke-override-title" }, `Revoke override ${row.id}?`),
      h("p", {}, `Requests of ${row.app} are blocked again at once.`),
      field("Reason (optional, audited)", reason),
      h("div", { class: "dialog-actions" },
        h("button", { value: "cancel", autofocus: true }, "Cancel"),
        h("button", { value: "revoke", class: "danger" }, "Revoke"))));
    dialog.onclose = async () => {
      if (dialog.returnValue !== "revoke") return;
      try {
        const params = reason.value.trim() ? `?reason=${encodeURIComponent(reason.value.trim())}` : "";
        await api("DELETE", `/admin/safety/overrides/${encodeURIComponent(row.id)}${params}`);
        refresh();
      } catch (error) {
        clear(message, errorBox(error));
      }
    };
    dialog.returnValue = "";
    dialog.showModal();
  };
  const columns = [
    { label: "Granted", value: (r) => dateTime(r.created_at) },
    { label: "App", value: (r) => r.app },
    { label: "Scope", value: (r) => (r.request_id ? `request ${r.request_id}` : "whole app") },
    { label: "Kind", value: (r) => r.kind },
    { label: "By", value: (r) => r.granted_by },
    { label: "Reason", value: (r) => r.reason },
    { label: "Expires", value: (r) => `${dateTime(r.expires_at)} (${relative(r.expires_at)})` },
    { label: "Status", value: (r) => (r.active ? badge("active", "warn") : badge(r.revoked ? "revoked" : r.used ? "used" : "expired", "info")) },
  ];
  if (isAdmin) {
    columns.push({ label: "Action", value: (r) => (r.active
      ? h("button", { type: "button", class: "danger small", onclick: () => revoke(r), "aria-label": `Revoke override ${r.id}` }, "Revoke")
      : "–") });
  }
  return h("div", {}, message, table("Overrides (newest first)", columns, rows, { "data-testid": "overrides-table" }), dialog);
}

// -- Cache (admin) ----------------------------------------------------------------------------------

function bytes(value) {
  if (value === null || value === undefined) return "–";
  const units = ["B", "KB", "MB", "GB"];
  let n = value;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

async function cache({ app, refresh }) {
  const stats = await get("/admin/cache/stats");
  const exact = stats.exact || {};
  const semantic = stats.semantic || {};
  const requests = Object.entries(stats.requests || {});
  const counts = requests.map(([kind, results]) => ({ kind, ...results }));
  const results = [...new Set(requests.flatMap(([, r]) => Object.keys(r)))].sort();
  const message = h("div", { role: "status" });
  const appInput = h("input", { name: "app", value: app || "", autocomplete: "off", placeholder: "any app" });
  const model = h("input", { name: "model", autocomplete: "off", placeholder: "any model" });
  const prefix = h("input", { name: "prefix", autocomplete: "off", placeholder: "key prefix" });
  const submit = h("button", { type: "submit", class: "danger" }, "Clear matching entries");
  const form = h("form", { class: "controls", "aria-label": "Clear cache entries" },
    field("App", appInput), field("Model", model), field("Key prefix", prefix), submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { app: appInput.value.trim() || null, model: model.value.trim() || null, prefix: prefix.value.trim() || null };
    if (!body.app && !body.model && !body.prefix) {
      formError(form, message, { message: "Name an app, a model or a key prefix; clearing everything is `ai-workers cache clear --all`.", param: "app" });
      return;
    }
    submit.disabled = true;
    try {
      const done = await api("POST", "/admin/cache/invalidate", { body });
      clear(message, h("p", { class: "notice", "data-testid": "cache-cleared" },
        `Removed ${num(done.removed.exact)} exact and ${num(done.removed.semantic)} semantic entries.`));
      setTimeout(refresh, 1500);
    } catch (error) {
      formError(form, message, error);
    } finally {
      submit.disabled = false;
    }
  });
  return h("div", {},
    h("section", { class: "card" }, h("h2", {}, "Store"),
      h("div", { class: "stats" },
        stat("Hit rate (this process)", pct(stats.hit_rate), "hits / looked-up requests", "cache-hit-rate", stats.hit_rate),
        stat(`Exact entries (${exact.backend || "?"})`, num(exact.entries),
          exact.max_entries ? `of ${num(exact.max_entries)} max` : null, "cache-exact-entries", exact.entries),
        stat("Exact bytes", bytes(exact.bytes), exact.max_bytes ? `of ${bytes(exact.max_bytes)} max` : null, "cache-exact-bytes", exact.bytes),
        stat(`Semantic entries (${semantic.backend || "?"})`, num(semantic.entries), `${bytes(semantic.bytes)}`, "cache-semantic-entries", semantic.entries),
        stat("Evictions / expirations", `${num(exact.evictions || 0)} / ${num(exact.expirations || 0)}`, null, "cache-evictions"))),
    h("section", { class: "card" }, h("h2", {}, "Lookups since the server started"), counts.length === 0
      ? empty("No cache lookups yet.")
      : table("Cache results per kind", [
        { label: "Kind", value: (r) => r.kind },
        ...results.map((name) => ({ label: name.replace("_", " "), value: (r) => num(r[name] || 0), num: true })),
      ], counts, { "data-testid": "cache-table" })),
    h("section", { class: "card" }, h("h2", {}, "Invalidate"),
      h("p", { class: "muted" }, "Entries matching every filter given are removed from the exact and the semantic cache; the action is audited."),
      form, message));
}

// -- A/B quality ------------------------------------------------------------------------------------

const qualityState = { from: daysAgo(6), to: today(), by: "provider,arm" };
const QUALITY_GROUPS = { "provider,arm": "Provider and arm", model: "Model", tier: "Tier", app: "App" };

async function quality({ app, refresh }) {
  const body = await get("/api/quality", withApp(app, { from: qualityState.from, to: qualityState.to, by: qualityState.by }));
  const rows = body.data || [];
  const groups = body.group_by || qualityState.by.split(",");
  const by = h("select", { name: "by" }, Object.entries(QUALITY_GROUPS).map(([value, label]) =>
    h("option", { value, selected: value === qualityState.by }, label)));
  by.addEventListener("change", () => { qualityState.by = by.value; refresh(); });
  const controls = h("form", { class: "controls", "aria-label": "Quality filters", onsubmit: (e) => e.preventDefault() },
    dateRange(qualityState.from, qualityState.to, (from, to) => { Object.assign(qualityState, { from, to }); refresh(); }),
    field("Group by", by));
  const none = { arm: "(no split)", provider: "(not sent)" }; // not sent: refused before any provider (budget, block)
  return h("div", {}, controls, rows.length === 0
    ? empty("No traffic in this range.", "With a traffic split configured, each arm's quality and cost appear here; users rate answers with POST /v1/feedback.")
    : table(`Quality per ${QUALITY_GROUPS[qualityState.by].toLowerCase()}`, [
      { label: groups.map((g) => g[0].toUpperCase() + g.slice(1)).join(" / "),
        value: (r) => groups.map((g) => r.group[g] || none[g] || "(none)").join(" / ") },
      { label: "Requests", value: (r) => num(r.requests), num: true },
      { label: "Error rate", value: (r) => pct(r.error_rate), num: true },
      { label: "p50", value: (r) => ms(r.latency_p50_ms), num: true },
      { label: "p95", value: (r) => ms(r.latency_p95_ms), num: true },
      { label: "Cost / request", value: (r) => usd(r.cost_per_request_usd), num: true },
      { label: "Satisfaction", value: (r) => (r.satisfaction === null ? "no ratings" : `${pct(r.satisfaction, 0)} of ${num(r.rated)}`), num: true },
    ], rows, { "data-testid": "quality-table" }));
}

export const PAGES = [
  { id: "overview", title: "Overview", render: overview, autoRefresh: true },
  { id: "requests", title: "Request log", render: requests },
  { id: "costs", title: "Costs", render: costs },
  { id: "budgets", title: "Budgets", render: budgets },
  { id: "providers", title: "Providers", render: providers, autoRefresh: true },
  { id: "apps", title: "Apps", render: appsPage, adminOnly: true },
  { id: "keys", title: "Keys", render: keys, adminOnly: true },
  { id: "alerts", title: "Alerts", render: alertsPage },
  { id: "safety", title: "Safety", render: safetyPage },
  { id: "cache", title: "Cache", render: cache, adminOnly: true },
  { id: "audit", title: "Audit", render: audit },
  { id: "quality", title: "A/B quality", render: quality },
  { id: "batches", title: "Batches", render: batches, autoRefresh: true },
];
