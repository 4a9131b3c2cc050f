"""One racing process for the lease tests: ``python -m tests.usage.lease_racer <store> <spec json>``.

``store`` is a Redis URL or the path of the workers' shared counter file. The process builds the budget
of the spec, waits for the common start time, then admits requests through ``LeaseCounters`` as fast as
it can (each settles at once with its estimate, the worst case the guarantee allows), and prints what it
admitted as one JSON line after giving its leases back. With ``"hold": true`` it prints once it holds a
lease and then sleeps (the test SIGKILLs it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

from ai_workers.usage.budget_rules import BudgetRule, compile_budgets
from ai_workers.usage.budgets import counter_key
from ai_workers.usage.counters import COUNTER_TTL_S, Check, Reservation, SharedCounters
from ai_workers.usage.leases import LeaseCounters
from ai_workers.usage.redis_counters import RedisCounters
from ai_workers.usage.shared_counters import SqliteCounters


def shared_store(store: str) -> SharedCounters:
    def baseline(check: Check) -> tuple[float, int]:
        return 0.0, 0

    if store.startswith("redis://"):
        return RedisCounters(store, baseline, prefix="aiw:test-lease:")
    return SqliteCounters(Path(store), baseline, ttl_s=COUNTER_TTL_S)


def checks_of(spec: dict[str, Any]) -> list[Check]:
    rule = BudgetRule(period="daily", usd=spec.get("usd"), requests=spec.get("requests"))
    (budget,) = compile_budgets(spec.get("app", "race"), [rule])
    start = dt.date.fromisoformat(spec.get("day", "2026-12-06"))
    return [Check(budget, counter_key(budget, None, start), start, None)]


async def rate(store: str, spec: dict[str, Any]) -> None:
    """Admit as fast as the shared rate limit lets this process, for ``seconds``."""
    import msgspec

    from ai_workers.core.config import Settings
    from ai_workers.core.context import AppIdentity
    from ai_workers.core.errors import RateLimitError
    from ai_workers.db.redis_client import redis_client
    from ai_workers.server.limits import RateLimiter, SqliteBuckets

    if store.startswith("redis://"):
        limiter = RateLimiter(redis=redis_client(store, timeout_s=2.0), prefix=f"aiw:rl-test:{spec['app']}:")
    else:
        limiter = RateLimiter(shared=SqliteBuckets(Path(store)))
    limit = {"requests_per_minute": spec["rpm"], "lease_pct": spec["bound_pct"]}
    settings = msgspec.convert({"apps": {"a": {"rate_limit": limit}}}, Settings)
    identity = AppIdentity("a", key_id="k1")
    admitted = refused = 0
    await asyncio.sleep(max(0.0, spec.get("start_at", 0.0) - time.time()))
    began = time.time()
    deadline = time.monotonic() + spec.get("seconds", 2.0)
    while time.monotonic() < deadline:
        try:
            await limiter.check(settings, identity)
        except RateLimitError:
            refused += 1
            await asyncio.sleep(0.005)
            continue
        admitted += 1
        if admitted % 20 == 0:
            await asyncio.sleep(0)
    exchanges, ended = limiter.exchanges, time.time()
    await limiter.aclose()
    print(
        json.dumps(
            {"admitted": admitted, "refused": refused, "exchanges": exchanges, "began": began, "ended": ended}
        )
    )


async def main(store: str, spec: dict[str, Any]) -> None:
    if spec.get("rate"):
        await rate(store, spec)
        return
    leases = LeaseCounters(shared_store(store), bound_pct=spec["bound_pct"])
    checks = checks_of(spec)
    estimate = float(spec.get("estimate", 0.001))
    admitted, spent, refused = 0, 0.0, 0
    await asyncio.sleep(max(0.0, spec.get("start_at", 0.0) - time.time()))
    if spec.get("hold"):
        assert await leases.reserve(checks, estimate) is None
        print(json.dumps({"held": leases.outstanding()}), flush=True)
        await asyncio.sleep(3600)
    deadline = time.monotonic() + spec.get("seconds", 2.0)
    while time.monotonic() < deadline:
        violation = await leases.reserve(checks, estimate)
        if violation is not None:
            refused += 1
            await asyncio.sleep(0.005)
            continue
        admitted += 1
        spent += estimate
        leases.settle_now(Reservation(checks, estimate), estimate)
        if admitted % 20 == 0:
            await asyncio.sleep(0)  # let the refill task run, as a server's event loop would
    exchanges = leases.exchanges
    await leases.aclose()
    print(json.dumps({"admitted": admitted, "spent": spent, "refused": refused, "exchanges": exchanges}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], json.loads(sys.argv[2])))
