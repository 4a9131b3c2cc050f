"""Shared budget checks with several worker processes: per-request reservations vs leases.

What issue 22 measured as stalls: every budgeted request of ``serve --workers N`` without Redis did one
``BEGIN IMMEDIATE`` transaction on the workers' shared file (with Redis: one Lua round trip), so workers
queued behind each other on the request path. This runs ``--processes`` OS processes that each admit
and settle ``--requests`` requests on one budget as fast as they can, through the shared file and
(with ``--redis URL``) through Redis, once with a reservation per request (``lease_bound_pct: 0``) and
once with leases (``usage.leases``), and prints per-request admission latency (p50, p99, max) and
throughput summed over the processes. Timing is inside each process (perf_counter around ``reserve``),
so a loaded machine inflates both modes alike; compare them side by side in one run.

    python bench/bench_leases.py [--processes 2] [--requests 5000] [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


async def worker(store: str, mode: str, app: str, requests: int, start_at: float) -> dict[str, Any]:
    from ai_workers.usage.budget_rules import BudgetRule, compile_budgets
    from ai_workers.usage.budgets import counter_key
    from ai_workers.usage.counters import COUNTER_TTL_S, Check, Reservation, SharedCounters
    from ai_workers.usage.leases import LeaseCounters
    from ai_workers.usage.redis_counters import RedisCounters
    from ai_workers.usage.shared_counters import SqliteCounters

    def baseline(check: Check) -> tuple[float, int]:
        return 0.0, 0

    shared: SharedCounters
    if store.startswith("redis://"):
        shared = RedisCounters(store, baseline, prefix="aiw:bench-lease:")
    else:
        shared = SqliteCounters(Path(store), baseline, ttl_s=COUNTER_TTL_S)
    (budget,) = compile_budgets(app, [BudgetRule(period="daily", usd=1_000_000.0)])
    start = dt.date.today()
    checks = [Check(budget, counter_key(budget, None, start), start, None)]
    counters = LeaseCounters(shared, bound_pct=5.0) if mode == "lease" else shared
    estimate = 0.001
    latencies: list[float] = []
    await asyncio.sleep(max(0.0, start_at - time.time()))
    began = time.perf_counter()
    for i in range(requests):
        t0 = time.perf_counter()
        token = "" if mode == "lease" else uuid.uuid4().hex
        assert await counters.reserve(checks, estimate, token=token) is None
        latencies.append(time.perf_counter() - t0)
        reservation = Reservation(checks, estimate, token=token)
        if isinstance(counters, LeaseCounters):
            counters.settle_now(reservation, estimate)
        else:  # the service settles shared reservations in a background task, off the response
            asyncio.get_running_loop().create_task(counters.settle(reservation, estimate))
        if i % 8 == 0:
            await asyncio.sleep(0)  # other requests' turn, as on a server's event loop
    elapsed = time.perf_counter() - began
    await asyncio.sleep(0.3)
    await counters.aclose()
    return {"latencies": latencies, "elapsed": elapsed}


def run(store: str, mode: str, processes: int, requests: int) -> dict[str, float]:
    app = "bench-" + uuid.uuid4().hex[:8]
    start_at = time.time() + 2.0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    args = [sys.executable, __file__, "--worker", json.dumps([store, mode, app, requests, start_at])]
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    results = [json.loads(p.communicate(timeout=600)[0]) for p in procs]
    latencies = sorted(x for r in results for x in r["latencies"])
    return {
        "p50_us": statistics.median(latencies) * 1e6,
        "p99_us": latencies[int(len(latencies) * 0.99)] * 1e6,
        "max_ms": latencies[-1] * 1e3,
        "req_s": sum(requests / r["elapsed"] for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--redis", default=None, help="also measure through this Redis")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        store, mode, app, requests, start_at = json.loads(args.worker)
        print(json.dumps(asyncio.run(worker(store, mode, app, requests, start_at))))
        return
    stores = [("file", str(Path(tempfile.mkdtemp(prefix="aiw-bench-leases-")) / "budget-counters.db"))]
    if args.redis:
        stores.append(("redis", args.redis))
    print(f"{args.processes} processes x {args.requests} budgeted requests, cores: {os.cpu_count()}")
    print(f"{'store':6} {'mode':12} {'p50 us':>9} {'p99 us':>9} {'max ms':>8} {'req/s':>9}")
    for name, store in stores:
        for mode, label in (("reserve", "per request"), ("lease", "leases")):
            r = run(store, mode, args.processes, args.requests)
            figures = f"{r['p50_us']:9.1f} {r['p99_us']:9.1f} {r['max_ms']:8.2f} {r['req_s']:9.0f}"
            print(f"{name:6} {label:12} {figures}")


if __name__ == "__main__":
    main()
