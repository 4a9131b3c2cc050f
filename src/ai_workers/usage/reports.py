"""Reports over usage records and daily summaries, shared by the CLI and the dashboard API.

Each report is a plain ``Report`` (title, columns, rows, totals) that renders to Markdown, CSV or JSON
here and to a rich table in the CLI, so the terminal, the files and ``/api/*`` show the same numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Integer, case, cast, func, literal, select

from ai_workers.core.catalog import ModelCatalog
from ai_workers.core.errors import InvalidRequestError, ModelNotFoundError
from ai_workers.core.types import Capability
from ai_workers.db.engine import Database
from ai_workers.db.models import DailySummary, UsageRecord
from ai_workers.usage.pricing import usd_for_tokens

GroupBy = Literal["app", "user", "model", "provider", "day", "capability"]
GROUPS: tuple[str, ...] = ("app", "user", "model", "provider", "day", "capability")


@dataclass(slots=True)
class Report:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    totals: list[Any] | None = None
    notes: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_json_obj(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "columns": self.columns, "rows": self.records()}
        if self.totals is not None:
            out["totals"] = dict(zip(self.columns, self.totals, strict=True))
        if self.notes:
            out["notes"] = self.notes
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
    "capability",
    "model",
    "requests",
    "input_tokens",
    "output_tokens",
    "actual_usd",
    "baseline_usd",
    "saved_usd",
]


async def savings_report(
    database: Database,
    catalog: ModelCatalog,
    first: dt.date,
    last: dt.date,
    *,
    baseline: str = "gpt-4o",
    app: str | None = None,
) -> Report:
    """Actual cost against the same traffic priced on ``baseline``.

    Chat traffic is re-priced token for token (the same input and output tokens at the baseline's
    prices; cache hits count their tokens at $0 actual). Other capabilities have no chat baseline and
    are listed with their actual cost only, outside the comparison totals.
    """
    spec = catalog.find(baseline)
    if spec is None:
        raise ModelNotFoundError(f"The baseline model '{baseline}' is not in the catalog.", param="baseline")
    if spec.capability != Capability.CHAT:
        raise InvalidRequestError(f"The baseline '{baseline}' must be a chat model.", param="baseline")
    start, end = day_range(first, last)
    model = func.coalesce(UsageRecord.logical_model, UsageRecord.requested_model, literal(""))
    stmt = (
        select(
            UsageRecord.capability,
            model,
            func.count(),
            func.sum(UsageRecord.input_tokens),
            func.sum(UsageRecord.output_tokens),
            func.sum(UsageRecord.cost_usd),
        )
        .where(UsageRecord.ts >= start, UsageRecord.ts < end)
        .group_by(UsageRecord.capability, model)
        .order_by(UsageRecord.capability, model)
    )
    if app is not None:
        stmt = stmt.where(UsageRecord.app == app)
    async with database.session() as session:
        result = (await session.execute(stmt)).all()
    rows: list[list[Any]] = []
    actual_total = baseline_total = 0.0
    other_total = 0.0
    for capability, name, count, inp, out, cost in result:
        inp, out, cost = int(inp or 0), int(out or 0), float(cost or 0.0)
        if capability == Capability.CHAT.value:
            base = usd_for_tokens(catalog, spec, inp, out)
            actual_total += cost
            baseline_total += base
            rows.append(
                [
                    capability,
                    name,
                    int(count),
                    inp,
                    out,
                    round(cost, 9),
                    round(base, 9),
                    round(base - cost, 9),
                ]
            )
        else:
            other_total += cost
            rows.append([capability, name, int(count), inp, out, round(cost, 9), None, None])
    saved = baseline_total - actual_total
    pct = saved / baseline_total * 100 if baseline_total else 0.0
    notes = [
        f"Chat traffic priced on {spec.name}: ${baseline_total:.4f}; actual ${actual_total:.4f}; "
        f"saved ${saved:.4f} ({pct:.1f}%).",
    ]
    if other_total:
        notes.append(
            f"Non-chat traffic (${other_total:.4f} actual) has no chat baseline and is not compared."
        )
    totals = [
        "total (chat)",
        "",
        sum(r[2] for r in rows if r[0] == Capability.CHAT.value),
        sum(r[3] for r in rows if r[0] == Capability.CHAT.value),
        sum(r[4] for r in rows if r[0] == Capability.CHAT.value),
        round(actual_total, 9),
        round(baseline_total, 9),
        round(saved, 9),
    ]
    return Report(
        title=f"Savings against {spec.name}, {first.isoformat()} to {last.isoformat()}"
        + (f" (app {app})" if app else ""),
        columns=_SAVINGS_COLUMNS,
        rows=rows,
        totals=totals,
        notes=notes,
    )


# Of the errors, those the gateway answered itself by design, not failures to serve: a budget or rate
# limit reached, a policy block, a bad or unauthorised request (4xx). Provider rate limits (429 from
# upstream) and every 5xx are failures.
_REFUSED = (
    (UsageRecord.status >= 400)
    & (UsageRecord.status < 500)
    & func.coalesce(UsageRecord.error_kind, literal("")).notlike("upstream_rate%")
)


async def usage_by_day(
    database: Database, first: dt.date, last: dt.date, *, app: str | None = None
) -> Report:
    """Requests, tokens, cost, errors (``refused`` of them: see ``_REFUSED``) and cache hits per day and
    app, straight from the records."""
    start, end = day_range(first, last)
    day = _day_expr(database).label("day")
    stmt = (
        select(
            day,
            UsageRecord.app,
            func.count(),
            func.sum(case((UsageRecord.status >= 400, 1), else_=0)),
            func.sum(case((_REFUSED, 1), else_=0)),
            func.sum(cast(UsageRecord.cache_hit, Integer)),
            func.sum(UsageRecord.input_tokens),
            func.sum(UsageRecord.output_tokens),
            func.sum(UsageRecord.cost_usd),
            func.avg(UsageRecord.latency_ms),
        )
        .where(UsageRecord.ts >= start, UsageRecord.ts < end)
        .group_by(day, UsageRecord.app)
        .order_by(day, UsageRecord.app)
    )
    if app is not None:
        stmt = stmt.where(UsageRecord.app == app)
    async with database.session() as session:
        result = (await session.execute(stmt)).all()
    rows = [
        [
            r[0],
            r[1],
            int(r[2]),
            int(r[3] or 0),
            int(r[4] or 0),
            int(r[5] or 0),
            int(r[6] or 0),
            int(r[7] or 0),
            round(float(r[8] or 0), 9),
            round(float(r[9] or 0), 1),
        ]
        for r in result
    ]
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
