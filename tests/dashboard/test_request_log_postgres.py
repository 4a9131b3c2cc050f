"""The request log, charts and overview on PostgreSQL: the roll-up's hour buckets (date_trunc in UTC),
the partial index for errors, keyset pages and app scoping, over real traffic and inserted records."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from ai_workers.db.models import UsageRecord
from ai_workers.usage.request_text import purge_text
from ai_workers.usage.rollup import rollup_day
from tests.dashboard.conftest import APPS, add_rows, client
from tests.dashboard.test_dashboard_postgres import _pg
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def pg_live(fakes: tuple[Any, Any], postgres_url: str) -> Iterator[LiveServer]:
    name = "aiw_log_" + uuid.uuid4().hex[:12]
    _pg(postgres_url, f"CREATE DATABASE {name}")
    url = postgres_url.replace("/postgres?", f"/{name}?")
    try:
        workers, openai = fakes
        with LiveServer(fake_settings(workers, openai, database_url=url, apps=APPS)) as server:
            yield server
    finally:
        _pg(postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def record(app: str, **fields: Any) -> UsageRecord:
    values: dict[str, Any] = {
        "id": uuid.uuid4().hex, "ts": dt.datetime.now(dt.UTC), "app": app, "capability": "chat",
        "logical_model": "gpt-4o-mini", "provider": "openai", "status": 200, "latency_ms": 100.0,
        "input_tokens": 10, "output_tokens": 5, "cost_usd": 0.001, "list_cost_usd": 0.001, "attempts": 1,
    }  # fmt: skip
    values.update(fields)
    return UsageRecord(**values)


def test_request_log_and_charts_on_postgres(pg_live: LiveServer) -> None:
    admin = pg_live.create_key("ops", role="admin")
    alpha = pg_live.create_key("alpha")
    with client(pg_live, alpha) as http:
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello from postgres"}]}
        response = http.post("/v1/chat/completions", json=body)
        assert response.status_code == 200
    real_id = response.headers["x-request-id"]
    now = dt.datetime.now(dt.UTC)
    hour = now.replace(minute=0, second=0, microsecond=0)
    earlier = hour - dt.timedelta(hours=1) if hour.hour >= 1 else hour
    add_rows(
        pg_live,
        *[
            record("beta", id=f"b{i:02d}", ts=earlier + dt.timedelta(seconds=i), latency_ms=200.0)
            for i in range(12)
        ],
        record("beta", id="b-err", ts=earlier, status=503, error_kind="upstream_error", latency_ms=5000.0),
        record("beta", id="b-blk", ts=earlier, status=422, safety="blocked", error_kind="phi_detected"),
    )
    pg_live.call(pg_live.gateway.usage.flush())
    pg_live.call(rollup_day(pg_live.app.state.database, now.date()))
    add_rows(pg_live, record("beta", id="b-new", ts=now))  # after the roll-up: read from the records
    with client(pg_live, admin) as http:
        ids = [r["id"] for r in http.get("/api/requests", params={"app": "beta", "limit": 5}).json()["data"]]
        assert ids[0] == "b-new" and len(ids) == 5
        assert {r["id"] for r in http.get("/api/requests", params={"status": "error"}).json()["data"]} == {
            "b-err",
            "b-blk",
        }
        assert [r["id"] for r in http.get("/api/requests", params={"safety": "blocked"}).json()["data"]] == [
            "b-blk"
        ]
        assert [r["id"] for r in http.get("/api/requests", params={"q": "b-er"}).json()["data"]] == ["b-err"]
        pages: list[str] = []
        cursor = None
        while True:
            params = {"app": "beta", "limit": 4, **({"cursor": cursor} if cursor else {})}
            body = http.get("/api/requests", params=params).json()
            pages += [r["id"] for r in body["data"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(pages) == len(set(pages)) == 15
        chart = http.get("/api/charts", params={"preset": "today", "app": "beta", "metric": "latency"}).json()
        total = chart["series"][0]
        assert sum(total["requests"]) == 15
        slot = chart["t"].index(int(earlier.timestamp()))
        assert total["requests"][slot] >= 14 and 150 <= total["p50_ms"][slot] <= 300
        per_app = http.get("/api/charts", params={"preset": "7d", "by": "app"}).json()
        assert {s["name"]: sum(s["requests"]) for s in per_app["series"]} == {"beta": 15, "alpha": 1}
        overview = http.get("/api/overview").json()
        beta = next(a for a in overview["apps"] if a["app"] == "beta")
        assert beta["today"]["requests"] == 15 and beta["today"]["phi_blocks"] == 1
    with client(pg_live, alpha) as http:
        rows = http.get("/api/requests").json()["data"]
        assert [r["id"] for r in rows] == [real_id]
        assert http.get("/api/requests/b-err").status_code == 404
        assert http.get("/api/charts", params={"app": "beta"}).status_code == 403


def test_request_text_retention_purge_on_postgres(pg_live: LiveServer) -> None:
    """The purge's UPDATE (its partial-index condition, the app list) on PostgreSQL: text past the
    retention (alpha has no section: the default 7 days) is cleared, the record and newer text stay."""
    now = dt.datetime.now(dt.UTC)
    texts = {"prompt_text": "user: hi [NAME_1]", "answer_text": "Echo: hi [NAME_1]"}
    old = record("alpha", ts=now - dt.timedelta(days=8), **texts)
    recent = record("alpha", ts=now - dt.timedelta(days=1), **texts)
    add_rows(pg_live, old, recent)
    database = pg_live.app.state.database
    settings = pg_live.gateway.config.current
    assert pg_live.call(purge_text(database, settings, now)) == 1
    assert pg_live.call(purge_text(database, settings, now)) == 0

    async def load() -> dict[str, UsageRecord]:
        async with database.session() as session:
            rows = await session.scalars(select(UsageRecord).where(UsageRecord.id.in_([old.id, recent.id])))
            return {r.id: r for r in rows}

    rows = pg_live.call(load())
    assert rows[old.id].prompt_text is None and rows[old.id].answer_text is None
    assert rows[old.id].input_tokens == 10
    assert rows[recent.id].prompt_text == texts["prompt_text"]
