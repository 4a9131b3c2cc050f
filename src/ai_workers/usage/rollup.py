"""Daily summaries: usage records rolled up per day, app, provider and model.

Run by the server every ``usage.rollup_interval_s`` (today and yesterday, so late spool replays are
counted) and by the CLI before a report. A day is recomputed from its records and replaced in one
transaction, so running it twice, or from two processes, gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, String, case, cast, delete, func, insert, literal, select

from ai_workers.db.engine import Database
from ai_workers.db.models import DailySummary, UsageRecord
from ai_workers.usage.hourly import missing_days, rollup_hours_of_day


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=1)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks, like PostgreSQL's ``percentile_cont``."""
    if not sorted_values:
        return 0.0
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


_PROVIDER = func.coalesce(UsageRecord.provider, literal(""))
_MODEL = func.coalesce(UsageRecord.logical_model, UsageRecord.requested_model, literal(""))


async def rollup_day(database: Database, day: dt.date) -> int:
    """Recompute one day's summaries (and its hourly rows, ``usage/hourly.py``, in the same transaction);
    returns the number of daily summary rows."""
    start, end = day_bounds(day)
    in_day = (UsageRecord.ts >= start, UsageRecord.ts < end)
    columns: list[Any] = [
        UsageRecord.app,
        _PROVIDER.label("provider"),
        _MODEL.label("model"),
        func.count().label("requests"),
        func.sum(case((UsageRecord.status >= 400, 1), else_=0)).label("errors"),
        func.sum(cast(UsageRecord.cache_hit, Integer)).label("cache_hits"),
        func.sum(UsageRecord.input_tokens).label("input_tokens"),
        func.sum(UsageRecord.output_tokens).label("output_tokens"),
        func.sum(func.coalesce(UsageRecord.neurons, 0.0)).label("neurons"),
        func.sum(UsageRecord.cost_usd).label("cost_usd"),
        func.avg(UsageRecord.latency_ms).label("avg_latency_ms"),
    ]
    if database.is_postgres:
        columns.append(func.percentile_cont(0.95).within_group(UsageRecord.latency_ms).label("p95"))
    stmt = select(*columns).where(*in_day).group_by(UsageRecord.app, _PROVIDER, _MODEL)
    now = dt.datetime.now(dt.UTC)
    async with database.session() as session:
        groups = (await session.execute(stmt)).mappings().all()
        p95: dict[tuple[str, str, str], float] = {}
        if not database.is_postgres:
            # SQLite has no percentile aggregate: sort each group's latencies here.
            latencies: dict[tuple[str, str, str], list[float]] = defaultdict(list)
            rows = await session.execute(
                select(UsageRecord.app, cast(_PROVIDER, String), cast(_MODEL, String), UsageRecord.latency_ms)
                .where(*in_day)
                .order_by(UsageRecord.latency_ms)
            )
            for app, provider, model, latency in rows:
                latencies[(app, provider, model)].append(float(latency))
            p95 = {key: percentile(values, 0.95) for key, values in latencies.items()}
        summaries = [
            {
                "day": day,
                "app": g["app"],
                "provider": g["provider"],
                "model": g["model"],
                "requests": int(g["requests"]),
                "errors": int(g["errors"] or 0),
                "cache_hits": int(g["cache_hits"] or 0),
                "input_tokens": int(g["input_tokens"] or 0),
                "output_tokens": int(g["output_tokens"] or 0),
                "neurons": float(g["neurons"] or 0.0),
                "cost_usd": float(g["cost_usd"] or 0.0),
                "avg_latency_ms": round(float(g["avg_latency_ms"] or 0.0), 3),
                "p95_latency_ms": round(
                    float(g["p95"] or 0.0)
                    if database.is_postgres
                    else p95.get((g["app"], g["provider"], g["model"]), 0.0),
                    3,
                ),
                "updated_at": now,
            }
            for g in groups
        ]
        await session.execute(delete(DailySummary).where(DailySummary.day == day))
        if summaries:
            await session.execute(insert(DailySummary), summaries)
        await rollup_hours_of_day(session, database, day, now)
    return len(summaries)


async def rollup_days(database: Database, days: Iterable[dt.date]) -> int:
    return sum([await rollup_day(database, day) for day in days])


async def rollup_range(database: Database, first: dt.date, last: dt.date) -> int:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return await rollup_days(database, days)


async def rollup_recent(database: Database, *, now: dt.datetime | None = None) -> int:
    """Today and yesterday (UTC): what the scheduled task keeps current."""
    today = (now or dt.datetime.now(dt.UTC)).date()
    return await rollup_days(database, [today - dt.timedelta(days=1), today])


async def backfill_hourly(database: Database) -> int:
    """Roll up again the days that have daily summaries but no hourly rows (a database from before
    migration 0005), so charts of past days are not empty. Run once when the roll-up task starts."""
    return await rollup_days(database, await missing_days(database))
