// Batches page: the app's batch jobs (admins: every app) with status and progress, from /api/batches.
import { get } from "/dashboard/static/api.js";
import { badge, empty, h, num, pct, table } from "/dashboard/static/ui.js";

const STATUS_KIND = { completed: "ok", in_progress: "warn", validating: "warn", finalizing: "warn",
  cancelling: "warn", failed: "bad", cancelled: "bad", expired: "bad" };

export async function batches({ app }) {
  const body = await get("/api/batches", app ? { app, limit: 100 } : { limit: 100 });
  const rows = body.data || [];
  if (rows.length === 0) {
    return empty("No batches yet.", "Send one with the OpenAI SDK (client.batches.create) or `ai-workers batch submit FILE.jsonl`.");
  }
  return table("Batch jobs, newest first", [
    { label: "Batch", value: (r) => r.id },
    { label: "App", value: (r) => r.app },
    { label: "Status", value: (r) => badge(r.status.replace("_", " "), STATUS_KIND[r.status] || "warn") },
    { label: "Progress", value: (r) => h("progress", { max: 1, value: r.progress, "aria-label": `${pct(r.progress, 0)} done` }) },
    { label: "Done", value: (r) => num(r.request_counts.completed), num: true },
    { label: "Failed", value: (r) => num(r.request_counts.failed), num: true },
    { label: "Lines", value: (r) => num(r.request_counts.total), num: true },
    { label: "Created", value: (r) => new Date(r.created_at * 1000).toLocaleString() },
  ], rows, { "data-testid": "batches-table" });
}
