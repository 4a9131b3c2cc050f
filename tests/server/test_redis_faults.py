"""Optional uses of Redis (the cache, shared rate-limit buckets) against a Redis that freezes: a real
redis-server process stopped with SIGSTOP while the real gateway serves over HTTP."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer
from tests.support.services import redis_process

pytestmark = pytest.mark.redis

# A client deadline shorter than the 2 s every request used to wait for the frozen Redis, and far
# longer than one short Redis timeout: what a user with a 1.5 s client timeout would notice.
CLIENT_DEADLINE_S = 1.5


@contextlib.contextmanager
def frozen(pid: int) -> Iterator[None]:
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def ask(client: httpx.Client, key: str, text: str) -> httpx.Response:
    return client.post(
        "/v1/chat/completions",
        headers={"authorization": f"Bearer {key}"},
        json={"model": "gpt-4o-mini", "temperature": 0, "messages": [{"role": "user", "content": text}]},
    )


def test_a_frozen_redis_costs_the_cache_no_more_than_a_miss(fakes: tuple[Any, Any], tmp_path: Path) -> None:
    workers, openai = fakes
    with redis_process() as (url, proc):
        settings = fake_settings(
            workers,
            openai,
            data_dir=str(tmp_path),
            cache={"backend": "redis", "redis_url": url},
            safety={"unscannable": "allow"},
        )
        with LiveServer(settings) as server:
            key = server.create_key("frozen")
            with httpx.Client(base_url=server.url, timeout=CLIENT_DEADLINE_S) as client:
                assert ask(client, key, "warm the cache").headers["x-ai-workers-cache"] == "miss"
                assert ask(client, key, "warm the cache").headers["x-ai-workers-cache"] == "hit"
                with frozen(proc.pid):
                    # Each would have waited for the cache's 2 s Redis timeout; now the first pays one
                    # short timeout and the rest skip Redis during its cool-down: answered as misses.
                    for i in range(6):
                        response = ask(client, key, f"question {i} while Redis is frozen")
                        assert response.status_code == 200
                        assert response.headers["x-ai-workers-cache"] != "hit"
                    response = ask(client, key, "warm the cache")  # cached, but Redis cannot say so
                    assert response.status_code == 200
