"""The hourly roll-up (``usage_hourly``) and reading it back with the newest records on top.

Charts, the overview and the request log's totals must answer in well under 200 ms over a million
records. A GROUP BY over the raw table cannot; a GROUP BY over one row per hour, app, provider and model
can. The roll-up recomputes whole days (like ``rollup.rollup_day``, which calls it), so it is idempotent.

Freshness: readers take hours before the last roll-up's hour from this table and everything since from
the raw records (an index range on ``ts``, at most an hour and a roll-up interval of rows), so a chart
of "today" includes the request made a second ago.

Latency percentiles come from a histogram (``db.models.LATENCY_BUCKETS_MS``): the counts of any
selection add up, and a percentile is interpolated inside its bucket, as Prometheus does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    not_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from ai_workers.db.engine import Database
from ai_workers.db.models import LATENCY_BUCKETS_MS, LATENCY_COLUMNS, DailySummary, UsageHourly, UsageRecord

# Codes of PolicyBlockedError raised for PHI (safety/stage.py); other blocks are content safety.
PHI_BLOCK_CODES = ("phi_detected", "unscannable_content", "phi_in_speech")
# Counted like ``reports._REFUSED``: the gateway refusing (budget, limit, policy, bad request), not failing.
REFUSED = and_(
    UsageRecord.status >= 400,
    UsageRecord.status < 500,
    func.coalesce(UsageRecord.error_kind, literal("")).notlike("upstream_rate%"),
)
_BLOCKED = UsageRecord.safety == "blocked"
_PHI_BLOCK = and_(_BLOCKED, func.coalesce(UsageRecord.error_kind, literal("")).in_(PHI_BLOCK_CODES))

# The summed measures, one per usage_hourly column, as aggregates over raw records.
SUMS: dict[str, Any] = {
    "requests": func.count(),
    "errors": func.sum(case((UsageRecord.status >= 400, 1), else_=0)),
    "refused": func.sum(case((REFUSED, 1), else_=0)),
    "cache_hits": func.sum(cast(UsageRecord.cache_hit, Integer)),
    "input_tokens": func.sum(UsageRecord.input_tokens),
    "output_tokens": func.sum(UsageRecord.output_tokens),
    "cost_usd": func.sum(UsageRecord.cost_usd),
    "list_cost_usd": func.sum(UsageRecord.list_cost_usd),
    "latency_ms_sum": func.sum(UsageRecord.latency_ms),
    "phi_requests": func.sum(case((UsageRecord.phi_redactions > 0, 1), (_PHI_BLOCK, 1), else_=0)),
    "phi_redactions": func.sum(UsageRecord.phi_redactions),
    "phi_blocks": func.sum(case((_PHI_BLOCK, 1), else_=0)),
    "safety_blocks": func.sum(case((and_(_BLOCKED, not_(_PHI_BLOCK)), 1), else_=0)),
}


def _bucket_condition(index: int) -> ColumnElement[bool]:
    edges = LATENCY_BUCKETS_MS
    upper = UsageRecord.latency_ms <= edges[index] if index < len(edges) else None
    lower = UsageRecord.latency_ms > edges[index - 1] if index > 0 else None
    parts = [c for c in (lower, upper) if c is not None]
    return and_(*parts)


for _i, _name in enumerate(LATENCY_COLUMNS):
    SUMS[_name] = func.sum(case((_bucket_condition(_i), 1), else_=0))

MEASURES: tuple[str, ...] = tuple(SUMS)
FLOAT_MEASURES = frozenset({"cost_usd", "list_cost_usd", "latency_ms_sum"})


def hour_expr(database: Database, column: Any) -> Any:
    """The UTC hour a timestamp falls in: a datetime on PostgreSQL, ``YYYY-MM-DD HH`` text on SQLite."""
    if database.is_postgres:
        return func.date_trunc("hour", func.timezone("UTC", column))
    return func.substr(column, 1, 13)  # SQLite keeps UTC timestamps as ISO text


def day_expr(database: Database, column: Any) -> Any:
    if database.is_postgres:
        return func.date_trunc("day", func.timezone("UTC", column))
    return func.substr(column, 1, 10)


def as_hour(value: Any) -> dt.datetime:
    """A bucket value from ``hour_expr``/``day_expr`` (either dialect) as an aware UTC datetime."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    text = str(value)
    if len(text) == 10:
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(text[:10] + "T" + text[11:13] + ":00:00").replace(tzinfo=dt.UTC)


PROVIDER = func.coalesce(UsageRecord.provider, literal(""))
MODEL = func.coalesce(UsageRecord.logical_model, UsageRecord.requested_model, literal(""))


async def rollup_hours_of_day(
    session: AsyncSession, database: Database, day: dt.date, now: dt.datetime
) -> int:
    """Replace one UTC day's hourly rows with a fresh GROUP BY of its records (inside ``session``)."""
    start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    end = start + dt.timedelta(days=1)
    hour = hour_expr(database, UsageRecord.ts).label("hour")
    stmt = (
        select(hour, UsageRecord.app, PROVIDER.label("provider"), MODEL.label("model"),
               *[expr.label(name) for name, expr in SUMS.items()])
        .where(UsageRecord.ts >= start, UsageRecord.ts < end)
        .group_by(hour, UsageRecord.app, PROVIDER, MODEL)
    )  # fmt: skip
    groups = (await session.execute(stmt)).mappings().all()
    rows = [
        {
            "hour": as_hour(g["hour"]),
            "app": g["app"],
            "provider": g["provider"],
            "model": g["model"],
            **{m: (float(g[m] or 0.0) if m in FLOAT_MEASURES else int(g[m] or 0)) for m in MEASURES},
            "updated_at": now,
        }
        for g in groups
    ]
    await session.execute(delete(UsageHourly).where(UsageHourly.hour >= start, UsageHourly.hour < end))
    if rows:
        await session.execute(insert(UsageHourly), rows)
    return len(rows)


async def missing_days(database: Database) -> list[dt.date]:
    """Days rolled up daily but not hourly (a database from before the hourly table): to backfill."""
    async with database.session() as session:
        daily = set(await session.scalars(select(DailySummary.day).distinct()))
        hours = await session.scalars(select(day_expr(database, UsageHourly.hour)).distinct())
        hourly = {as_hour(h).date() for h in hours}
    return sorted(daily - hourly)


# -- reading -------------------------------------------------------------------------------------------


async def watermark(session: AsyncSession) -> dt.datetime | None:
    """Start of the hour of the last roll-up: hours before it are complete in ``usage_hourly``.

    The newest hour's rows are rewritten by every scheduled roll-up (it always redoes today), so their
    ``updated_at`` is the last run; reading it through the primary key costs one index step."""
    last = await session.scalar(select(UsageHourly.updated_at).order_by(UsageHourly.hour.desc()).limit(1))
    if last is None:
        return None
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    return min(last, dt.datetime.now(dt.UTC)).replace(minute=0, second=0, microsecond=0)


Merged = dict[tuple[dt.datetime | None, str | None], dict[str, float]]


async def grouped(
    database: Database,
    since: dt.datetime,
    until: dt.datetime,
    *,
    bucket: str | None,
    by: str | None,
    app: str | None = None,
    model: str | None = None,
    measures: Sequence[str] = MEASURES,
) -> Merged:
    """Summed ``measures`` per (bucket, key) over [since, until): the roll-up up to its watermark, the
    raw records after it, added together.

    ``bucket`` is "hour", "day" or None (one total); ``by`` is "app", "model", "provider" or None.
    Keys are (bucket start as an aware datetime or None, group value or None). Asking only for the
    measures a caller shows keeps the scan narrow (the latency histogram is 24 of the columns).
    """
    names = [m for m in MEASURES if m in measures or m == "requests"]
    out: Merged = {}
    async with database.session() as session:
        mark = await watermark(session)
        split = since if mark is None else min(max(mark, since), until)
        parts: list[tuple[Any, dt.datetime, dt.datetime]] = []
        if split > since:
            parts.append((UsageHourly, since, split))
        if until > split:
            parts.append((UsageRecord, split, until))
        for table, start, end in parts:
            stmt = _statement(database, table, start, end, bucket, by, app, model, names)
            for row in (await session.execute(stmt)).all():
                values = row[-len(names) :]
                if not values[0]:
                    continue
                key = (as_hour(row[0]) if bucket else None, row[1 if bucket else 0] if by else None)
                # PostgreSQL sums integers as NUMERIC (Decimal): plain numbers from here on.
                numbers = [
                    float(v or 0) if n in FLOAT_MEASURES else int(v or 0)
                    for n, v in zip(names, values, strict=True)
                ]
                slot = out.get(key)
                if slot is None:
                    out[key] = dict(zip(names, numbers, strict=True))
                else:
                    for n, v in zip(names, numbers, strict=True):
                        slot[n] += v
    return out


def _statement(
    database: Database,
    table: Any,
    since: dt.datetime,
    until: dt.datetime,
    bucket: str | None,
    by: str | None,
    app: str | None,
    model: str | None,
    names: Sequence[str],
) -> Any:
    raw = table is UsageRecord
    time_col = UsageRecord.ts if raw else UsageHourly.hour
    columns: dict[str, Any] = {
        "app": UsageRecord.app if raw else UsageHourly.app,
        "model": MODEL if raw else UsageHourly.model,
        "provider": PROVIDER if raw else UsageHourly.provider,
    }
    keys: list[Any] = []
    if bucket == "hour":
        # The roll-up's hour column is already an hour: grouping on it directly follows its index.
        keys.append(hour_expr(database, time_col) if raw else UsageHourly.hour)
    elif bucket == "day":
        keys.append(day_expr(database, time_col))
    if by is not None:
        keys.append(columns[by])
    sums = [SUMS[n] if raw else func.sum(getattr(UsageHourly, n)) for n in names]
    stmt = select(*keys, *sums).where(time_col >= since, time_col < until)
    if app is not None:
        stmt = stmt.where(columns["app"] == app)
    if model is not None:
        stmt = stmt.where(columns["model"] == model)
    if keys:
        stmt = stmt.group_by(*keys)
    return stmt


def percentile(measures: dict[str, float], fraction: float) -> float | None:
    """Latency percentile estimated from the histogram counts (linear inside the bucket)."""
    counts = [measures.get(name, 0) for name in LATENCY_COLUMNS]
    total = sum(counts)
    if total <= 0:
        return None
    target = fraction * total
    seen = 0.0
    for index, count in enumerate(counts):
        if count and seen + count >= target:
            low = LATENCY_BUCKETS_MS[index - 1] if index > 0 else 0.0
            if index >= len(LATENCY_BUCKETS_MS):
                return float(low)  # beyond the last edge: "at least" that
            high = LATENCY_BUCKETS_MS[index]
            return round(low + (high - low) * (target - seen) / count, 1)
        seen += count
    return float(LATENCY_BUCKETS_MS[-1])
