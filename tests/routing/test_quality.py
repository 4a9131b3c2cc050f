"""The quality report: usage records joined with feedback, per provider and arm (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ai_workers.db.engine import Database
from ai_workers.db.models import Feedback, UsageRecord
from ai_workers.routing.quality import quality_report

NOW = dt.datetime.now(dt.UTC)


def record(
    provider: str,
    arm: str | None,
    *,
    status: int = 200,
    latency: float = 100.0,
    cost: float = 0.001,
    app: str = "triage",
    neurons: float | None = None,
    ts: dt.datetime = NOW,
) -> UsageRecord:
    return UsageRecord(
        id=uuid.uuid4().hex,
        ts=ts,
        app=app,
        capability="chat",
        provider=provider,
        arm=arm,
        status=status,
        latency_ms=latency,
        cost_usd=cost,
        logical_model="m",
        neurons=neurons,
    )


@pytest.fixture(params=["sqlite", "postgres"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'q.db'}"
    else:
        base = request.getfixturevalue("postgres_url")
        name = "q_" + uuid.uuid4().hex[:10]
        admin = Database(base)
        async with admin.engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).exec_driver_sql(
                f"CREATE DATABASE {name}"
            )
        await admin.dispose()
        url = base.replace("/postgres?", f"/{name}?")
    database = Database(url)
    await database.migrate()
    yield database
    await database.dispose()


async def test_satisfaction_errors_latency_and_cost_per_arm(db: Database) -> None:
    workers = [record("cloudflare", "split:workers", latency=100 + i, cost=0.0001) for i in range(10)]
    workers.append(record("cloudflare", "split:workers", status=502, latency=3000, cost=0.0))
    openai = [record("openai", "split:openai", latency=200 + 10 * i, cost=0.002) for i in range(20)]
    other_app = [record("openai", "split:openai", app="billing") for _ in range(5)]
    old = [record("openai", "split:openai", ts=NOW - dt.timedelta(days=30)) for _ in range(5)]
    async with db.session() as s:
        s.add_all([*workers, *openai, *other_app, *old])
        # Workers AI: 3 up, 1 down (one response rated twice up counts once); OpenAI: 1 up, 1 down.
        s.add_all(
            [
                Feedback(request_id=workers[0].id, app="triage", rating=1),
                Feedback(request_id=workers[0].id, app="triage", rating=1),
                Feedback(request_id=workers[1].id, app="triage", rating=1),
                Feedback(request_id=workers[2].id, app="triage", rating=1),
                Feedback(request_id=workers[3].id, app="triage", rating=-1),
                Feedback(request_id=openai[0].id, app="triage", rating=1),
                Feedback(request_id=openai[1].id, app="triage", rating=-1),
            ]
        )
    rows = await quality_report(db, since=NOW - dt.timedelta(days=1), app="triage")
    by_arm = {r.group["arm"]: r for r in rows}
    w, o = by_arm["split:workers"], by_arm["split:openai"]
    assert (w.requests, w.errors, w.rated, w.thumbs_up) == (11, 1, 4, 3)
    assert w.satisfaction == 0.75 and w.error_rate == round(1 / 11, 4)
    assert w.group["provider"] == "cloudflare"
    assert w.latency_p50_ms == 105 and w.latency_p95_ms is not None and w.latency_p95_ms > 109
    assert o.requests == 20 and o.satisfaction == 0.5 and o.error_rate == 0
    assert o.cost_per_request_usd == pytest.approx(0.002)
    assert o.latency_p50_ms == pytest.approx(295)
    all_apps = await quality_report(db, since=NOW - dt.timedelta(days=1), group_by=["app"])
    assert {r.group["app"]: r.requests for r in all_apps} == {"triage": 31, "billing": 5}
