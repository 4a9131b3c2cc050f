"""Budgets survive a Redis that restarts empty (issue 21, point 2).

Counters used to be re-seeded from the baseline read when the gateway started, so every restart of Redis
forgot the spend since then (+22% over budget after one restart, 1.83x after two). Here the counters of
one app are deleted from the suite's real Redis between requests, as a restart without persistence
does, and the budget must still admit exactly as many requests as it has room for.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest

from ai_workers.core.errors import BudgetExceededError
from ai_workers.core.pipeline import Pipeline
from ai_workers.core.types import Usage
from ai_workers.usage.service import UsageService
from tests.usage.helpers import answered_by, chat, chat_response, context, service

pytestmark = pytest.mark.redis

LIMIT = 5


async def _forget(redis_url: str, app: str) -> int:
    """What a Redis restart without persistence does to this app's counters."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        keys = [k async for k in client.scan_iter(match=f"aiw:budget:{app}/*")]
        return int(await client.delete(*keys)) if keys else 0
    finally:
        await client.aclose()


def _budgeted(tmp_path: Path, redis_url: str, app: str) -> UsageService:
    return service(
        f"sqlite+aiosqlite:///{tmp_path / 'u.db'}",
        tmp_path,
        redis_url=redis_url,
        # Bound 0: no leases, a reservation per request (the exact mode these tests pin down); the
        # same restart with leases is in test_leases.py.
        settings={
            "usage": {"lease_bound_pct": 0},
            "apps": {app: {"budgets": [{"period": "daily", "requests": LIMIT}]}},
        },
    )


async def _answer(ctx: Any, request: Any) -> Any:
    answered_by(ctx, "gpt-4o", Usage(10, 10, 20))
    return chat_response("gpt-4o", ctx.usage)


async def _admitted(svc: UsageService, app: str, count: int, *, flush: bool = True) -> int:
    pipeline = Pipeline([svc.record_stage, svc.budget_stage], _answer)
    admitted = 0
    for _ in range(count):
        try:
            await pipeline.run(context(svc.config.current, app=app), chat())
        except BudgetExceededError:
            continue
        admitted += 1
        if flush:
            await svc.flush()
    return admitted


async def test_counters_rebuilt_from_the_database_after_redis_restarts_empty(
    tmp_path: Path, redis_url: str
) -> None:
    app = "restart-" + uuid.uuid4().hex[:6]
    svc = _budgeted(tmp_path, redis_url, app)
    await svc.start()  # the start-time baseline: nothing spent yet
    try:
        assert await _admitted(svc, app, 2) == 2
        assert await _forget(redis_url, app) == 1  # restart 1
        assert await _admitted(svc, app, 1) == 1
        assert await _forget(redis_url, app) == 1  # restart 2
        # 3 recorded: room for 2 more, whatever the start-time baseline said.
        assert await _admitted(svc, app, 4) == 2
        statuses = await svc.budgets.status(svc.config.current, [app])
        assert statuses[0].requests == LIMIT and statuses[0].reserved_usd == 0
    finally:
        await svc.stop()


async def test_a_restart_with_requests_in_flight_neither_loses_nor_double_counts_them(
    tmp_path: Path, redis_url: str
) -> None:
    """A request reserved before the restart and settled after it: the rebuild counts its reservation
    (it is this process's), and its settlement releases it exactly once."""
    app = "inflight-" + uuid.uuid4().hex[:6]
    svc = _budgeted(tmp_path, redis_url, app)
    await svc.start()
    release = asyncio.Event()

    async def slow(ctx: Any, request: Any) -> Any:
        await release.wait()
        return await _answer(ctx, request)

    try:
        pipeline = Pipeline([svc.record_stage, svc.budget_stage], slow)
        held = [
            asyncio.create_task(pipeline.run(context(svc.config.current, app=app), chat())) for _ in range(2)
        ]
        await asyncio.sleep(0.2)  # both reserved
        await _forget(redis_url, app)
        # 2 in flight: room for 3 more (the rebuild must count the two live reservations).
        assert await _admitted(svc, app, 2) == 2
        release.set()
        await asyncio.gather(*held)
        await svc.flush()
        assert await _admitted(svc, app, 3) == 1
        statuses = await svc.budgets.status(svc.config.current, [app])
        assert statuses[0].requests == LIMIT and statuses[0].reserved_usd == 0
    finally:
        await svc.stop()


async def test_a_settlement_lost_to_a_redis_outage_is_not_counted_by_the_rebuild(
    tmp_path: Path, redis_url: str
) -> None:
    """Found by the load suite: a settlement that failed (Redis down) left its reservation among the
    process's live ones, so every later rebuild counted it in flight again, for good."""
    from ai_workers.usage.redis_counters import RedisCounters

    app = "lost-" + uuid.uuid4().hex[:6]
    svc = _budgeted(tmp_path, redis_url, app)
    counters = svc.budgets.counters
    assert isinstance(counters, RedisCounters)
    s = svc.config.current
    await svc.database.migrate()
    try:
        reservation = await svc.budgets.reserve(context(s, app=app), chat())
        assert reservation is not None
        real = counters._settle

        async def down(**kwargs: Any) -> Any:
            raise ConnectionError("Redis is down")

        counters._settle = down
        with pytest.raises(ConnectionError):
            await svc.budgets.settle(reservation, 0.0)
        counters._settle = real
        counters._down_until = 0.0  # Redis is back
        await _forget(redis_url, app)  # Redis comes back empty
        await svc.budgets.reserve(context(s, app=app), chat())
        (counter,) = await counters.read(reservation.checks)
        assert counter.reserved_requests == 1  # the new request only
    finally:
        await svc.budgets.aclose()
        await svc.database.dispose()


async def test_a_dead_gateways_redis_reservations_are_reclaimed(redis_url: str) -> None:
    """A gateway killed with SIGKILL never settles; once its heartbeat lapses, another gateway's
    refusal path (and its periodic upkeep) releases the dead one's reservations."""
    import msgspec

    from ai_workers.core.config import Settings
    from ai_workers.usage.budgets import BudgetEnforcer
    from ai_workers.usage.redis_counters import RedisCounters

    app = "dead-" + uuid.uuid4().hex[:6]
    s = msgspec.convert({"apps": {app: {"budgets": [{"period": "daily", "requests": 3}]}}}, Settings)
    dead = BudgetEnforcer(redis_url=redis_url, lease_bound_pct=0)  # reservations, not leases
    alive = BudgetEnforcer(redis_url=redis_url, lease_bound_pct=0)
    assert isinstance(dead.counters, RedisCounters) and isinstance(alive.counters, RedisCounters)
    dead.counters.owner_ttl_s = 1
    try:
        for _ in range(3):
            assert await dead.reserve(context(s, app=app), chat()) is not None
        with pytest.raises(BudgetExceededError):
            await alive.reserve(context(s, app=app), chat())
        await asyncio.sleep(1.5)  # the dead gateway's heartbeat lapses; its reservations never settle
        alive.counters._next_reclaim = 0.0  # the once-a-second limit on reclaiming before a refusal
        assert await alive.reserve(context(s, app=app), chat()) is not None
        assert alive.counters.reclaimed == 3
    finally:
        await dead.aclose()
        await alive.aclose()
