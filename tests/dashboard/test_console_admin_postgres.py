"""The console's admin APIs on PostgreSQL: migration 0006, apps and budgets applied through the
registry, key rotation, alert and report claims (INSERT ... ON CONFLICT), spend per key and the safety
summary's grouped JSON types."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from ai_workers.db.models import AuditEvent
from ai_workers.usage.alert_history import RaisedAlert
from tests.dashboard.conftest import add_rows, client
from tests.dashboard.test_dashboard_postgres import _pg
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_live(fakes: tuple[Any, Any], postgres_url: str) -> Iterator[LiveServer]:
    name = "aiw_admin_" + uuid.uuid4().hex[:12]
    _pg(postgres_url, f"CREATE DATABASE {name}")
    url = postgres_url.replace("/postgres?", f"/{name}?")
    try:
        workers, upstream = fakes
        with LiveServer(fake_settings(workers, upstream, database_url=url)) as server:
            yield server
    finally:
        _pg(postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_console_admin_on_postgres(pg_live: LiveServer) -> None:
    admin = pg_live.create_key("default", role="admin")
    with client(pg_live, admin) as http:
        assert http.post("/admin/keys", json={"app": "clinc-notes"}).status_code == 404
        created = http.post(
            "/admin/apps",
            json={"name": "notes", "phi_policy": "redact", "budgets": [{"period": "monthly", "usd": 50}]},
        )
        assert created.status_code == 201, created.text
        budget_id = created.json()["budgets"][0]["id"]
        assert http.patch(f"/admin/budgets/{budget_id}", json={"usd": 60}).json()["usd"] == 60
        assert (
            http.post("/admin/budgets", json={"app": "notes", "period": "monthly", "usd": 1}).status_code
            == 409
        )
        key = http.post("/admin/keys", json={"app": "notes"}).json()
        rotated = http.post(f"/admin/keys/{key['id']}/rotate", json={"grace_hours": 1}).json()
        assert rotated["old"]["active"] and rotated["new"]["rotated_from"] == key["id"]
    sdk = openai.OpenAI(base_url=pg_live.url + "/v1", api_key=rotated["new"]["key"], max_retries=0)
    sdk.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "SSN 123-45-6789 in the note: summarise"}]
    )
    add_rows(pg_live, AuditEvent(event_id=uuid.uuid4().hex, ts=dt.datetime.now(dt.UTC), app="notes",
                                 action="phi_block", phi_types=["SSN"]))  # fmt: skip
    pg_live.call(pg_live.gateway.usage.flush())
    # Alert claims on PostgreSQL: the second raise of the same key is refused.
    hub = pg_live.gateway.usage.alert_hub
    alert = RaisedAlert(
        "circuit_open", "warning", "openai/gpt-4o", "Circuit open: openai / gpt-4o", "pg|once"
    )
    assert pg_live.call(hub.raise_alert(alert, webhook=False)) is True
    assert pg_live.call(hub.raise_alert(alert, webhook=False)) is False
    with client(pg_live, admin) as http:
        spend = http.get("/admin/keys/spend").json()["data"]
        assert spend[rotated["new"]["id"]]["requests"] == 1
        summary = http.get("/api/safety/summary", params={"app": "notes"}).json()
        assert summary["totals"]["redacted_requests"] == 1
        assert any(t["type"].upper().startswith("SSN") for t in summary["types"])
        assert {"app": "notes", "action": "phi_block", "count": 1} in summary["actions"]
        alerts = http.get("/api/alerts").json()["data"]
        assert [a["subject"] for a in alerts] == ["openai/gpt-4o"]
        assert [b["limit_usd"] for b in http.get("/api/budgets", params={"app": "notes"}).json()["data"]] == [
            60.0
        ]


def test_report_claim_on_postgres(pg_live: LiveServer) -> None:
    from ai_workers.usage.report_delivery import DailyReportScheduler

    scheduler = DailyReportScheduler(pg_live.gateway.usage.database, pg_live.gateway.config)
    day = dt.date(2026, 12, 1)

    async def both() -> list[bool]:
        return list(await asyncio.gather(scheduler._claim(day), scheduler._claim(day)))

    assert sorted(pg_live.call(both())) == [False, True]
