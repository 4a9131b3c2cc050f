// Apps, budgets and key lifecycle for admins: create an app with its policy and budgets, change a
// budget, rotate a key with a grace period, set its expiry, see spend per key. Every change goes
// through the admin API (/admin/apps, /admin/budgets, /admin/keys/...), which audits it and applies it
// on every worker within seconds. Form errors stay in the form, on the field the server named.

import { api, get } from "/dashboard/static/api.js";
import { badge, clear, dateTime, empty, field, formError, h, num, relative, table, today, usd } from "/dashboard/static/ui.js";

const POLICIES = ["", "block", "redact", "allow", "off"];
const SOURCE = { config: ["config file", "info"], console: ["console", "ok"], default: ["default app", "info"] };

const models = (text) => text.split(",").map((m) => m.trim()).filter(Boolean);
const numberOrNull = (input) => (input.value.trim() === "" ? null : Number(input.value));

function budgetSummary(b) {
  const limits = [b.usd !== null && b.usd !== undefined ? usd(b.usd) : null,
    b.requests ? `${num(b.requests)} requests` : null].filter(Boolean).join(" + ");
  return `${b.period}${b.scope === "user" ? ` per user${b.user ? ` ${b.user}` : ""}` : ""}: ${limits || "–"}`;
}

function createAppForm(refresh) {
  const message = h("div", {});
  const name = h("input", { name: "name", required: true, maxlength: 100, autocomplete: "off", placeholder: "e.g. clinic-notes" });
  const description = h("input", { name: "description", autocomplete: "off", placeholder: "what the app does" });
  const policy = h("select", { name: "phi_policy" }, POLICIES.map((p) => h("option", { value: p }, p || "default (safety settings)")));
  const allowed = h("input", { name: "allowed_models", autocomplete: "off", placeholder: "any model" });
  const daily = h("input", { name: "daily_usd", type: "number", min: "0", step: "0.01", placeholder: "none" });
  const monthly = h("input", { name: "monthly_usd", type: "number", min: "0", step: "0.01", placeholder: "none" });
  const submit = h("button", { type: "submit", class: "primary" }, "Create app");
  const form = h("form", { class: "controls", "aria-label": "Create an app", novalidate: true },
    field("Name", name), field("Description (optional)", description), field("PHI policy", policy),
    field("Allowed models (optional, comma-separated)", allowed), field("Daily budget, USD (optional)", daily),
    field("Monthly budget, USD (optional)", monthly), submit, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, message, null);
    if (!name.value.trim()) {
      formError(form, message, { message: "Enter the app's name.", param: "name" });
      return;
    }
    const budgets = [];
    for (const [input, period] of [[daily, "daily"], [monthly, "monthly"]]) {
      input.name = `${period}_usd`;
      if (input.value.trim() !== "") {
        input.name = `budgets[${budgets.length}].usd`; // the server names budgets by index
        budgets.push({ period, usd: Number(input.value) });
      }
    }
    submit.disabled = true;
    try {
      const created = await api("POST", "/admin/apps", { body: {
        name: name.value.trim(), description: description.value.trim() || null, phi_policy: policy.value || null,
        allowed_models: models(allowed.value).length ? models(allowed.value) : null, budgets,
      } });
      form.reset();
      clear(message, h("p", { class: "notice", role: "status", "data-testid": "app-created" },
        `App ${created.name} created: every worker applies it within seconds. Keys can be made for it now.`));
      setTimeout(refresh, 1200);
    } catch (error) {
      formError(form, message, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function editAppRow(app, refresh) {
  const message = h("div", {});
  const description = h("input", { name: "description", value: app.description || "", autocomplete: "off" });
  const policy = h("select", { name: "phi_policy" }, POLICIES.map((p) => h("option", { value: p, selected: (app.phi_policy || "") === p }, p || "default")));
  const allowed = h("input", { name: "allowed_models", value: (app.allowed_models || []).join(", "), autocomplete: "off" });
  const save = h("button", { type: "submit", class: "small" }, "Save");
  const form = h("form", { class: "edit-row", "aria-label": `Edit app ${app.name}`, novalidate: true },
    field("Description", description), field("PHI policy", policy), field("Allowed models", allowed), save, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, message, null);
    try {
      await api("PATCH", `/admin/apps/${encodeURIComponent(app.name)}`, { body: {
        description: description.value.trim() || null, phi_policy: policy.value || null,
        allowed_models: models(allowed.value).length ? models(allowed.value) : null,
      } });
      refresh();
    } catch (error) {
      formError(form, message, error);
    }
  });
  return form;
}

export async function appsPage({ refresh }) {
  const body = await get("/admin/apps");
  const apps = body.data || [];
  const list = apps.length === 0 ? empty("No apps yet.", "Create one above.") : table("Apps", [
    { label: "App", value: (a) => a.name },
    { label: "Defined in", value: (a) => badge(...(SOURCE[a.source] || [a.source, "info"])) },
    { label: "PHI policy", value: (a) => a.phi_policy || "default" },
    { label: "Models", value: (a) => (a.allowed_models ? a.allowed_models.join(", ") : "any") },
    { label: "Budgets", value: (a) => (a.budgets.length ? h("ul", { class: "plain" }, a.budgets.map((b) => h("li", {}, budgetSummary(b)))) : "none") },
    { label: "Edit", value: (a) => (a.editable ? h("details", {}, h("summary", {}, "Edit"), editAppRow(a, refresh))
      : h("span", { class: "muted" }, a.source === "config" ? "in the config file" : "–")) },
  ], apps, { "data-testid": "apps-table" });
  return h("div", {},
    h("section", { class: "card" }, h("h2", {}, "Create an app"),
      h("p", { class: "muted" }, "Keys can only be made for apps that exist. Apps in the config file are changed there."),
      createAppForm(refresh)),
    h("section", { class: "card" }, h("h2", {}, "Apps"), list));
}

// -- budgets (on the Budgets page, for admins) --------------------------------------------------------

function budgetRowForm(b, refresh) {
  const message = h("div", {});
  const amount = h("input", { name: "usd", type: "number", min: "0", step: "0.01", value: b.usd ?? "", "aria-label": `USD limit of budget ${b.id}` });
  const requests = h("input", { name: "requests", type: "number", min: "1", step: "1", value: b.requests ?? "", "aria-label": `Request limit of budget ${b.id}` });
  const soft = h("input", { name: "soft_pct", type: "number", min: "1", max: "100", step: "1", value: b.soft_pct, "aria-label": `Soft limit % of budget ${b.id}` });
  const save = h("button", { type: "submit", class: "small primary" }, "Save");
  const remove = h("button", { type: "button", class: "small danger" }, "Remove");
  const form = h("form", { class: "edit-row", "aria-label": `Budget ${b.id} of ${b.app}`, novalidate: true },
    amount, requests, soft, save, remove, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, message, null);
    try {
      await api("PATCH", `/admin/budgets/${b.id}`, { body: {
        usd: numberOrNull(amount), requests: numberOrNull(requests), soft_pct: numberOrNull(soft) ?? 80,
      } });
      refresh();
    } catch (error) {
      formError(form, message, error);
    }
  });
  remove.addEventListener("click", async () => {
    try {
      await api("DELETE", `/admin/budgets/${b.id}`);
      refresh();
    } catch (error) {
      formError(form, message, error);
    }
  });
  return form;
}

export async function budgetEditor({ app, refresh }) {
  const body = await get("/admin/apps");
  const apps = (body.data || []).filter((a) => !app || a.name === app);
  const rows = apps.flatMap((a) => a.budgets.filter((b) => b.source === "console"));
  const message = h("div", {});
  const appSelect = h("select", { name: "app" }, apps.map((a) => h("option", { value: a.name, selected: a.name === app }, a.name)));
  const period = h("select", { name: "period" }, ["daily", "monthly"].map((p) => h("option", { value: p }, p)));
  const amount = h("input", { name: "usd", type: "number", min: "0", step: "0.01", placeholder: "none" });
  const requests = h("input", { name: "requests", type: "number", min: "1", step: "1", placeholder: "none" });
  const soft = h("input", { name: "soft_pct", type: "number", min: "1", max: "100", step: "1", value: "80" });
  const submit = h("button", { type: "submit", class: "primary" }, "Add budget");
  const form = h("form", { class: "controls", "aria-label": "Add a budget", novalidate: true },
    field("App", appSelect), field("Period", period), field("Limit, USD", amount), field("Limit, requests", requests),
    field("Soft limit, %", soft), submit, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, message, null);
    try {
      await api("POST", "/admin/budgets", { body: {
        app: appSelect.value, period: period.value, usd: numberOrNull(amount), requests: numberOrNull(requests),
        soft_pct: numberOrNull(soft) ?? 80,
      } });
      refresh();
    } catch (error) {
      formError(form, message, error);
    }
  });
  return h("section", { class: "card", "data-testid": "budget-editor" }, h("h2", {}, "Edit budgets"),
    h("p", { class: "muted" }, "Changes apply on every worker within seconds and are audited. Budgets in the config file are changed there."),
    rows.length === 0 ? h("p", { class: "muted" }, "No budgets made in the console yet.") : table("Budgets made in the console", [
      { label: "App", value: (b) => b.app },
      { label: "Period", value: (b) => b.period },
      { label: "USD · requests · soft %", value: (b) => budgetRowForm(b, refresh) },
    ], rows, { "data-testid": "budget-edit-table" }),
    form);
}

// -- keys: expiry, rotation and spend (columns and actions of the Keys page) --------------------------

export async function keySpend() {
  try {
    return (await get("/admin/keys/spend", { days: 30 })).data || {};
  } catch {
    return {};
  }
}

export function keyExtraColumns(spend) {
  return [
    { label: "Expires", value: (r) => (r.expires_at ? `${dateTime(r.expires_at)} (${relative(r.expires_at)})` : "never") },
    { label: "Spend, 30 days", num: true, value: (r) => {
      const s = spend[r.id];
      return s ? `${usd(s.cost_usd)} · ${num(s.requests)} req` : usd(0);
    } },
  ];
}

export function keyActions({ slot, reload, message }) {
  const dialog = h("dialog", { "aria-labelledby": "rotate-title" });
  document.body.append(dialog);
  return (row) => {
    const open = () => {
      const grace = h("input", { name: "grace_hours", type: "number", min: "0", max: "720", step: "1", value: "24" });
      const expiry = h("input", { name: "expires_at", type: "date", min: today(), value: row.expires_at ? row.expires_at.slice(0, 10) : "" });
      const error = h("div", {});
      const form = h("form", { method: "dialog", novalidate: true },
        h("h2", { id: "rotate-title" }, `Key ${row.id}`),
        h("p", {}, "Rotate: a new key with the same app, role and models; the old one keeps working for the grace period."),
        field("Grace period, hours", grace),
        h("div", { class: "dialog-actions" },
          h("button", { value: "cancel" }, "Cancel"),
          h("button", { value: "rotate", class: "primary" }, "Rotate")),
        h("hr", {}),
        field("Expires on (empty: never)", expiry),
        h("div", { class: "dialog-actions" }, h("button", { value: "expiry" }, "Set expiry")), error);
      clear(dialog, form);
      dialog.onclose = async () => {
        try {
          if (dialog.returnValue === "rotate") {
            const done = await api("POST", `/admin/keys/${encodeURIComponent(row.id)}/rotate`, { body: { grace_hours: Number(grace.value) } });
            const input = h("input", { type: "text", readonly: true, value: done.new.key, class: "mono", "aria-label": "New API key", "data-testid": "new-key" });
            clear(slot, h("div", { class: "card created", role: "alert" },
              h("h2", {}, `Key ${row.id} rotated: new key ${done.new.id}`),
              h("p", {}, h("strong", {}, "Copy it now: this is the only time it is shown."),
                ` The old key works until ${dateTime(done.old.expires_at)}.`),
              h("div", { class: "copy-row" }, input)));
            await reload();
          } else if (dialog.returnValue === "expiry") {
            await api("PATCH", `/admin/keys/${encodeURIComponent(row.id)}`, { body: { expires_at: expiry.value || null } });
            await reload();
          }
        } catch (err) {
          formError(form, message, err);
        }
      };
      dialog.returnValue = "";
      dialog.showModal();
    };
    return h("button", { type: "button", class: "small", onclick: open, "aria-label": `Rotate or expire key ${row.id}` }, "Rotate / expire");
  };
}
