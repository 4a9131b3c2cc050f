"""Circuit breakers seen from a client: the real server over HTTP against the fake upstreams.

OpenAI is the only provider here, so gpt-4o-mini has no fallback: every 503 the breaker causes is an
answer a client loses.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer


def body() -> dict[str, Any]:
    """A fresh question each time, so the cache never answers for the upstream."""
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"hello {uuid.uuid4()}"}]}


def sole_target_server(openai: Any, data_dir: Path, **overrides: Any) -> LiveServer:
    settings = fake_settings(None, openai, data_dir=str(data_dir), **overrides)
    return LiveServer(settings)


async def burst(url: str, key: str, n: int) -> list[int]:
    headers = {"authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        responses = await asyncio.gather(
            *(client.post("/v1/chat/completions", headers=headers, json=body()) for _ in range(n))
        )
    return [r.status_code for r in responses]


def circuits(url: str, key: str) -> dict[str, str]:
    response = httpx.get(f"{url}/health/providers", headers={"authorization": f"Bearer {key}"})
    return {m["model"]: m["state"] for p in response.json()["providers"].values() for m in p["models"]}


@pytest.fixture
def openai(fakes: tuple[Any, Any]) -> Iterator[Any]:
    fakes[1].clear()
    yield fakes[1]
    fakes[1].clear()


def test_a_burst_of_upstream_errors_that_retries_absorb_costs_no_answer(openai: Any, tmp_path: Path) -> None:
    with sole_target_server(openai, tmp_path) as server:
        key = server.create_key("burst")
        # The first try of each of 12 concurrent requests fails; each retry succeeds.
        openai.inject("502", times=12, first_try_only=True)
        assert asyncio.run(burst(server.url, key, 12)) == [200] * 12
        # No circuit opened behind the clients' backs: the next requests are served too.
        assert asyncio.run(burst(server.url, key, 20)) == [200] * 20
        assert circuits(server.url, key).get("gpt-4o-mini", "closed") == "closed"


def test_a_model_with_no_fallback_is_throttled_not_cut_off(openai: Any, tmp_path: Path) -> None:
    health = {"min_requests": 4, "cooldown_s": 60, "last_resort_share": 0.5, "half_open_trials": 2}
    with sole_target_server(openai, tmp_path, routing={"health": health}) as server:
        key = server.create_key("outage")
        openai.inject("500", times=4 * 3)  # 4 requests fail all 3 tries: the circuit opens
        assert asyncio.run(burst(server.url, key, 4)) == [502] * 4
        assert circuits(server.url, key)["gpt-4o-mini"] == "open"
        # The upstream is back. With no fallback, an open circuit still lets half the requests through
        # and their successes close it, instead of answering 503 for the whole cool-down.
        statuses = [asyncio.run(burst(server.url, key, 1))[0] for _ in range(4)]
        assert statuses.count(200) >= 2
        assert circuits(server.url, key)["gpt-4o-mini"] == "closed"
        assert asyncio.run(burst(server.url, key, 10)) == [200] * 10


@pytest.mark.redis
def test_one_replica_opening_a_circuit_protects_the_others(
    fakes: tuple[Any, Any], tmp_path: Path, redis_url: str
) -> None:
    workers, openai = fakes
    workers.clear()
    health = {"min_requests": 2, "cooldown_s": 60}
    shared = {"redis_url": redis_url, "routing": {"health": health}}
    a = LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path / "a"), **shared))
    b = LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path / "b"), **shared))
    with a, b:
        key_a, key_b = a.create_key("replica"), b.create_key("replica")
        model = "@cf/meta/llama-3.1-8b-instruct-fp8-fast"
        body = {"model": "llama-3.1-8b", "messages": [{"role": "user", "content": "hi"}]}
        wait_for(lambda: b.gateway.health.sync is not None and b.gateway.health.sync.subscribed.is_set())
        workers.inject("500", times=2 * 3, match="llama-3.1-8b")
        for _ in range(2):  # replica A: two requests fail on Workers AI and fall back to OpenAI
            response = httpx.post(
                f"{a.url}/v1/chat/completions", headers={"authorization": f"Bearer {key_a}"}, json=body
            )
            assert response.headers["x-ai-workers-provider"] == "openai"
        assert circuits(a.url, key_a)[model] == "open"
        wait_for(lambda: circuits(b.url, key_b).get(model) == "open")
        before = len(workers.requests)
        response = httpx.post(
            f"{b.url}/v1/chat/completions", headers={"authorization": f"Bearer {key_b}"}, json=body
        )
        assert response.status_code == 200 and response.headers["x-ai-workers-provider"] == "openai"
        assert len(workers.requests) == before  # B did not spend a request finding out
    workers.clear()


def wait_for(condition: Any, deadline_s: float = 15.0) -> None:
    """Poll until ``condition()`` (a message crossing Redis); fails only if it never happens."""
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition never became true")
        time.sleep(0.05)
