// Cost per day as an inline SVG bar chart: no library, crisp at any size, readable by screen readers
// (role="img" with a summary, a <title> per bar) and backed by a data table for keyboard users.

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function niceMax(value) {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * exp >= value) return step * exp;
  return 10 * exp;
}

// points: [{day: "2026-11-01", value: 1.23}], format: value -> label
export function barChart(points, { label, format }) {
  const width = 720;
  const height = 240;
  const pad = { top: 16, right: 12, bottom: 34, left: 64 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", preserveAspectRatio: "xMidYMid meet",
    "aria-label": `${label}: ${points.length} days, total ${format(total)}, highest day ${format(max === 1 && total === 0 ? 0 : Math.max(...points.map((p) => p.value)))}`,
  });
  for (let i = 0; i <= 5; i++) { // 5 steps of a 1-2-5 maximum: round tick values
    const y = pad.top + innerH - (innerH * i) / 5;
    svg.append(s("line", { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: "grid" }));
    svg.append(s("text", { x: pad.left - 8, y: y + 4, "text-anchor": "end", class: "axis" }, format((max * i) / 5)));
  }
  const slot = innerW / Math.max(points.length, 1);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const labelEvery = Math.ceil(points.length / 10);
  points.forEach((p, i) => {
    const x = pad.left + slot * i + (slot - barW) / 2;
    const barH = (innerH * p.value) / max;
    const bar = s("rect", {
      x, y: pad.top + innerH - barH, width: barW, height: Math.max(barH, p.value > 0 ? 1 : 0), rx: 2, class: "chart-bar",
    });
    bar.append(s("title", {}, `${p.day}: ${format(p.value)}`));
    svg.append(bar);
    if ((points.length - 1 - i) % labelEvery === 0) { // counted back from today, so today is labelled
      svg.append(s("text", { x: x + barW / 2, y: height - pad.bottom + 16, "text-anchor": "middle", class: "axis" },
        p.day.slice(5)));
    }
  });
  return svg;
}

// Every day between from and to (inclusive), filled with 0 where the data has no entry.
export function fillDays(from, to, byDay) {
  const out = [];
  const end = new Date(`${to}T00:00:00Z`);
  for (let d = new Date(`${from}T00:00:00Z`); d <= end; d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    out.push({ day, value: byDay.get(day) || 0 });
  }
  return out;
}
