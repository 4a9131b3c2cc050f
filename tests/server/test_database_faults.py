"""The API against a PostgreSQL that freezes (SIGSTOP on its processes): bounded by the statement
timeout, answered 503 with Retry-After instead of holding the request until the client gives up."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ai_workers.db.engine import TIMEOUT_ENV
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

pytestmark = pytest.mark.postgres


def postgres_pids(url: str) -> list[int]:
    """The postmaster (from postmaster.pid in the data dir, which is the socket dir) and its children."""
    data_dir = Path(parse_qs(urlsplit(url).query)["host"][0])
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    pids = [postmaster]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                pids.append(int(stat.parent.name))
    return pids


@contextlib.contextmanager
def frozen_postgres(url: str) -> Iterator[None]:
    pids = postgres_pids(url)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGCONT)


def test_feedback_is_answered_while_postgres_is_frozen(
    fakes: tuple[Any, Any], postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    workers, openai = fakes
    settings = fake_settings(workers, openai, data_dir=str(tmp_path), database_url=postgres_url)
    with LiveServer(settings) as server:
        key = server.create_key("frozen-db")
        headers = {"authorization": f"Bearer {key}"}
        chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "rate me"}]}
        answer = httpx.post(f"{server.url}/v1/chat/completions", json=chat, headers=headers, timeout=30)
        feedback = {"request_id": answer.json()["id"], "rating": 1}
        with frozen_postgres(postgres_url):
            # The client waits far longer than the 1 s statement timeout: it used to wait forever.
            response = httpx.post(f"{server.url}/v1/feedback", json=feedback, headers=headers, timeout=20)
            assert response.status_code == 503
            assert response.json()["error"]["code"] == "database_unavailable"
            assert response.headers["retry-after"] == "5"
        response = httpx.post(f"{server.url}/v1/feedback", json=feedback, headers=headers, timeout=20)
        assert response.status_code == 201
