"""Fixtures for the usage tests: a fresh database per test on SQLite AND the suite's real PostgreSQL."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.settings import start_fakes


def _pg_admin(url: str) -> dict[str, Any]:
    host = re.search(r"host=([^&]+)", url)
    assert host is not None
    return {"user": "postgres", "host": host.group(1), "database": "postgres"}


async def _pg_exec(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(**_pg_admin(url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
def pg_database(postgres_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the suite's server; dropped after the test."""
    name = "aiw_" + uuid.uuid4().hex[:12]
    asyncio.run(_pg_exec(postgres_url, f"CREATE DATABASE {name}"))
    try:
        yield postgres_url.replace("/postgres?", f"/{name}?")
    finally:
        asyncio.run(_pg_exec(postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'db' / 'usage.db'}"
    url: str = request.getfixturevalue("pg_database")
    return url


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[Any, Any]]:
    with start_fakes() as pair:
        yield pair
