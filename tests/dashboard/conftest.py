"""Fixtures for the dashboard tests: a live gateway (uvicorn on loopback, SQLite in its own data dir)
in front of the fake upstreams, keys for an admin and two apps, and headless Chromium via Playwright."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ai_workers.db.models import AuditEvent, Override
from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

APPS: dict[str, Any] = {
    "alpha": {
        "budgets": [
            {"period": "daily", "usd": 5.0, "soft_pct": 80},
            {"period": "monthly", "usd": 100.0, "requests": 1000},
        ]
    },
    "beta": {},
}


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[Any, Any]]:
    with start_fakes() as pair:
        yield pair


@pytest.fixture(scope="module")
def live(fakes: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workers, openai = fakes
    data_dir: Path = tmp_path_factory.mktemp("dashboard")
    settings = fake_settings(workers, openai, data_dir=str(data_dir), apps=APPS)
    with LiveServer(settings) as server:
        yield server


@pytest.fixture(scope="module")
def admin_key(live: LiveServer) -> str:
    return live.create_key("ops", role="admin")


@pytest.fixture(scope="module")
def alpha_key(live: LiveServer) -> str:
    return live.create_key("alpha")


@pytest.fixture(scope="module")
def beta_key(live: LiveServer) -> str:
    return live.create_key("beta")


def database(live: LiveServer) -> Any:
    return live.app.state.database


def add_rows(live: LiveServer, *rows: Any) -> None:
    """Insert rows on the server's own loop (its database engine lives there)."""

    async def insert() -> None:
        async with database(live).session() as session:
            session.add_all(rows)

    live.call(insert())


def audit_event(app: str, action: str, **fields: Any) -> AuditEvent:
    ts = fields.pop("ts", dt.datetime.now(dt.UTC))
    return AuditEvent(event_id=uuid.uuid4().hex, ts=ts, app=app, action=action, **fields)


def override(app: str, override_id: str, **fields: Any) -> Override:
    now = dt.datetime.now(dt.UTC)
    values: dict[str, Any] = {
        "kind": "phi",
        "reason": "clinical review",
        "granted_by": "admin-key",
        "created_at": now,
        "expires_at": now + dt.timedelta(hours=1),
    }
    values.update(fields)
    return Override(id=override_id, app=app, **values)


def client(live: LiveServer, key: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=live.url, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context per test: its own sessionStorage, so every test signs in anew."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
