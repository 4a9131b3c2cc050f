// Time-series charts with uPlot (vendored and pinned: /dashboard/static/vendor/, see its README.md).
// uPlot is a classic script (window.uPlot), loaded on first use so pages without a chart never fetch it.
// Every chart has a text summary for screen readers and a data table behind "Show as a table".

import { h, num } from "/dashboard/static/ui.js";

const UPLOT_JS = "/dashboard/static/vendor/uplot-1.6.32.iife.min.js";
const UPLOT_CSS = "/dashboard/static/vendor/uplot-1.6.32.min.css";
// Colour-blind-safe palette (Okabe-Ito), readable on light and dark cards.
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];

let loading = null;

export function loadUplot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      document.head.append(h("link", { rel: "stylesheet", href: UPLOT_CSS }));
      const script = h("script", { src: UPLOT_JS });
      script.addEventListener("load", () => resolve(window.uPlot));
      script.addEventListener("error", () => {
        loading = null;
        reject(new Error("The chart library could not be loaded."));
      });
      document.head.append(script);
    });
  }
  return loading;
}

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function tickLabel(bucket) {
  // UTC labels: hours for hourly buckets (with the day at midnight), month-day for daily ones.
  return (u, splits) => splits.map((t) => {
    const d = new Date(t * 1000);
    const iso = d.toISOString();
    if (bucket === "day") return iso.slice(5, 10);
    return d.getUTCHours() === 0 ? iso.slice(5, 10) : iso.slice(11, 16);
  });
}

// data: {t: [unix s], bucket}, lines: [{name, values: [number|null]}], format: value -> text
export async function lineChart(data, lines, { label, format, height = 260 }) {
  const box = h("div", { class: "uchart", role: "img", "data-testid": "chart" });
  const total = lines.map((l) => l.values.reduce((s, v) => s + (v || 0), 0));
  box.setAttribute("aria-label", `${label}: ${lines.map((l, i) => `${l.name} ${format(total[i])}`).join(", ")}`);
  const uPlot = await loadUplot();
  const text = cssVar("--muted", "#5b6475");
  const grid = cssVar("--line", "#dfe3ea");
  const font = "12px system-ui, sans-serif";
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font };
  const options = {
    width: 600,
    height,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      { ...axis, values: tickLabel(data.bucket), space: 60 },
      { ...axis, values: (u, splits) => splits.map(format), size: 70 },
    ],
    series: [
      { label: "Time (UTC)", value: (u, t) => (t === null ? "–" : new Date(t * 1000).toISOString().slice(data.bucket === "day" ? 0 : 5, data.bucket === "day" ? 10 : 16).replace("T", " ")) },
      ...lines.map((line, i) => ({
        label: line.name,
        stroke: COLOURS[i % COLOURS.length],
        width: 2,
        points: { show: data.t.length <= 31 },
        value: (u, v) => (v === null || v === undefined ? "–" : format(v)),
        spanGaps: false,
      })),
    ],
  };
  const chart = new uPlot(options, [data.t, ...lines.map((l) => l.values)], box);
  // Follow the card's width (phones, resized windows) instead of a fixed canvas.
  const fit = () => {
    const width = Math.max(240, Math.floor(box.clientWidth));
    if (width && Math.abs(width - chart.width) > 1) chart.setSize({ width, height });
  };
  new ResizeObserver(fit).observe(box);
  requestAnimationFrame(fit);
  return box;
}

export function dataTable(data, lines, format) {
  const stamp = (t) => new Date(t * 1000).toISOString().slice(0, data.bucket === "day" ? 10 : 16).replace("T", " ");
  return h("div", { class: "table-wrap" }, h("table", {},
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Time (UTC)"),
      lines.map((l) => h("th", { scope: "col", class: "num" }, l.name)))),
    h("tbody", {}, data.t.map((t, i) => h("tr", {}, h("th", { scope: "row" }, stamp(t)),
      lines.map((l) => h("td", { class: "num" }, l.values[i] === null ? "–" : format(l.values[i]))))))));
}

export const countFormat = (v) => num(Math.round(v));
