"""The CLI's side of the console's admin features: apps with a policy and budgets, budget changes, key
expiry and rotation, each audited; a running server applies them without a restart."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from ai_workers.cli.main import app as cli
from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_cli_apps_budgets_and_key_rotation_apply_to_a_running_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AI_WORKERS_DATA_DIR", str(tmp_path))
    runner = CliRunner()

    def ok(*args: str) -> Any:
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return result

    bad = runner.invoke(cli, ["apps", "create", "Triage Bot"])
    assert bad.exit_code == 1 and "name:" in bad.output
    bad = runner.invoke(cli, ["apps", "create", "triage", "--phi-policy", "maybe"])
    assert bad.exit_code == 1 and "phi_policy" in bad.output
    ok("apps", "create", "triage", "--phi-policy", "redact", "--models", "gpt-4o-mini", "--daily-usd", "5")
    listed = json.loads(ok("apps", "--json").stdout)
    assert {"app": "triage", "phi_policy": "redact"}.items() <= next(
        a for a in listed if a["app"] == "triage"
    ).items()
    key = ok("keys", "create", "--app", "triage").stdout.strip().splitlines()[-1]
    key_id = key.split("_")[1]
    with start_fakes() as (workers, upstream):
        settings = fake_settings(workers, upstream, data_dir=str(tmp_path))
        with LiveServer(settings) as live:
            admin = live.create_key("default", role="admin")
            assert (
                httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code
                == 200
            )
            # A request budget of 1 set from the CLI is enforced by the running server within seconds.
            ok("apps", "budget", "set", "triage", "--period", "daily", "--requests", "1")
            deadline = time.monotonic() + 8
            while True:
                status = httpx.post(
                    live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)
                ).status_code
                if status == 429 or time.monotonic() > deadline:
                    break
                time.sleep(0.3)
            assert status == 429
            budgets = httpx.get(
                live.url + "/api/budgets", params={"app": "triage"}, headers=bearer(admin)
            ).json()
            assert [(b["limit_usd"], b["limit_requests"]) for b in budgets["data"]] == [(5.0, 1)]
            # Rotation: the old key keeps working through the grace period, the new one works at once.
            rotated = ok("keys", "rotate", key_id, "--grace-hours", "1")
            new_key = rotated.stdout.strip().splitlines()[-1]
            assert new_key.startswith("aiw_") and new_key != key
            for k in (key, new_key):
                assert httpx.get(live.url + "/api/me", headers=bearer(k)).status_code == 200
            # Whole seconds, at least 2 s ahead: "+1 s" truncated to the second was once already past when
            # the CLI checked it on a loaded CI machine.
            expire_at = int(time.time()) + 3
            ok("keys", "expire", key_id, "--at", time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(expire_at)))
            time.sleep(max(0.0, expire_at - time.time()) + 0.2)
            live.call(live.keys.refresh())  # what the background refresh does every 5 s
            assert httpx.get(live.url + "/api/me", headers=bearer(key)).status_code == 401
            assert httpx.get(live.url + "/api/me", headers=bearer(new_key)).status_code == 200
    assert "expired" in ok("keys", "list", "--all").stdout
    listed = ok("apps", "budget", "list", "triage").stdout
    assert "triage" in listed and "$5" in listed and "console/CLI" in listed
    budget_id = next(line.split()[1] for line in listed.splitlines() if "triage" in line)
    ok("apps", "update", "triage", "--phi-policy", "block", "--models", "*")
    assert json.loads(ok("apps", "--json").stdout)[-1]["phi_policy"] == "block"
    ok("apps", "budget", "remove", budget_id)
    assert "triage" not in ok("apps", "budget", "list", "triage").stdout.split("budgets", 1)[1]
    bad_expiry = runner.invoke(cli, ["keys", "expire", key_id, "--at", "yesterday"])
    assert bad_expiry.exit_code == 2 and "--expires" in bad_expiry.output
    # Each change is in the audit log with the CLI as the actor.
    from ai_workers.db.engine import Database
    from ai_workers.usage.audit import AuditLog
    from ai_workers.usage.spool import Spool

    async def actions() -> list[str]:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'ai-workers.db'}")
        try:
            events = await AuditLog(db, Spool(tmp_path / "spool-check")).query(limit=50)
            assert all(
                e.actor and e.actor.startswith("cli")
                for e in events
                if e.action.startswith(("app_", "budget_"))
            )
            return sorted({e.action for e in events})
        finally:
            await db.dispose()

    import asyncio

    found = asyncio.run(actions())
    assert {"app_create", "budget_update", "key_create", "key_rotate", "key_expiry"} <= set(found), found
