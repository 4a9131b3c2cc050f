"""Usage writer under a saturated event loop: does it store rows as fast as a busy worker answers?

A saturated worker's event loop always has ready callbacks, so every ``await`` of the writer waits a
whole loop iteration. Here 64 request-like tasks each run ``--work-ms`` of Python between awaits (one
loop iteration = 64 x that), while rows are queued at ``--rate`` per second for ``--seconds``; the
writer stores them in a SQLite file. Printed per path: rows stored per second and rows still unwritten
at the end (a writer that falls behind holds them in memory: the worker's RSS grows with them).

Paths: ``own thread`` is the writer as shipped for a SQLite file (``usage.sqlite_rows``: one hand-off
to its own thread per batch); ``sqlalchemy`` is the same writer through SQLAlchemy's asyncio engine and
aiosqlite (still used for PostgreSQL and in-memory SQLite), as it was for every database before.

    python bench/bench_usage_writer.py [--seconds 15] [--rate 3000] [--work-ms 0.3] [--repeat 2]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.journal import Journal
from ai_workers.usage.spool import Spool
from ai_workers.usage.writer import BatchWriter


def usage_row() -> dict[str, Any]:
    """A record as the gateway writes one for a plain chat completion."""
    return {
        "id": uuid.uuid4().hex, "ts": dt.datetime.now(dt.UTC), "app": "bench", "user": None,
        "key_id": "k1", "route": "api", "capability": "chat", "requested_model": "gpt-4o-mini",
        "logical_model": "gpt-4o-mini", "provider_model": "gpt-4o-mini", "provider": "openai",
        "tier": None, "route_reason": "pinned", "arm": None, "status": 200, "error_kind": None,
        "stream": False, "input_tokens": 12, "output_tokens": 9, "units": None, "neurons": None,
        "cost_usd": 1e-5, "list_cost_usd": 1e-5, "latency_ms": 1.234, "upstream_ms": 0.5,
        "overhead_ms": 0.7, "cache": "miss", "cache_hit": False, "attempts": 1,
        "attempt_log": [{"provider": "openai", "model": "gpt-4o-mini", "status": 200, "ok": True,
                         "error_kind": None, "latency_ms": 0.5}],
        "phi_redactions": 0, "phi_types": None, "phi_counts": None, "safety": None,
        "prompt_text": None, "answer_text": None,
    }  # fmt: skip


async def request_like(stop: asyncio.Event, work_s: float) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        while time.perf_counter() - start < work_s:
            pass
        await asyncio.sleep(0)


async def run(own_thread: bool, seconds: float, rate: int, work_s: float) -> tuple[int, int, int]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-writer-"))
    db = Database(f"sqlite+aiosqlite:///{tmp / 'usage.db'}")
    await db.migrate()
    writer = BatchWriter(db, UsageRecord.__table__, Spool(tmp / "spool"), journal=Journal(tmp / "journal"))  # type: ignore[arg-type]
    if not own_thread:
        writer._sqlite = None  # SQLAlchemy's engine and aiosqlite, as before
    writer.start()
    stop = asyncio.Event()
    tasks = [asyncio.create_task(request_like(stop, work_s)) for _ in range(64)]
    start, queued = time.perf_counter(), 0
    while (elapsed := time.perf_counter() - start) < seconds:
        while queued < int(elapsed * rate):
            writer.put(usage_row())
            queued += 1
        await asyncio.sleep(0)
    stop.set()
    await asyncio.gather(*tasks)
    stored, unwritten = writer.written, writer.pending
    await writer.stop()
    await db.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    return queued, stored, unwritten


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rate", type=int, default=3000, help="rows queued per second")
    parser.add_argument("--work-ms", type=float, default=0.3, help="Python work per task between awaits")
    parser.add_argument("--repeat", type=int, default=2, help="runs per path, alternating")
    args = parser.parse_args()
    print(
        f"64 tasks x {args.work_ms} ms per loop iteration, {args.rate} rows/s queued for {args.seconds:g} s"
    )
    for _ in range(args.repeat):
        for own_thread in (False, True):
            queued, stored, unwritten = await run(own_thread, args.seconds, args.rate, args.work_ms / 1000)
            name = "own thread" if own_thread else "sqlalchemy"
            print(
                f"{name:<11} queued {queued:>7,}  stored {stored:>7,} "
                f"({stored / args.seconds:>6,.0f} rows/s)  unwritten at the end {unwritten:>7,}"
            )


if __name__ == "__main__":
    asyncio.run(main())
