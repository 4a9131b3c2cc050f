"""Time series for the dashboard's charts and the overview's figures, from the hourly roll-up.

Presets are UTC: "today" (24 hourly points), "7d" (the last 7 days, hourly), "month" (this month, daily).
A series is the total, or one per app or model (the largest by requests; the rest summed as "other"),
each with requests, errors, tokens, cost and latency p50/p95 per point, zeros where nothing happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ai_workers.core.errors import InvalidRequestError
from ai_workers.db.engine import Database
from ai_workers.db.models import LATENCY_COLUMNS
from ai_workers.usage import hourly

PRESETS = ("today", "7d", "month")
GROUPS = ("total", "app", "model")
MAX_SERIES = 8
OTHER = "(other)"


@dataclass(frozen=True, slots=True)
class Window:
    since: dt.datetime
    until: dt.datetime
    bucket: str  # hour | day

    @property
    def step(self) -> dt.timedelta:
        return dt.timedelta(hours=1) if self.bucket == "hour" else dt.timedelta(days=1)

    def points(self) -> list[dt.datetime]:
        out, at = [], self.since
        while at < self.until:
            out.append(at)
            at += self.step
        return out


def window(preset: str, now: dt.datetime) -> Window:
    midnight = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    next_hour = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    if preset == "today":
        return Window(midnight, midnight + dt.timedelta(days=1), "hour")
    if preset == "7d":
        return Window(next_hour - dt.timedelta(days=7), next_hour, "hour")
    if preset == "month":
        first = midnight.replace(day=1)
        return Window(first, midnight + dt.timedelta(days=1), "day")
    raise InvalidRequestError(f"preset: expected one of {', '.join(PRESETS)}, got '{preset}'", param="preset")


# What each chart metric needs summed (the latency histogram only when latency is drawn).
METRICS: dict[str, tuple[str, ...]] = {
    "requests": ("requests",),
    "errors": ("errors", "refused"),
    "latency": LATENCY_COLUMNS,
    "tokens": ("input_tokens", "output_tokens"),
    "cost": ("cost_usd",),
}


def _point(m: dict[str, float] | None, metric: str) -> dict[str, Any]:
    m = m or {}
    point: dict[str, Any] = {"requests": int(m.get("requests", 0))}
    if metric == "errors":
        point.update(errors=int(m.get("errors", 0)), refused=int(m.get("refused", 0)))
    elif metric == "latency":
        point.update(p50_ms=hourly.percentile(m, 0.5), p95_ms=hourly.percentile(m, 0.95))
    elif metric == "tokens":
        point["tokens"] = int(m.get("input_tokens", 0) + m.get("output_tokens", 0))
    elif metric == "cost":
        point["cost_usd"] = round(float(m.get("cost_usd", 0.0)), 9)
    return point


async def series(
    database: Database,
    preset: str,
    *,
    by: str = "total",
    metric: str = "requests",
    app: str | None = None,
    model: str | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Points per hour (or day) of one metric: ``requests``, ``errors`` (and refused), ``latency``
    (p50_ms, p95_ms), ``tokens`` or ``cost`` (cost_usd); every series also carries ``requests``."""
    if by not in GROUPS:
        raise InvalidRequestError(f"by: expected one of {', '.join(GROUPS)}, got '{by}'", param="by")
    if metric not in METRICS:
        raise InvalidRequestError(
            f"metric: expected one of {', '.join(METRICS)}, got '{metric}'", param="metric"
        )
    win = window(preset, now or dt.datetime.now(dt.UTC))
    merged = await hourly.grouped(
        database, win.since, win.until, bucket=win.bucket, by=None if by == "total" else by,
        app=app, model=model, measures=METRICS[metric],
    )  # fmt: skip
    totals: dict[str | None, float] = {}
    for (_, key), m in merged.items():
        totals[key] = totals.get(key, 0) + m["requests"]
    keys = sorted(totals, key=lambda k: (-totals[k], k or ""))
    kept = set(keys if len(keys) <= MAX_SERIES else keys[: MAX_SERIES - 1])
    folded: dict[tuple[dt.datetime | None, str | None], dict[str, float]] = {}
    for (bucket, key), m in merged.items():
        name = key if key in kept else OTHER
        slot = folded.get((bucket, name))
        if slot is None:
            folded[(bucket, name)] = dict(m)
        else:
            for measure, value in m.items():
                slot[measure] += value
    names: list[str | None] = [k for k in keys if k in kept] + ([OTHER] if len(kept) < len(keys) else [])
    if by == "total":
        names = [None]
    points = win.points()
    out_series = []
    for name in names:
        values = [_point(folded.get((at, name)), metric) for at in points]
        out_series.append({"name": name or "all", **{f: [v[f] for v in values] for f in values[0]}})
    return {
        "preset": preset,
        "bucket": win.bucket,
        "metric": metric,
        "from": win.since.isoformat(),
        "to": win.until.isoformat(),
        "t": [int(at.timestamp()) for at in points],
        "by": by,
        "series": out_series,
        "latency_note": "p50/p95 are estimated from a latency histogram (within one bucket's width).",
    }


OVERVIEW_MEASURES = (
    "requests", "errors", "refused", "cache_hits", "cost_usd", "list_cost_usd", "input_tokens",
    "output_tokens", "phi_requests", "phi_redactions", "phi_blocks", "safety_blocks",
)  # fmt: skip


async def overview(database: Database, *, app: str | None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Per app: requests, errors, cost today and this month; PHI redactions and blocks."""
    current = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    midnight = current.replace(hour=0, minute=0, second=0, microsecond=0)
    first = midnight.replace(day=1)
    until = midnight + dt.timedelta(days=1)
    options: dict[str, Any] = {"bucket": "day", "by": "app", "app": app, "measures": OVERVIEW_MEASURES}
    per_day = await hourly.grouped(database, first, until, **options)  # one scan: the month, per day
    today: dict[str | None, dict[str, float]] = {}
    month: dict[str | None, dict[str, float]] = {}
    for (day, key), m in per_day.items():
        targets = [month, today] if day == midnight else [month]
        for target in targets:
            slot = target.setdefault(key, dict.fromkeys(OVERVIEW_MEASURES, 0))
            for measure in OVERVIEW_MEASURES:
                slot[measure] += m.get(measure, 0)
    apps = sorted(set(month) | set(today), key=lambda k: k or "")
    total_today = dict.fromkeys(OVERVIEW_MEASURES, 0.0)
    total_month = dict.fromkeys(OVERVIEW_MEASURES, 0.0)
    per_app = []
    for name in apps:
        t = today.get(name) or dict.fromkeys(OVERVIEW_MEASURES, 0)
        m = month.get(name) or dict.fromkeys(OVERVIEW_MEASURES, 0)
        for measure in OVERVIEW_MEASURES:
            total_today[measure] += t[measure]
            total_month[measure] += m[measure]
        per_app.append({"app": name, "today": _figures(t), "month": _figures(m)})
    return {
        "day": midnight.date().isoformat(),
        "month_start": first.date().isoformat(),
        "apps": per_app,
        "totals": {"today": _figures(total_today), "month": _figures(total_month)},
    }


def _figures(m: dict[str, float]) -> dict[str, Any]:
    return {
        "requests": int(m["requests"]),
        "errors": int(m["errors"]),
        "refused": int(m["refused"]),
        "cache_hits": int(m["cache_hits"]),
        "cost_usd": round(float(m["cost_usd"]), 9),
        "list_cost_usd": round(float(m["list_cost_usd"]), 9),
        "tokens": int(m["input_tokens"] + m["output_tokens"]),
        "phi_requests": int(m["phi_requests"]),
        "phi_redactions": int(m["phi_redactions"]),
        "phi_blocks": int(m["phi_blocks"]),
        "safety_blocks": int(m["safety_blocks"]),
    }
