"""`ai-workers serve` on a fresh machine, graceful shutdown, and usage records with the calling user."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer
from tests.support.serve import serving_on_embedded_defaults, stop_gracefully, wait_until


def test_serve_starts_on_embedded_defaults_and_stops_cleanly(tmp_path: Path) -> None:
    with serving_on_embedded_defaults(tmp_path) as (proc, url):
        # No config, no keys: dev mode lets loopback callers in as the default app.
        models = httpx.get(f"{url}/v1/models")
        assert models.status_code == 200 and models.json()["data"]
        # No provider credentials: a clear error, not a crash.
        chat = httpx.post(
            f"{url}/v1/chat/completions",
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
        )
        assert chat.status_code in (502, 503)
        assert "error" in chat.json()
        stop_gracefully(proc)


def test_graceful_shutdown_finishes_in_flight_requests_and_flushes_records(
    fakes: Any, tmp_path: Path
) -> None:
    workers, openai = fakes
    live = LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path))).start()
    key = live.create_key("clinic")
    headers = {"authorization": f"Bearer {key}"}
    try:
        by_header = httpx.post(
            live.url + "/v1/chat/completions",
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "a"}], "user": "ignored"},
            headers={**headers, "x-ai-workers-user": "nurse-7"},
        )
        by_field = httpx.post(
            live.url + "/v1/chat/completions",
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "b"}], "user": "doctor-3"},
            headers=headers,
        )
        openai.inject("slow", delay=0.5)
        seen = len(openai.requests)
        answers: list[httpx.Response] = []
        slow = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "slow one"}]}
        caller = threading.Thread(
            target=lambda: answers.append(
                httpx.post(live.url + "/v1/chat/completions", json=slow, headers=headers)
            )
        )
        caller.start()
        wait_until(lambda: len(openai.requests) > seen, "the slow request to reach the upstream")
    finally:
        live.stop()  # while the slow request is in flight
    caller.join(timeout=30)
    openai.clear()
    assert answers and answers[0].status_code == 200
    assert answers[0].json()["choices"][0]["message"]["content"] == "Echo: slow one"

    ids = {r.headers["x-request-id"]: r for r in (by_header, by_field, answers[0])}
    with sqlite3.connect(tmp_path / "ai-workers.db") as db:
        rows = dict(db.execute('SELECT id, "user" FROM usage_records WHERE app = ?', ("clinic",)).fetchall())
    assert set(ids) <= set(rows), "every answered request has its usage record after shutdown"
    assert rows[by_header.headers["x-request-id"]] == "nurse-7"  # the header wins over the body field
    assert rows[by_field.headers["x-request-id"]] == "doctor-3"
