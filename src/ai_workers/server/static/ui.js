// Small DOM and formatting helpers. Every string from the server goes in as text (textContent),
// never as HTML, so an app or user name cannot inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// -- formatting -----------------------------------------------------------------------------------

const numberFmt = new Intl.NumberFormat("en-US");

export function num(value) {
  return value === null || value === undefined ? "–" : numberFmt.format(value);
}

export function usd(value) {
  if (value === null || value === undefined) return "–";
  const abs = Math.abs(value);
  if (abs > 0 && abs < 0.000001) return value < 0 ? "-<$0.000001" : "<$0.000001";
  // Per-request costs are fractions of a cent: show enough digits to tell them apart.
  const digits = abs === 0 ? 2 : abs < 0.0001 ? 6 : abs < 0.01 ? 5 : abs < 1 ? 4 : 2;
  return (value < 0 ? "-$" : "$") + abs.toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: digits,
  });
}

export function pct(value, digits = 1) {
  // value is a ratio (0..1)
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return (value * 100).toFixed(digits) + "%";
}

// A share that never rounds up to 100% unless it is: 99.91% shows "99.9%" (floored to one decimal).
export function pctFloor(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return (Math.floor(value * 1000 + 1e-9) / 10).toFixed(1) + "%";
}

export function ms(value) {
  if (value === null || value === undefined) return "–";
  return value < 10 ? value.toFixed(2) + " ms" : Math.round(value) + " ms";
}

export function ratio(part, whole) {
  return whole ? part / whole : null;
}

export function dateTime(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

export function today() {
  return isoDay(new Date());
}

export function daysAgo(n) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - n);
  return isoDay(d);
}

export function monthStart() {
  const d = new Date();
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)));
}

export function relative(iso) {
  if (!iso) return "–";
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 90 ? [abs, "s"] : abs < 5400 ? [Math.round(abs / 60), "min"]
    : abs < 172800 ? [Math.round(abs / 3600), "h"] : [Math.round(abs / 86400), "d"];
  return seconds >= 0 ? `in ${value} ${unit}` : `${value} ${unit} ago`;
}

// -- building blocks ------------------------------------------------------------------------------

// raw: the unformatted number, kept in data-value for scripts and tests that read the page.
export function stat(label, value, detail, testid, raw) {
  return h("div", { class: "stat", "data-testid": testid, "data-value": raw ?? null },
    h("div", { class: "stat-label" }, label),
    h("div", { class: "stat-value" }, value),
    detail ? h("div", { class: "stat-detail" }, detail) : null);
}

export function empty(title, hint) {
  return h("div", { class: "empty", role: "status" }, h("p", { class: "empty-title" }, title),
    hint ? h("p", { class: "empty-hint" }, hint) : null);
}

export function errorBox(error) {
  return h("div", { class: "error", role: "alert" }, h("strong", {}, "Could not load this: "),
    error && error.message ? error.message : String(error));
}

// A form's own error: shown in the form (not as "Could not load this"), the field the server named
// (error.param, e.g. "app" or "budgets[0].usd") marked invalid, described by the message and focused.
export function formError(form, slot, error) {
  for (const el of form.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  }
  if (!error) return clear(slot);
  const id = `err-${Math.random().toString(36).slice(2, 9)}`;
  const message = error && error.message ? error.message : String(error);
  clear(slot, h("p", { class: "form-error", role: "alert", id, "data-testid": "form-error" }, message));
  const param = error && error.param ? String(error.param) : "";
  const names = [param, param.split(/[.[]/)[0], param.replace(/\[\d+\]/g, "")].filter(Boolean);
  let input = null;
  for (const name of names) {
    input = form.querySelector(`[name="${CSS.escape(name)}"]`) || form.querySelector(`[name="${CSS.escape(name.split(".").pop())}"]`);
    if (input) break;
  }
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
    input.focus();
  }
  return slot;
}

export function loading() {
  return h("p", { class: "loading", role: "status" }, "Loading…");
}

export function badge(text, kind) {
  return h("span", { class: `badge badge-${kind}` }, text);
}

// columns: [{label, value: row => text|Node, num: bool, csv: row => value}]
export function table(caption, columns, rows, attrs = {}) {
  return h("div", { class: "table-wrap" },
    h("table", attrs,
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)))),
      h("tbody", {}, rows.map((row) => h("tr", {},
        columns.map((c, i) => h(i === 0 ? "th" : "td", { scope: i === 0 ? "row" : null, class: c.num ? "num" : null },
          c.value(row))))))));
}

function csvCell(value) {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export function download(filename, text, type = "text/csv") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input,
    hint ? h("small", { class: "hint" }, hint) : null);
}

export function dateRange(from, to, onChange) {
  const start = h("input", { type: "date", value: from, max: today(), name: "from" });
  const end = h("input", { type: "date", value: to, max: today(), name: "to" });
  // From after To: say so next to the inputs and send no request (the table below is not replaced).
  const problem = h("p", { class: "form-error", role: "alert", id: `range-${Math.random().toString(36).slice(2, 9)}`,
    "data-testid": "range-error", hidden: true });
  const fire = () => {
    const bad = start.value && end.value && start.value > end.value;
    problem.hidden = !bad;
    problem.textContent = bad ? `"From" (${start.value}) is after "To" (${end.value}): pick a From on or before To.` : "";
    for (const input of [start, end]) {
      if (bad) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", problem.id); }
      else { input.removeAttribute("aria-invalid"); input.removeAttribute("aria-describedby"); }
    }
    const content = start.closest("main")?.querySelector("[data-range-content]");
    if (content) content.classList.toggle("stale", Boolean(bad));
    if (!bad && start.value && end.value) onChange(start.value, end.value);
  };
  start.addEventListener("change", fire);
  end.addEventListener("change", fire);
  return [field("From", start), field("To", end), problem];
}
