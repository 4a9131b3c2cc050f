"""Suite-wide fixtures: real PostgreSQL and Redis (started once per test process), a clean data dir."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.services import postgres_server, redis_server

# No test may reach a real provider or pick up the developer's own credentials or config.
for _var in (
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_ACCOUNT_ID",
    "OPENAI_API_KEY",
    "AI_WORKERS_CONFIG",
    "AI_WORKERS_DATABASE_URL",
    "AI_WORKERS_REDIS_URL",
    "OPENAI_BASE_URL",
    "CLOUDFLARE_BASE_URL",
):
    os.environ.pop(_var, None)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_WORKERS_DATA_DIR", str(tmp_path_factory.mktemp("aiw-data")))
