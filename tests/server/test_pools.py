"""Connection pools after a burst: the gateway keeps a few idle connections (upstream and Redis), not one
per request it had in flight, and closes idle upstream connections after their keep-alive expiry."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from ai_workers.db.redis_client import MAX_IDLE_CONNECTIONS
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer
from tests.support.services import redis_process

BURST = 80


async def burst(url: str, key: str, n: int) -> list[int]:
    headers = {"authorization": f"Bearer {key}"}

    def body() -> dict[str, Any]:
        return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"q {uuid.uuid4()}"}]}

    limits = httpx.Limits(max_connections=n)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        responses = await asyncio.gather(
            *(client.post("/v1/chat/completions", headers=headers, json=body()) for _ in range(n))
        )
    return [r.status_code for r in responses]


def wait_for(condition: Callable[[], bool], deadline_s: float = 15.0) -> None:
    """Poll until ``condition()``; fails only if it never happens."""
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition never became true")
        time.sleep(0.05)


def test_idle_upstream_connections_are_bounded_and_expire(fakes: tuple[Any, Any], tmp_path: Path) -> None:
    openai = fakes[1]
    openai.clear()
    options = {"keepalive_expiry_s": 1.0, "max_idle_connections": 8}
    settings = fake_settings(None, openai, data_dir=str(tmp_path), providers={"openai": {"options": options}})
    with LiveServer(settings) as server:
        key = server.create_key("pools")
        openai.inject("slow", times=BURST, delay=0.5)  # every request of the burst in flight at once
        assert asyncio.run(burst(server.url, key, BURST)) == [200] * BURST
        # A burst's connections are not all kept: at most max_idle_connections stay open...
        wait_for(lambda: len(openai._connections) <= 8)
        # ...and those close once idle for keepalive_expiry_s, with no request arriving to notice.
        wait_for(lambda: len(openai._connections) == 0)
    openai.clear()


@pytest.mark.redis
def test_idle_redis_connections_are_bounded_after_a_burst(fakes: tuple[Any, Any], tmp_path: Path) -> None:
    openai = fakes[1]
    openai.clear()
    with redis_process() as (url, _):
        settings = fake_settings(
            None, openai, data_dir=str(tmp_path), cache={"backend": "redis", "redis_url": url}
        )
        with LiveServer(settings) as server, redis.Redis.from_url(url) as probe:
            key = server.create_key("redis-pools")
            assert asyncio.run(burst(server.url, key, BURST)) == [200] * BURST
            # The cache's lookups ran concurrently; afterwards at most MAX_IDLE_CONNECTIONS stay open
            # (plus this probe's own connection).
            wait_for(lambda: len(probe.client_list()) <= MAX_IDLE_CONNECTIONS + 1)
    openai.clear()
