"""The gateway's own overhead (x-ai-workers-overhead-ms, aiw_overhead_seconds, usage_records.overhead_ms)
must not include time spent waiting on the upstream, for streams and non-streams alike.

The fake upstream answers ``SLOW_S`` late (fault injection): an overhead figure anywhere near that
carries the upstream's wait, not the gateway's work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ai_workers.db.models import UsageRecord
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

SLOW_S = 0.6
HALF_MS = SLOW_S * 1000 / 2


@pytest.fixture(scope="module")
def server(fakes: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("overhead")
    with LiveServer(fake_settings(None, fakes[1], data_dir=str(data_dir))) as live:
        yield live


@pytest.fixture
def openai(fakes: tuple[Any, Any]) -> Iterator[Any]:
    fakes[1].clear()
    yield fakes[1]
    fakes[1].clear()


def overhead_sum(url: str) -> float:
    text = httpx.get(f"{url}/metrics").text
    found = re.search(r'^aiw_overhead_seconds_sum\{route="/v1/chat/completions"\} (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


def record_overhead(server: LiveServer, request_id: str) -> float | None:
    async def read() -> float | None:
        usage = server.gateway.usage
        await usage.flush()
        async with usage.database.session() as session:
            row = await session.scalar(select(UsageRecord).where(UsageRecord.id == request_id))
        assert row is not None
        return row.overhead_ms

    result: float | None = server.call(read())
    return result


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "non-stream"])
def test_overhead_excludes_the_upstream_wait(server: LiveServer, openai: Any, stream: bool) -> None:
    key = server.create_key(f"overhead-{stream}")
    before = overhead_sum(server.url)
    openai.inject("slow", delay=SLOW_S, match="/chat/completions")
    body = {
        "model": "gpt-4o-mini",
        "stream": stream,
        "messages": [{"role": "user", "content": f"slow answer, stream={stream}"}],
    }
    with httpx.stream(
        "POST",
        f"{server.url}/v1/chat/completions",
        headers={"authorization": f"Bearer {key}"},
        json=body,
        timeout=30,
    ) as response:
        assert response.status_code == 200
        response.read()
    header = float(response.headers["x-ai-workers-overhead-ms"])
    assert header < HALF_MS  # it used to be the upstream's time to first token for a stream
    assert overhead_sum(server.url) - before < HALF_MS / 1000
    stored = record_overhead(server, response.headers["x-request-id"])
    assert stored is not None  # non-stream rows used to store NULL
    assert stored < HALF_MS
