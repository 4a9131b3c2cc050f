"""The dashboard's own APIs and the overview on PostgreSQL (a fresh database on the suite's server)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.dashboard.conftest import APPS, add_rows, audit_event, client, override
from tests.dashboard.test_dashboard_ui import open_section, sign_in
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer
from tests.usage.conftest import _pg_exec

pytestmark = [pytest.mark.postgres, pytest.mark.browser]


def _pg(url: str, sql: str) -> None:
    """Run admin SQL in a worker thread: Playwright's sync API keeps an event loop on this one."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _pg_exec(url, sql)).result()


@pytest.fixture
def pg_live(fakes: tuple[Any, Any], postgres_url: str) -> Iterator[LiveServer]:
    name = "aiw_dash_" + uuid.uuid4().hex[:12]
    _pg(postgres_url, f"CREATE DATABASE {name}")
    url = postgres_url.replace("/postgres?", f"/{name}?")
    try:
        workers, openai = fakes
        with LiveServer(fake_settings(workers, openai, database_url=url, apps=APPS)) as server:
            yield server
    finally:
        _pg(postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_dashboard_on_postgres(pg_live: LiveServer, page: Any) -> None:
    admin = pg_live.create_key("ops", role="admin")
    alpha = pg_live.create_key("alpha")
    add_rows(
        pg_live,
        audit_event("alpha", "phi_block", request_id="pg-a", phi_types=["SSN"]),
        audit_event("beta", "safety_block", request_id="pg-b"),
        override("alpha", "ovr-pg"),
    )
    with client(pg_live, alpha) as http:
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello from postgres"}]}
        assert http.post("/v1/chat/completions", json=body).status_code == 200
        assert [e["request_id"] for e in http.get("/api/audit").json()["data"]] == ["pg-a"]
        assert http.get("/api/audit", params={"app": "beta"}).status_code == 403
        assert [o["id"] for o in http.get("/api/overrides").json()["data"]] == ["ovr-pg"]
    pg_live.call(pg_live.gateway.usage.flush())
    with client(pg_live, admin) as http:
        assert {"ops", "alpha", "beta"} <= set(http.get("/api/apps").json()["data"])
        quality = http.get("/api/quality").json()["data"]
        assert sum(row["requests"] for row in quality) == 1
    sign_in(page, pg_live, admin)
    open_section(page, "Overview")
    assert page.get_by_test_id("today-requests").get_attribute("data-value") == "1"
