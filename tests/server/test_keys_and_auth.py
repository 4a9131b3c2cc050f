"""App keys: hashed at rest, shown once, scoped to the app's models and role; dev mode on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from ai_workers.cli.main import app as cli
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def db_path(live: LiveServer) -> Path:
    return live.gateway.settings.resolved_data_dir() / "ai-workers.db"


def test_keys_are_stored_hashed_and_shown_once(live: LiveServer, admin_key: str) -> None:
    created = httpx.post(
        live.url + "/admin/keys", json={"app": "alpha", "name": "ci"}, headers=bearer(admin_key)
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("aiw_")
    assert httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code == 200

    listed = httpx.get(live.url + "/admin/keys", headers=bearer(admin_key)).json()["data"]
    entry = next(k for k in listed if k["id"] == created.json()["id"])
    assert "key" not in entry and "key_hash" not in entry

    # Scan every byte the database keeps (main file and write-ahead log): no key, no secret.
    secret = key.split("_", 2)[2]  # aiw_<id>_<secret>; the secret's alphabet has "_" too
    for path in db_path(live).parent.glob("ai-workers.db*"):
        raw = path.read_bytes()
        assert key.encode() not in raw and secret.encode() not in raw, path
    with sqlite3.connect(db_path(live)) as conn:
        rows = conn.execute("SELECT id, key_hash FROM api_keys").fetchall()
    stored = dict(rows)[created.json()["id"]]
    assert stored == hashlib.sha256(key.encode()).hexdigest()


def test_app_key_cannot_use_admin_routes(live: LiveServer, alpha_key: str) -> None:
    assert httpx.get(live.url + "/admin/keys", headers=bearer(alpha_key)).status_code == 403
    forbidden = httpx.post(
        live.url + "/admin/keys", json={"app": "alpha", "role": "admin"}, headers=bearer(alpha_key)
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["type"] == "permission_error"
    assert httpx.get(live.url + "/admin/keys").status_code == 401


def test_key_models_narrow_the_apps_models(live: LiveServer, admin_key: str) -> None:
    key = live.create_key("alpha", models=["bge-m3"])
    denied = httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key))
    assert denied.status_code == 403
    assert denied.json()["error"]["param"] == "model"
    ok = httpx.post(live.url + "/v1/embeddings", json={"model": "bge-m3", "input": "x"}, headers=bearer(key))
    assert ok.status_code == 200


def test_revoked_key_is_refused_at_once(live: LiveServer, admin_key: str) -> None:
    created = httpx.post(live.url + "/admin/keys", json={"app": "alpha"}, headers=bearer(admin_key)).json()
    assert (
        httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(created["key"])).status_code
        == 200
    )
    revoked = httpx.delete(live.url + f"/admin/keys/{created['id']}", headers=bearer(admin_key))
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    again = httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(created["key"]))
    assert again.status_code == 401
    assert httpx.delete(live.url + "/admin/keys/nope", headers=bearer(admin_key)).status_code == 404


def test_x_api_key_header_and_wrong_keys(live: LiveServer, alpha_key: str) -> None:
    assert (
        httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers={"x-api-key": alpha_key}).status_code
        == 200
    )
    tampered = alpha_key[:-2] + ("AA" if not alpha_key.endswith("AA") else "BB")
    for key in (tampered, "not-a-key", "aiw_short_x"):
        response = httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key))
        assert response.status_code == 401
        assert response.json()["error"]["type"] == "authentication_error"


def test_unknown_admin_key_model_is_rejected(live: LiveServer, admin_key: str) -> None:
    bad = httpx.post(
        live.url + "/admin/keys", json={"app": "a", "models": ["nope"]}, headers=bearer(admin_key)
    )
    assert bad.status_code == 404 and bad.json()["error"]["param"] == "models"
    wrong = httpx.post(live.url + "/admin/keys", json={"app": 5}, headers=bearer(admin_key))
    assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "app"


# -- dev mode and the CLI (their own servers: they need an empty key table) ---------------------------


def test_dev_mode_only_while_no_key_exists(fakes: Any, tmp_path: Path) -> None:
    workers, openai = fakes
    with LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path))) as live:
        assert (
            httpx.post(live.url + "/v1/chat/completions", json=CHAT).status_code == 200
        )  # loopback, no keys
        proxied = httpx.post(
            live.url + "/v1/chat/completions", json=CHAT, headers={"x-forwarded-for": "203.0.113.9"}
        )
        assert proxied.status_code == 401
        key = live.create_key("default")
        assert httpx.post(live.url + "/v1/chat/completions", json=CHAT).status_code == 401
        assert (
            httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code == 200
        )


def test_required_keys_disable_dev_mode(fakes: Any, tmp_path: Path) -> None:
    workers, openai = fakes
    with LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path)), require_keys=True) as live:
        assert httpx.post(live.url + "/v1/chat/completions", json=CHAT).status_code == 401


def test_cli_create_list_revoke(fakes: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_WORKERS_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    # Keys are made for apps that exist: a typo is refused, naming the option.
    typo = runner.invoke(cli, ["keys", "create", "--app", "alpha"])
    assert typo.exit_code == 1 and "no app named 'alpha'" in typo.output
    assert runner.invoke(cli, ["apps", "create", "alpha"]).exit_code == 0
    created = runner.invoke(
        cli, ["keys", "create", "--app", "alpha", "--models", "gpt-4o-mini", "--name", "ci"]
    )
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("aiw_")
    listed = runner.invoke(cli, ["keys", "list"])
    key_id = key.split("_")[1]
    assert key_id in listed.stdout and key not in listed.stdout

    workers, openai = fakes
    with LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path))) as live:
        assert (
            httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code == 200
        )
        revoked = runner.invoke(cli, ["keys", "revoke", key_id])
        assert revoked.exit_code == 0, revoked.output
        live.call(live.keys.refresh())  # what the background refresh does every few seconds
        assert (
            httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code == 401
        )
    assert runner.invoke(cli, ["keys", "revoke", "nosuchkey"]).exit_code == 1
    assert runner.invoke(cli, ["keys", "create", "--app", "x", "--models", "nope"]).exit_code == 2


def test_key_created_by_the_cli_works_on_its_first_request(
    fakes: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key made in another process is looked up once on first sight, not refused until the next
    background refresh; made-up keys stay refused and are not looked up again within a second."""
    monkeypatch.setenv("AI_WORKERS_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    workers, openai = fakes
    with LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path))) as live:
        live.keys.refresh_interval_s = 3600.0  # no background refresh can help during this test
        live.create_key("beta")  # leave dev mode
        assert runner.invoke(cli, ["apps", "create", "alpha"]).exit_code == 0
        created = runner.invoke(cli, ["keys", "create", "--app", "alpha"])
        assert created.exit_code == 0, created.output
        key = created.stdout.strip().splitlines()[-1]
        answer = httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key))
        assert answer.status_code == 200, answer.text

        # An app that opens with a burst on its new key: one lookup serves them all, none is refused
        # for having found the per-second lookup budget spent by its siblings on the same id.
        burst = runner.invoke(cli, ["keys", "create", "--app", "alpha"])
        burst_key = burst.stdout.strip().splitlines()[-1]

        async def opening_burst() -> list[int]:
            async with httpx.AsyncClient(base_url=live.url, headers=bearer(burst_key), timeout=30) as c:
                answers = await asyncio.gather(
                    *(c.post("/v1/chat/completions", json=CHAT) for _ in range(60))
                )
            return [a.status_code for a in answers]

        lookups_before = live.keys._lookups[1]
        assert asyncio.run(opening_burst()) == [200] * 60
        assert live.keys._lookups[1] - lookups_before <= 1

        made_up = "aiw_0123456789ab_" + "x" * 43
        for _ in range(3):
            refused = httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(made_up))
            assert refused.status_code == 401
        assert live.keys._lookups[1] <= 3  # two new keys' lookups and one for the made-up id, not three


async def test_a_busy_database_delays_last_used_times_not_revocations(tmp_path: Path) -> None:
    """Workers share one SQLite file; when the last-used write-back finds it locked, the refresh still
    loads the snapshot (a revoked key stops working) and the used ids are written on a later refresh."""
    from ai_workers.db.engine import Database
    from ai_workers.server.keys import KeyStore

    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}", timeout_s=0.2)
    await db.migrate()
    store = KeyStore(db)
    try:
        info, key = await store.create("alpha")
        other, other_key = await store.create("alpha")
        await store.refresh()
        assert store.verify(key) is not None and store.verify(other_key) is not None
        await store.revoke(other.id)

        blocker = sqlite3.connect(tmp_path / "keys.db", timeout=0)
        blocker.execute("BEGIN IMMEDIATE")  # another worker holds the write lock
        try:
            with pytest.raises(Exception, match="locked"):
                await store.refresh()
            assert store.verify(other_key) is None  # the revocation arrived despite the failed write
        finally:
            blocker.rollback()
            blocker.close()
        await store.refresh()
        (listed,) = [k for k in await store.list_keys() if k.id == info.id]
        assert listed.last_used_at is not None  # written on the later refresh, not lost
    finally:
        await db.dispose()
