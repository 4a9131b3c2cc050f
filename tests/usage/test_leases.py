"""Budget leases (issue 22): several OS processes racing on one budget through leases, on the workers'
shared file and on Redis, never spend more than the limit plus the configured bound; a killed process's
unused lease returns; and admission does not cost a round trip per request."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from ai_workers.usage.counters import Reservation
from ai_workers.usage.leases import LeaseCounters
from tests.usage.lease_racer import checks_of, shared_store

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4


def spawn(store: str, spec: dict[str, Any]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.usage.lease_racer", store, json.dumps(spec)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def race(store: str, spec: dict[str, Any], processes: int = PROCESSES) -> list[dict[str, Any]]:
    spec = {**spec, "start_at": time.time() + 1.5}
    procs = [spawn(store, spec) for _ in range(processes)]
    out = []
    for proc in procs:
        stdout, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def stores(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if request.param == "redis":
        url: str = request.getfixturevalue("redis_url")
        return url
    return str(tmp_path / "budget-counters.db")


@pytest.fixture(params=["file", pytest.param("redis", marks=pytest.mark.redis)])
def store(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    return stores(tmp_path, request)


def test_racing_processes_never_spend_more_than_the_limit_plus_the_bound(store: str) -> None:
    # $1 at $0.001 a request: 1,000 requests' worth; bound 10% = $0.10.
    spec = {"app": f"race-{uuid.uuid4().hex[:8]}", "usd": 1.0, "estimate": 0.001, "bound_pct": 10.0}
    results = race(store, {**spec, "seconds": 3.0})
    spent = sum(r["spent"] for r in results)
    assert spent <= 1.0 + 0.10 + 1e-9
    assert spent >= 1.0 - 0.10 - 1e-9  # leases given back: the budget is used, not stranded
    assert any(r["refused"] > 0 for r in results)  # the limit was reached
    # Admission was local: far fewer round trips than requests admitted.
    assert sum(r["exchanges"] for r in results) < sum(r["admitted"] for r in results) / 3


def test_racing_processes_hold_a_request_limit_within_the_bound(store: str) -> None:
    spec = {"app": f"race-{uuid.uuid4().hex[:8]}", "requests": 2000, "estimate": 0.0, "bound_pct": 5.0}
    results = race(store, {**spec, "seconds": 3.0})
    admitted = sum(r["admitted"] for r in results)
    assert 2000 - 100 <= admitted <= 2000 + 100


def test_racing_processes_hold_a_shared_rate_limit(store: str) -> None:
    """Rate limits through leases: every request admitted was taken from the shared bucket, so 4
    processes hammering one key get the bucket's capacity plus its refill, not 4 times it."""
    spec = {"app": uuid.uuid4().hex[:8], "rate": True, "rpm": 600, "bound_pct": 20.0, "seconds": 3.0}
    results = race(store, spec)
    admitted = sum(r["admitted"] for r in results)
    window = max(r["ended"] for r in results) - min(r["began"] for r in results)
    assert admitted <= 600 + 600 / 60 * window + 1  # the bucket's capacity plus its refill, not 4x
    assert admitted >= 600 - 30  # leases given back: the limit is usable, not stranded
    assert any(r["refused"] > 0 for r in results)


async def test_a_killed_processs_unused_lease_returns(store: str) -> None:
    spec = {"app": f"race-{uuid.uuid4().hex[:8]}", "usd": 1.0, "estimate": 0.001, "bound_pct": 40.0}
    proc = spawn(store, {**spec, "hold": True})
    try:
        assert proc.stdout is not None
        held = json.loads(proc.stdout.readline())["held"]
        assert held[0] >= 0.09  # a quarter of the 40% bound
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    shared = shared_store(store)
    if hasattr(shared, "owner_ttl_s"):
        # Redis: the dead gateway's heartbeat must lapse first.
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(store, decode_responses=True)
        async for key in client.scan_iter(match="aiw:budget-owner:*"):
            if key.split(":")[-1].startswith(f"{proc.pid}-"):
                await client.delete(key)
        await client.aclose()
    leases = LeaseCounters(shared, bound_pct=40.0)
    checks = checks_of(spec)
    try:
        before = (await shared.read(checks))[0]
        assert before.reserved >= 0.09  # the dead process's lease still holds room
        # The survivor asks for more than is left beside the dead lease: the lease is reclaimed first.
        assert await leases.reserve(checks, 1.0 - 0.01) is None
        leases.settle_now(Reservation(checks, 0.99), 0.99)
        await leases.give_back()
        after = (await shared.read(checks))[0]
        assert after.reserved == pytest.approx(0.0, abs=1e-9)
        assert after.spent == pytest.approx(0.99)
    finally:
        await leases.aclose()


def _leased(tmp_path: Path, app: str, limit: int, *, redis_url: str | None = None) -> Any:
    from tests.usage.helpers import service

    return service(
        f"sqlite+aiosqlite:///{tmp_path / 'u.db'}",
        tmp_path,
        redis_url=redis_url,
        settings={
            "server": {"workers": 2},  # without Redis: the workers' shared file
            "usage": {"lease_bound_pct": 20.0},
            "apps": {app: {"budgets": [{"period": "daily", "requests": limit}]}},
        },
    )


async def _admit(svc: Any, app: str, count: int) -> int:
    from ai_workers.core.errors import BudgetExceededError
    from ai_workers.core.pipeline import Pipeline
    from ai_workers.core.types import Usage
    from tests.usage.helpers import answered_by, chat, chat_response, context

    async def answer(ctx: Any, request: Any) -> Any:
        answered_by(ctx, "gpt-4o", Usage(10, 10, 20))
        return chat_response("gpt-4o", ctx.usage)

    pipeline = Pipeline([svc.record_stage, svc.budget_stage], answer)
    admitted = 0
    for _ in range(count):
        try:
            await pipeline.run(context(svc.config.current, app=app), chat())
        except BudgetExceededError:
            continue
        admitted += 1
    return admitted


@pytest.mark.redis
async def test_leased_counters_are_rebuilt_after_redis_restarts_empty(tmp_path: Path, redis_url: str) -> None:
    import redis.asyncio as aioredis

    app = "lrestart-" + uuid.uuid4().hex[:6]
    svc = _leased(tmp_path, app, 40, redis_url=redis_url)
    await svc.start()
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        assert await _admit(svc, app, 15) == 15
        await svc.flush()
        keys = [k async for k in client.scan_iter(match=f"aiw:budget:{app}/*")]
        assert await client.delete(*keys) >= 1  # Redis restarted without persistence
        # Rebuilt from the 15 recorded plus this process's own lease: 25 more, not 40.
        assert await _admit(svc, app, 40) == 25
        await svc.budgets.leases.refresh()  # type: ignore[union-attr]
        (status,) = await svc.budgets.status(svc.config.current, [app])
        assert status.requests == 40
        assert status.lease_bound_requests == 8
    finally:
        await client.aclose()
        await svc.stop()


async def test_budget_status_reports_outstanding_leases_and_their_bound(tmp_path: Path) -> None:
    app = "lstatus-" + uuid.uuid4().hex[:6]
    svc = _leased(tmp_path, app, 100)
    await svc.start()
    try:
        assert await _admit(svc, app, 3) == 3
        (status,) = await svc.budgets.status(svc.config.current, [app])
        assert status.requests == 3  # this process's spend not reported yet is counted in
        assert status.lease_bound_requests == 20
        assert status.leased_requests == 5  # a quarter of the bound, taken by this process
        assert svc.budgets.leases is not None and svc.budgets.leases.exchanges == 1
    finally:
        await svc.stop()


def test_the_lease_bound_is_configurable_from_the_environment() -> None:
    from ai_workers.core.config import load_settings
    from ai_workers.usage.service import UsageSettings

    settings = load_settings(env={"AI_WORKERS_LEASE_BOUND_PCT": "2.5"})
    assert settings.section("usage", UsageSettings).lease_bound_pct == 2.5
