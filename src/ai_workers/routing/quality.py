"""Quality per provider and traffic-split arm: usage records joined with user feedback.

``quality_report`` answers "is arm B as good as arm A, and what does it cost?": for each group of
finished requests (by provider and arm by default) it gives requests, error rate, latency p50/p95,
cost per request, and the satisfaction rate among rated responses (thumbs up / all thumbs). It reads
``usage_records`` and ``feedback`` through the usage package's Database (SQLite or PostgreSQL).
Latency percentiles are computed in Python from the group's latencies, because SQLite has no
percentile function and the report is not on the hot path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ai_workers.db.models import Feedback, UsageRecord

GROUP_COLUMNS = {
    "provider": UsageRecord.provider,
    "arm": UsageRecord.arm,
    "model": UsageRecord.logical_model,
    "tier": UsageRecord.tier,
    "app": UsageRecord.app,
}


class SessionSource(Protocol):
    def session(self) -> AbstractAsyncContextManager[AsyncSession]: ...


@dataclass(slots=True)
class QualityRow:
    group: dict[str, str | None]
    requests: int
    errors: int
    error_rate: float
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    cost_usd: float
    cost_per_request_usd: float
    rated: int
    thumbs_up: int
    thumbs_down: int
    satisfaction: float | None  # thumbs up / rated; None when nobody rated

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _percentile(sorted_values: Sequence[float], q: float) -> float | None:
    if not sorted_values:
        return None
    pos = q * (len(sorted_values) - 1)
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return round(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low), 2)


async def quality_report(
    db: SessionSource,
    *,
    since: dt.datetime,
    until: dt.datetime | None = None,
    app: str | None = None,
    group_by: Sequence[str] = ("provider", "arm"),
    include_internal: bool = False,
) -> list[QualityRow]:
    """One row per group of requests between ``since`` and ``until`` (UTC), busiest first."""
    unknown = [g for g in group_by if g not in GROUP_COLUMNS]
    if unknown:
        raise ValueError(f"cannot group by {', '.join(unknown)}; choose from {', '.join(GROUP_COLUMNS)}")
    votes = (
        select(
            Feedback.request_id.label("request_id"),
            func.sum(case((Feedback.rating > 0, 1), else_=0)).label("up"),
            func.sum(case((Feedback.rating < 0, 1), else_=0)).label("down"),
        )
        .group_by(Feedback.request_id)
        .subquery()
    )
    columns = [GROUP_COLUMNS[g] for g in group_by]
    query = (
        select(
            *columns,
            UsageRecord.status,
            UsageRecord.latency_ms,
            UsageRecord.cost_usd,
            votes.c.up,
            votes.c.down,
        )
        .outerjoin(votes, votes.c.request_id == UsageRecord.id)
        .where(UsageRecord.ts >= since)
        .where(UsageRecord.capability == "chat")
    )
    if until is not None:
        query = query.where(UsageRecord.ts < until)
    if app is not None:
        query = query.where(UsageRecord.app == app)
    if not include_internal:
        query = query.where((UsageRecord.route.is_(None)) | (UsageRecord.route != "internal"))

    groups: dict[tuple[str | None, ...], dict[str, Any]] = {}
    async with db.session() as session:
        result = await session.execute(query)
        for row in result:
            values: tuple[Any, ...] = tuple(row)
            key = values[: len(columns)]
            status, latency, cost, up, down = values[len(columns) :]
            g = groups.setdefault(key, {"n": 0, "err": 0, "lat": [], "cost": 0.0, "up": 0, "down": 0})
            g["n"] += 1
            g["err"] += 1 if status >= 400 else 0
            if latency is not None:
                g["lat"].append(float(latency))
            g["cost"] += float(cost or 0.0)
            # A response rated several times counts once: up when it has at least as many ups as downs.
            if up or down:
                if (up or 0) >= (down or 0):
                    g["up"] += 1
                else:
                    g["down"] += 1

    rows: list[QualityRow] = []
    for key, g in groups.items():
        lat = sorted(g["lat"])
        rated = g["up"] + g["down"]
        rows.append(
            QualityRow(
                group=dict(zip(group_by, key, strict=True)),
                requests=g["n"],
                errors=g["err"],
                error_rate=round(g["err"] / g["n"], 4),
                latency_p50_ms=_percentile(lat, 0.5),
                latency_p95_ms=_percentile(lat, 0.95),
                cost_usd=round(g["cost"], 6),
                cost_per_request_usd=round(g["cost"] / g["n"], 8),
                rated=rated,
                thumbs_up=g["up"],
                thumbs_down=g["down"],
                satisfaction=round(g["up"] / rated, 4) if rated else None,
            )
        )
    rows.sort(key=lambda r: (-r.requests, [str(v) for v in r.group.values()]))
    return rows
