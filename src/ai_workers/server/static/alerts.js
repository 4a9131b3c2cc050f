// The alert history: budget thresholds, open circuits, providers down, free Workers AI neurons at
// 80%/100% and error-rate spikes, newest first, with whether the webhook took each one.

import { get } from "/dashboard/static/api.js";
import { badge, dateRange, dateTime, daysAgo, empty, field, h, table, today } from "/dashboard/static/ui.js";

const KIND_LABEL = { budget: "budget", circuit_open: "circuit open", provider_down: "provider down",
  neurons: "free neurons", error_rate: "error rate" };
const state = { from: daysAgo(29), to: today(), kind: "" };

export async function alertsPage({ app, refresh }) {
  const params = { from: state.from, to: state.to, kind: state.kind };
  if (app) params.app = app;
  const body = await get("/api/alerts", params);
  const rows = body.data || [];
  const kind = h("select", { name: "kind" }, ["", ...(body.kinds || Object.keys(KIND_LABEL))].map((k) =>
    h("option", { value: k, selected: k === state.kind }, k ? KIND_LABEL[k] || k : "all kinds")));
  kind.addEventListener("change", () => { state.kind = kind.value; refresh(); });
  const controls = h("form", { class: "controls", "aria-label": "Alert filters", onsubmit: (e) => e.preventDefault() },
    dateRange(state.from, state.to, (from, to) => { Object.assign(state, { from, to }); refresh(); }),
    field("Kind", kind));
  const content = rows.length === 0
    ? empty("No alerts in this range.", "Budget thresholds, open circuits, providers down, free neurons at 80% and 100% and error-rate spikes appear here and go to the configured webhook.")
    : table("Alerts (newest first)", [
      { label: "Time", value: (r) => dateTime(r.ts) },
      { label: "Kind", value: (r) => badge(KIND_LABEL[r.kind] || r.kind, r.severity === "critical" ? "bad" : "warn") },
      { label: "App", value: (r) => r.app || "–" },
      { label: "What happened", value: (r) => r.message },
      { label: "Webhook", value: (r) => (r.delivered ? badge("delivered", "ok") : r.delivery_error ? badge(`failed: ${r.delivery_error}`, "bad") : badge("not sent", "info")) },
    ], rows, { "data-testid": "alerts-table" });
  return h("div", {}, h("section", { class: "card" }, controls, h("div", { "data-range-content": true }, content)));
}
