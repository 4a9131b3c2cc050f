"""Fixtures for provider tests: one pair of fake upstreams per test module, reset for each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from ai_workers.client import AsyncClient
from ai_workers.gateway import Gateway
from tests.fakes import FakeOpenAI, FakeWorkersAI, fake_settings, start_fakes


class SleepRecorder:
    """Injected instead of asyncio.sleep: records the backoff delays, never waits."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeWorkersAI, FakeOpenAI]]:
    with start_fakes() as pair:
        yield pair


@pytest.fixture
def workers(fakes: tuple[FakeWorkersAI, FakeOpenAI]) -> Iterator[FakeWorkersAI]:
    fakes[0].clear()
    fakes[0].reply_text = None
    fakes[0].guard_format = "text"
    fakes[0].tts_binary = False
    yield fakes[0]
    fakes[0].clear()


@pytest.fixture
def openai_fake(fakes: tuple[FakeWorkersAI, FakeOpenAI]) -> Iterator[FakeOpenAI]:
    fakes[1].clear()
    fakes[1].reply_text = None
    fakes[1].streams = True
    yield fakes[1]
    fakes[1].clear()


@pytest.fixture
def sleeper() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def client(
    workers: FakeWorkersAI, openai_fake: FakeOpenAI, sleeper: SleepRecorder
) -> AsyncIterator[AsyncClient]:
    gateway = Gateway(client_settings(workers, openai_fake), executor_options={"sleep": sleeper})
    async with AsyncClient(gateway=gateway, app="tests") as c:
        yield c


def client_settings(workers: Any, openai: Any, **overrides: Any) -> Any:
    """Fake settings whose providers are trusted with PHI: these tests exercise the provider layer, so the
    safety stage must not block their images/audio (its own tests cover that)."""
    trusted = {
        "providers": {"cloudflare": {"trusted_with_phi": True}, "openai": {"trusted_with_phi": True}},
        "apps": {"tests": {"phi_policy": "allow"}},
    }
    return fake_settings(workers, openai, **{**trusted, **overrides})


def model_requests(fake: Any, model_or_route: str) -> list[Any]:
    """The requests a fake received for one model (Workers AI path) or route (OpenAI path)."""
    return [r for r in fake.requests if r.path.endswith(model_or_route)]
