"""Issue 18 over the real server: requests carrying pathological 100 KB tokens (the shapes that used to
take the detector seconds to minutes on the event loop, until the worker was killed) are scanned or
refused on their own, while another app's requests keep being answered."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

APPS: dict[str, Any] = {"noisy": {"phi_policy": "redact"}, "quiet": {"phi_policy": "redact"}}
NOTE = "Patient: Thaddeus Quimby, DOB 04/22/1951, MRN: 77120934. A1c 7.9, metformin 500 mg BID."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with start_fakes() as (workers, openai):
        settings = fake_settings(workers, openai, data_dir=str(tmp_path_factory.mktemp("redos")), apps=APPS)
        with LiveServer(settings) as live:
            yield live


def _chat(client: httpx.Client, key: str, text: str) -> httpx.Response:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    return client.post("/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"})


def test_pathological_tokens_do_not_hold_up_other_requests(server: LiveServer) -> None:
    noisy, quiet = server.create_key("noisy"), server.create_key("quiet")
    rnd = random.Random(18)
    tokens = [
        "".join(rnd.choice("0123456789ABCDEF") for _ in range(100_000)),  # was ~10 s per 2,200 chars
        "A" * 100_000,  # was ~48 s
        "id-" * 33_333 + "1",
    ]
    outcomes: list[tuple[int, str]] = []

    def send(token: str) -> None:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            r = _chat(client, noisy, f"see {token} thanks")
            outcomes.append(
                (r.status_code, r.json().get("error", {}).get("type", "") if r.status_code != 200 else "")
            )

    senders = [threading.Thread(target=send, args=(t,)) for t in tokens]
    latencies: list[float] = []
    with httpx.Client(base_url=server.url, timeout=30) as client:
        _chat(client, quiet, NOTE)  # warm
        for t in senders:
            t.start()
        deadline = time.monotonic() + 60
        while (any(t.is_alive() for t in senders) or len(latencies) < 20) and time.monotonic() < deadline:
            started = time.monotonic()
            r = _chat(client, quiet, NOTE)
            latencies.append(time.monotonic() - started)
            assert r.status_code == 200, r.text
    for t in senders:
        t.join(timeout=60)
    assert len(outcomes) == len(tokens)
    # Each pathological request is answered on its own: scanned (200) or refused fail-closed (503).
    assert all(
        status == 200 or (status == 503 and kind == "safety_check_failed") for status, kind in outcomes
    )
    # The worker never froze: a liveness bound, generous for a loaded CI machine (a quiet request takes
    # milliseconds; before the fix the event loop stopped for tens of seconds and uvicorn killed the
    # worker after ~5 s).
    assert max(latencies) < 10.0, latencies
