// The Safety page: PHI redactions and blocks by app and identifier type over time, content flagged or
// blocked by the safety model, and overrides used. Counts and types only: never a value.

import { get } from "/dashboard/static/api.js";
import { dateRange, daysAgo, empty, h, num, stat, table, today } from "/dashboard/static/ui.js";

const state = { from: daysAgo(6), to: today() };

export async function safetyPage({ app, refresh }) {
  const params = { from: state.from, to: state.to };
  if (app) params.app = app;
  const body = await get("/api/safety/summary", params);
  const t = body.totals || {};
  const controls = h("form", { class: "controls", "aria-label": "Safety filters", onsubmit: (e) => e.preventDefault() },
    dateRange(state.from, state.to, (from, to) => { Object.assign(state, { from, to }); refresh(); }));
  const days = (body.days || []).filter((d) => d.redactions || d.blocked || d.flagged);
  const section = (title, node) => h("section", { class: "card" }, h("h2", {}, title), node);
  const content = h("div", { "data-range-content": true },
    h("section", { class: "card", "data-testid": "safety-totals" }, h("div", { class: "stats" },
      stat("Requests with PHI redacted", num(t.redacted_requests), `${num(t.redactions)} identifiers replaced`, "safety-redacted", t.redacted_requests),
      stat("Blocked", num(t.blocked), "PHI policy or content safety", "safety-blocked", t.blocked),
      stat("Flagged", num(t.flagged), "content safety, let through", "safety-flagged", t.flagged),
      stat("Overrides used", num(t.overrides_used), "blocks passed by an admin", "safety-overrides", t.overrides_used))),
    section("By day and app", days.length === 0 ? empty("No redactions, blocks or flags in this range.") : table(
      "Redactions, blocks and flags per day and app", [
        { label: "Day", value: (d) => d.day },
        { label: "App", value: (d) => d.app },
        { label: "Requests", value: (d) => num(d.requests), num: true },
        { label: "Redacted requests", value: (d) => num(d.redacted_requests), num: true },
        { label: "Identifiers redacted", value: (d) => num(d.redactions), num: true },
        { label: "Blocked", value: (d) => num(d.blocked), num: true },
        { label: "Flagged", value: (d) => num(d.flagged), num: true },
      ], days, { "data-testid": "safety-days" })),
    section("Identifier types", (body.types || []).length === 0 ? empty("No identifiers found in this range.") : table(
      "Requests holding each identifier type (types only, never values)", [
        { label: "Type", value: (r) => r.type },
        { label: "App", value: (r) => r.app },
        { label: "Requests", value: (r) => num(r.requests), num: true },
        { label: "Redacted", value: (r) => num(r.redacted), num: true },
        { label: "Blocked", value: (r) => num(r.blocked), num: true },
      ], body.types, { "data-testid": "safety-types" })),
    section("Blocks and overrides", (body.actions || []).length === 0 ? empty("No blocks or overrides in this range.") : h("div", {},
      table("Audited safety actions per app", [
        { label: "App", value: (r) => r.app },
        { label: "Action", value: (r) => r.action.replace("_", " ") },
        { label: "Count", value: (r) => num(r.count), num: true },
      ], body.actions, { "data-testid": "safety-actions" }),
      (body.block_categories || []).length === 0 ? null : table("Content-safety categories of the blocks", [
        { label: "Category", value: (r) => r.category },
        { label: "App", value: (r) => r.app },
        { label: "Blocks", value: (r) => num(r.count), num: true },
      ], body.block_categories, { "data-testid": "safety-categories" }))));
  return h("div", {}, controls, content);
}
