"""Key revocation reaches every worker and replica within a second (issue 22): revoked through server A,
the key is refused by server B within 1 s — workers of one host through the data dir's generation
file, replicas on other hosts (their own data dirs, one database) through Redis pub/sub."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def revoked_within(first: LiveServer, second: LiveServer) -> float:
    """Revoke a key through ``first``; seconds until ``second`` refuses it."""
    admin = first.create_key("alpha", role="admin")
    key = first.create_key("alpha")
    assert httpx.post(second.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code == 200
    key_id = key.split("_")[1]
    started = time.monotonic()
    assert httpx.delete(f"{first.url}/admin/keys/{key_id}", headers=bearer(admin)).status_code == 200
    while time.monotonic() - started < 5.0:
        status = httpx.post(second.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code
        if status == 401:
            return time.monotonic() - started
        time.sleep(0.05)
    return float("inf")


def test_a_key_revoked_through_one_worker_is_refused_by_another_within_a_second(
    fakes: Any, tmp_path: Path
) -> None:
    workers, openai = fakes
    as_workers = {"data_dir": str(tmp_path), "server": {"workers": 2}}
    with (
        LiveServer(fake_settings(workers, openai, **as_workers)) as first,
        LiveServer(fake_settings(workers, openai, **as_workers)) as second,
    ):
        assert revoked_within(first, second) <= 1.0


@pytest.mark.redis
def test_a_key_revoked_on_one_replica_is_refused_by_another_within_a_second(
    fakes: Any, tmp_path: Path, redis_url: str
) -> None:
    workers, openai = fakes
    database = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"  # one database, two hosts' data dirs
    replica = {"redis_url": redis_url, "database_url": database}
    with (
        LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path / "a"), **replica)) as first,
        LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path / "b"), **replica)) as second,
    ):
        assert revoked_within(first, second) <= 1.0
