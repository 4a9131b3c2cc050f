"""Reports over usage records and daily summaries, shared by the CLI and the dashboard API.

Each report is a plain ``Report`` (title, columns, rows, totals) that renders to Markdown, CSV or JSON
here and to a rich table in the CLI, so the terminal, the files and ``/api/*`` show the same numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from sqlalchemy import Integer, case, cast, func, literal, select

from ai_workers.core.catalog import ModelCatalog, ModelSpec
from ai_workers.core.errors import InvalidRequestError, ModelNotFoundError
from ai_workers.core.types import Capability
from ai_workers.db.engine import Database
from ai_workers.db.models import DailySummary, UsageRecord
from ai_workers.usage import hourly
from ai_workers.usage.equivalents import (
    EQUIVALENT_NOTES,
    EQUIVALENTS,
    MONTH_DAYS,
    YEAR_DAYS,
    ChatGroup,
    equivalent_model,
    equivalent_usd,
    opportunities,
    route_kind,
)

GroupBy = Literal["app", "user", "model", "provider", "day", "capability"]
GROUPS: tuple[str, ...] = ("app", "user", "model", "provider", "day", "capability")


@dataclass(slots=True)
class Report:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    totals: list[Any] | None = None
    notes: list[str] = field(default_factory=list)
    # Structured figures beside the table (the savings report's projection, opportunities...): the JSON
    # of the CLI and of /api/* carries them, so both show the same numbers.
    sections: dict[str, Any] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_json_obj(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "columns": self.columns, "rows": self.records()}
        if self.totals is not None:
            out["totals"] = dict(zip(self.columns, self.totals, strict=True))
        if self.notes:
            out["notes"] = self.notes
        out.update(self.sections)
        return out


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_json_obj(), indent=2, default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(report.columns)
        writer.writerows(report.rows)
        if report.totals is not None:
            writer.writerow(report.totals)
        return buf.getvalue()
    if fmt == "md":
        lines = [f"# {report.title}", "", "| " + " | ".join(report.columns) + " |"]
        lines.append("|" + "|".join("---" for _ in report.columns) + "|")
        for row in [*report.rows, *([report.totals] if report.totals is not None else [])]:
            cells = (format_cell(v, c) for v, c in zip(row, report.columns, strict=True))
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", *(f"- {note}" for note in report.notes)]
        return "\n".join(lines).rstrip() + "\n"
    raise InvalidRequestError(f"Unknown format {fmt!r}: use md, csv or json.", param="format")


def format_cell(value: Any, column: str = "") -> str:
    """A value as a table shows it: latencies (``*_ms`` columns) with one decimal, so a column lines up;
    other floats with the decimals they need (costs can be fractions of a cent)."""
    if value is None:
        return ""
    if isinstance(value, float) and column.endswith("_ms"):
        return f"{value:,.1f}"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.2f}"
    return str(value)


def day_range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first 00:00 UTC, last+1 00:00 UTC)."""
    if last < first:
        raise InvalidRequestError("The end date is before the start date.", param="to")
    start = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
    end = dt.datetime(last.year, last.month, last.day, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return start, end


def _day_expr(database: Database) -> Any:
    if database.is_postgres:
        return func.to_char(func.timezone("UTC", UsageRecord.ts), "YYYY-MM-DD")
    return func.substr(UsageRecord.ts, 1, 10)  # SQLite stores UTC timestamps as ISO text


def _group_column(database: Database, by: str) -> Any:
    if by == "app":
        return UsageRecord.app
    if by == "user":
        return func.coalesce(UsageRecord.user, literal("(none)"))
    if by == "model":
        return func.coalesce(UsageRecord.logical_model, UsageRecord.requested_model, literal(""))
    if by == "provider":
        return func.coalesce(UsageRecord.provider, literal("(none)"))
    if by == "day":
        return _day_expr(database)
    if by == "capability":
        return UsageRecord.capability
    raise InvalidRequestError(f"Cannot group by {by!r}: use one of {', '.join(GROUPS)}.", param="by")


_COST_COLUMNS = [
    "requests",
    "errors",
    "cache_hits",
    "input_tokens",
    "output_tokens",
    "neurons",
    "list_cost_usd",
    "cost_usd",
]


async def costs_report(
    database: Database, first: dt.date, last: dt.date, *, by: str = "app", app: str | None = None
) -> Report:
    start, end = day_range(first, last)
    key = _group_column(database, by).label("key")
    stmt = (
        select(
            key,
            func.count(),
            func.sum(case((UsageRecord.status >= 400, 1), else_=0)),
            func.sum(cast(UsageRecord.cache_hit, Integer)),
            func.sum(UsageRecord.input_tokens),
            func.sum(UsageRecord.output_tokens),
            func.sum(func.coalesce(UsageRecord.neurons, 0.0)),
            func.sum(UsageRecord.list_cost_usd),
            func.sum(UsageRecord.cost_usd),
        )
        .where(UsageRecord.ts >= start, UsageRecord.ts < end)
        .group_by(key)
        .order_by(func.sum(UsageRecord.cost_usd).desc(), key)
    )
    if app is not None:
        stmt = stmt.where(UsageRecord.app == app)
    async with database.session() as session:
        result = (await session.execute(stmt)).all()
    rows = [
        [
            r[0],
            int(r[1]),
            int(r[2] or 0),
            int(r[3] or 0),
            int(r[4] or 0),
            int(r[5] or 0),
            round(float(r[6] or 0), 4),
            round(float(r[7] or 0), 9),
            round(float(r[8] or 0), 9),
        ]
        for r in result
    ]
    totals = ["total", *(_sum_column(rows, i) for i in range(1, len(_COST_COLUMNS) + 1))]
    return Report(
        title=f"Costs by {by}, {first.isoformat()} to {last.isoformat()}" + (f" (app {app})" if app else ""),
        columns=[by, *_COST_COLUMNS],
        rows=rows,
        totals=totals,
        notes=[
            "cost_usd is what is billed: Workers AI neurons inside the free daily allocation cost $0; "
            "list_cost_usd is the price before that allocation."
        ],
    )


def _sum_column(rows: list[list[Any]], index: int) -> Any:
    total = sum(row[index] for row in rows)
    return round(total, 9) if isinstance(total, float) else total


_DAILY_COLUMNS = [
    "app",
    "provider",
    "model",
    "requests",
    "errors",
    "cache_hits",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "avg_latency_ms",
    "p95_latency_ms",
]


async def daily_report(database: Database, day: dt.date, *, app: str | None = None) -> Report:
    """The rolled-up summary of one day (run ``rollup`` first; the CLI does)."""
    stmt = select(DailySummary).where(DailySummary.day == day).order_by(DailySummary.cost_usd.desc())
    if app is not None:
        stmt = stmt.where(DailySummary.app == app)
    async with database.session() as session:
        summaries = (await session.scalars(stmt)).all()
    rows: list[list[Any]] = [
        [
            s.app,
            s.provider or "(none)",
            s.model,
            s.requests,
            s.errors,
            s.cache_hits,
            s.input_tokens,
            s.output_tokens,
            round(s.cost_usd, 9),
            round(s.avg_latency_ms, 1),
            round(s.p95_latency_ms, 1),
        ]
        for s in summaries
    ]
    requests = sum(r[3] for r in rows)
    avg = sum(r[3] * r[9] for r in rows) / requests if requests else 0.0
    totals = ["total", "", "", *(_sum_column(rows, i) for i in range(3, 9)), round(avg, 1), ""]
    return Report(
        title=f"Daily usage for {day.isoformat()}" + (f" (app {app})" if app else ""),
        columns=_DAILY_COLUMNS,
        rows=rows,
        totals=totals,
    )


_SAVINGS_COLUMNS = [
    "app",
    "route",
    "capability",
    "model",
    "requests",
    "input_tokens",
    "output_tokens",
    "neurons",
    "actual_usd",
    "list_usd",
    "equivalent",
    "baseline_usd",
    "saved_usd",
]
_SPEECH = (Capability.TRANSCRIPTION.value, Capability.SPEECH.value)


@dataclass(slots=True)
class _Priced:
    """The savings rows of one date range and their comparison totals."""

    rows: list[list[Any]]
    actual: float = 0.0  # of the compared traffic
    baseline: float = 0.0
    other: float = 0.0  # actual cost of traffic with no OpenAI equivalent
    neurons: float = 0.0
    list_usd: float = 0.0
    billed: float = 0.0


async def _priced(
    database: Database,
    catalog: ModelCatalog,
    baseline: ModelSpec,
    first: dt.date,
    last: dt.date,
    app: str | None,
) -> _Priced:
    start, end = day_range(first, last)
    model = func.coalesce(UsageRecord.logical_model, UsageRecord.requested_model, literal(""))
    keys = (UsageRecord.app, UsageRecord.route, UsageRecord.capability, model)
    stmt = (
        select(
            *keys,
            func.count(),
            func.sum(UsageRecord.input_tokens),
            func.sum(UsageRecord.output_tokens),
            func.sum(func.coalesce(UsageRecord.neurons, 0.0)),
            func.sum(UsageRecord.cost_usd),
            func.sum(UsageRecord.list_cost_usd),
        )
        .where(UsageRecord.ts >= start, UsageRecord.ts < end)
        .group_by(*keys)
    )
    # Audio is billed by minutes and characters (the ``units`` JSON): summed here, per group.
    units_stmt = select(*keys, UsageRecord.units).where(
        UsageRecord.ts >= start, UsageRecord.ts < end, UsageRecord.capability.in_(_SPEECH)
    )
    if app is not None:
        stmt = stmt.where(UsageRecord.app == app)
        units_stmt = units_stmt.where(UsageRecord.app == app)
    async with database.session() as session:
        result = (await session.execute(stmt)).all()
        unit_rows = (await session.execute(units_stmt)).all()
    units: dict[tuple[str, str, str, str], dict[str, float]] = {}
    for a, r, c, m, recorded in unit_rows:
        into = units.setdefault((a, route_kind(r), c, m), {})
        for name, value in (recorded or {}).items():
            into[name] = into.get(name, 0.0) + float(value)
    merged: dict[tuple[str, str, str, str], list[float]] = {}  # count, tokens in/out, neurons, costs
    for a, r, c, m, *figures in result:
        sums = merged.setdefault((a, route_kind(r), c, m), [0.0] * 6)
        for i, value in enumerate(figures):
            sums[i] += float(value or 0)
    priced = _Priced(rows=[])
    for (a, kind, capability, name), (count, inp, out, neurons, cost, list_cost) in sorted(merged.items()):
        equivalent = equivalent_model(capability, baseline)
        spec = catalog.find(equivalent) if equivalent else None
        priced.neurons += neurons
        priced.list_usd += list_cost
        priced.billed += cost
        base: float | None = None
        if spec is not None:
            base = equivalent_usd(catalog, spec, inp, out, units.get((a, kind, capability, name), {}))
            priced.actual += cost
            priced.baseline += base
        else:
            priced.other += cost
        priced.rows.append(
            [
                a,
                kind,
                capability,
                name,
                int(count),
                int(inp),
                int(out),
                round(float(neurons), 4),
                round(float(cost), 9),
                round(float(list_cost), 9),
                equivalent if spec is not None else None,
                round(base, 9) if base is not None else None,
                round(base - cost, 9) if base is not None else None,
            ]
        )
    return priced


async def _chat_groups(database: Database, first: dt.date, last: dt.date, app: str | None) -> list[ChatGroup]:
    start, end = day_range(first, last)
    model = func.coalesce(UsageRecord.logical_model, UsageRecord.requested_model, literal(""))
    stmt = (
        select(
            UsageRecord.app,
            UsageRecord.tier,
            model,
            func.count(),
            func.sum(UsageRecord.input_tokens),
            func.sum(UsageRecord.output_tokens),
            func.sum(UsageRecord.cost_usd),
        )
        .where(
            UsageRecord.ts >= start,
            UsageRecord.ts < end,
            UsageRecord.capability == Capability.CHAT.value,
            UsageRecord.status < 400,
            UsageRecord.cache_hit.is_(False),  # a cache hit costs nothing wherever it would have run
        )
        .group_by(UsageRecord.app, UsageRecord.tier, model)
    )
    if app is not None:
        stmt = stmt.where(UsageRecord.app == app)
    async with database.session() as session:
        result = (await session.execute(stmt)).all()
    return [
        ChatGroup(a, tier, name, int(n), int(inp or 0), int(out or 0), float(cost or 0.0))
        for a, tier, name, n, inp, out, cost in result
    ]


def _money(actual: float, baseline: float) -> dict[str, float]:
    return {
        "actual_usd": round(actual, 9),
        "baseline_usd": round(baseline, 9),
        "saved_usd": round(baseline - actual, 9),
    }


async def savings_report(
    database: Database,
    catalog: ModelCatalog,
    first: dt.date,
    last: dt.date,
    *,
    baseline: str = "gpt-4o",
    app: str | None = None,
) -> Report:
    """Actual cost against the same traffic on OpenAI (``usage.equivalents``), by app, route,
    capability and model, with the free neuron allocation, a month/year projection from the 7 days
    ending ``last``, and the three largest opportunities.

    Every compared row is re-priced at the equivalent's list price (chat on ``baseline``; embeddings,
    speech and rerank on their OpenAI equivalents); cache hits count their tokens at $0 actual.
    Safety and moderation traffic is listed at actual cost outside the comparison totals.
    """
    spec = catalog.find(baseline)
    if spec is None:
        raise ModelNotFoundError(f"The baseline model '{baseline}' is not in the catalog.", param="baseline")
    if spec.capability != Capability.CHAT:
        raise InvalidRequestError(f"The baseline '{baseline}' must be a chat model.", param="baseline")
    priced = await _priced(database, catalog, spec, first, last, app)
    rows = priced.rows
    days = (last - first).days + 1
    week_first = last - dt.timedelta(days=6)
    week = priced if week_first == first else await _priced(database, catalog, spec, week_first, last, app)
    per_day_actual, per_day_baseline = week.actual / 7, week.baseline / 7
    projection: dict[str, dict[str, Any]] = {
        "basis": {"from": week_first.isoformat(), "to": last.isoformat(), "days": 7},
        "last_7_days": _money(week.actual, week.baseline),
        "month": _money(per_day_actual * MONTH_DAYS, per_day_baseline * MONTH_DAYS),
        "year": _money(per_day_actual * YEAR_DAYS, per_day_baseline * YEAR_DAYS),
    }
    free = {
        "per_day_neurons": catalog.free_neurons_per_day,
        "days": days,
        "allocation_neurons": catalog.free_neurons_per_day * days,
        "used_neurons": round(priced.neurons, 4),
        # What the allocation paid for: the neurons' list price minus what was billed.
        "covered_usd": round(priced.list_usd - priced.billed, 9),
        "neuron_price_usd": catalog.neuron_price_usd,
    }
    found = opportunities(catalog, await _chat_groups(database, first, last, app))
    by_capability: dict[str, dict[str, float]] = {}
    by_route: dict[str, dict[str, float]] = {}
    by_app: dict[str, dict[str, float]] = {}
    for row in rows:
        if row[11] is None:
            continue
        for table, key in ((by_capability, row[2]), (by_route, row[1]), (by_app, row[0])):
            sums = table.setdefault(key, {"actual_usd": 0.0, "baseline_usd": 0.0})
            sums["actual_usd"] += row[8]
            sums["baseline_usd"] += row[11]
    saved = priced.baseline - priced.actual
    pct = saved / priced.baseline * 100 if priced.baseline else 0.0
    notes = [
        f"All traffic priced on OpenAI (chat on {spec.name}; embeddings on text-embedding-3-small; "
        f"speech on whisper-1 and tts-1; rerank: see equivalents): ${priced.baseline:.4f}; actual "
        f"${priced.actual:.4f}; saved ${saved:.4f} ({pct:.1f}%).",
        *(f"{capability}: {note}." for capability, note in EQUIVALENT_NOTES.items()),
        f"Free Workers AI allocation: {free['per_day_neurons']:g} neurons/day x {days} days; "
        f"{free['used_neurons']:g} neurons used; it paid ${free['covered_usd']:.4f} of their list price.",
        f"Projection from {week_first.isoformat()} to {last.isoformat()}: saved "
        f"${projection['month']['saved_usd']:.2f} a month ({MONTH_DAYS} days), "
        f"${projection['year']['saved_usd']:.2f} a year.",
        *(f"Opportunity {n}: {o.text()}." for n, o in enumerate(found, start=1)),
    ]
    if priced.other:
        notes.append(
            f"Safety and moderation traffic (${priced.other:.4f} actual) has no paid OpenAI equivalent "
            "and is not compared."
        )
    compared = [r for r in rows if r[11] is not None]
    totals = [
        "total (compared)",
        "",
        "",
        "",
        sum(r[4] for r in compared),
        sum(r[5] for r in compared),
        sum(r[6] for r in compared),
        round(sum(r[7] for r in rows), 4),
        round(priced.actual, 9),
        round(sum(r[9] for r in compared), 9),
        "",
        round(priced.baseline, 9),
        round(saved, 9),
    ]

    def rounded(table: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        return {k: _money(v["actual_usd"], v["baseline_usd"]) for k, v in sorted(table.items())}

    return Report(
        title=f"Savings against all-OpenAI ({spec.name} for chat), {first.isoformat()} to {last.isoformat()}"
        + (f" (app {app})" if app else ""),
        columns=_SAVINGS_COLUMNS,
        rows=rows,
        totals=totals,
        notes=notes,
        sections={
            "baseline_model": spec.name,
            "equivalents": {
                Capability.CHAT.value: spec.name,
                **EQUIVALENTS,
            },
            "by_capability": rounded(by_capability),
            "by_route": rounded(by_route),
            "by_app": rounded(by_app),
            "free_neurons": free,
            "projection": projection,
            "opportunities": [asdict(o) | {"text": o.text()} for o in found],
        },
    )


# Of the errors, ``refused`` counts those the gateway answered itself by design, not failures to serve
# (``hourly.REFUSED``): a budget or rate limit reached, a policy block, a bad or unauthorised request
# (4xx). Provider rate limits (429 from upstream) and every 5xx are failures.


async def usage_by_day(
    database: Database, first: dt.date, last: dt.date, *, app: str | None = None
) -> Report:
    """Requests, tokens, cost, errors (``refused`` of them: see ``hourly.REFUSED``) and cache hits per day and
    app.

    Read from the hourly roll-up plus the raw records since its watermark (``hourly.grouped``), not a
    GROUP BY over every record: at a million records the raw scan took 19 s on SQLite for 30 days.
    The average latency is the roll-up's latency sum over its request count."""
    start, end = day_range(first, last)
    names = ("requests", "errors", "refused", "cache_hits", "input_tokens", "output_tokens", "cost_usd",
             "latency_ms_sum")  # fmt: skip
    merged = await hourly.grouped(database, start, end, bucket="day", by="app", app=app, measures=names)
    rows: list[list[Any]] = []
    for (day, app_name), m in sorted(merged.items(), key=lambda kv: (kv[0][0] or start, kv[0][1] or "")):
        requests = int(m["requests"])
        rows.append(
            [
                (day or start).date().isoformat(),
                app_name,
                requests,
                int(m["errors"]),
                int(m["refused"]),
                int(m["cache_hits"]),
                int(m["input_tokens"]),
                int(m["output_tokens"]),
                round(float(m["cost_usd"]), 9),
                round(float(m["latency_ms_sum"]) / requests, 1) if requests else 0.0,
            ]
        )
    return Report(
        title=f"Usage per day, {first.isoformat()} to {last.isoformat()}",
        columns=[
            "day",
            "app",
            "requests",
            "errors",
            "refused",
            "cache_hits",
            "input_tokens",
            "output_tokens",
            "cost_usd",
            "avg_latency_ms",
        ],
        rows=rows,
    )
