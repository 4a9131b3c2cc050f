"""Fixtures for the server tests: the fake upstreams and a live gateway in front of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

APPS: dict[str, Any] = {
    "alpha": {"allowed_models": ["gpt-4o-mini", "llama-3.3-70b-instruct-fp8-fast", "bge-m3"]},
    "beta": {"allowed_models": ["gpt-4o"]},
    "limited": {"rate_limit": {"requests_per_minute": 2}},
    "tokenlimited": {"rate_limit": {"tokens_per_minute": 5}},
}


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[Any, Any]]:
    with start_fakes() as pair:
        yield pair


@pytest.fixture(scope="module")
def live(fakes: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One gateway per test module, with its own data dir (SQLite) and the fakes as providers."""
    workers, openai = fakes
    data_dir: Path = tmp_path_factory.mktemp("gateway")
    settings = fake_settings(
        workers,
        openai,
        data_dir=str(data_dir),
        apps=APPS,
        server={"max_body_bytes": 64 * 1024, "max_messages": 20},
        safety={"unscannable": "allow"},  # the audio tests send audio, which PHI scanning cannot read
    )
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
