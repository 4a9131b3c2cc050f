"""A worker killed with SIGKILL (issue 21, point 4): its answered requests are recorded exactly once, and
its budget reservations are given back.

A real process (``tests.usage.killed_worker``) answers requests, holds more in flight, and is killed
with SIGKILL before its writer flushes; a new process (this one, as the restarted worker) must find
every answered request in the records once, and the dead worker's reservations must stop holding the
budget's room.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ai_workers.core.errors import BudgetExceededError
from ai_workers.core.pipeline import Pipeline
from ai_workers.core.types import Usage
from tests.usage import killed_worker
from tests.usage.helpers import answered_by, chat, chat_response, context, count_records, service

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 10


def run_and_kill(db_url: str, data_dir: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.usage.killed_worker", db_url, str(data_dir), str(LIMIT)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, "the worker died before answering"
        ids: list[str] = json.loads(line)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return ids


async def test_a_sigkilled_workers_answered_requests_are_recorded_exactly_once(
    db_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    ids = run_and_kill(db_url, data_dir)
    assert len(ids) == killed_worker.ANSWERED

    # The restarted worker: same database, same data dir.
    svc = service(db_url, data_dir, settings=killed_worker.settings(LIMIT))
    await svc.start()
    try:
        await svc.flush()
        assert await count_records(svc.database) == killed_worker.ANSWERED
        for request_id in ids:
            assert await count_records(svc.database, id=request_id) == 1
        # A second recovery (another worker, another restart) adds nothing.
        assert svc.adopt_orphans() == 0
        await svc.flush()
        assert await count_records(svc.database) == killed_worker.ANSWERED
    finally:
        await svc.stop()


async def test_a_sigkilled_workers_budget_reservations_are_reclaimed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'u.db'}"
    run_and_kill(db_url, data_dir)
    svc = service(db_url, data_dir, settings=killed_worker.settings(LIMIT))
    await svc.start()

    async def answer(ctx: Any, request: Any) -> Any:
        answered_by(ctx, "gpt-4o", Usage(10, 10, 20))
        return chat_response("gpt-4o", ctx.usage)

    try:
        pipeline = Pipeline([svc.record_stage, svc.budget_stage], answer)
        admitted = 0
        for _ in range(LIMIT):
            try:
                await pipeline.run(context(svc.config.current), chat())
            except BudgetExceededError:
                break
            admitted += 1
        # The dead worker's 3 reservations no longer hold room: 10 - 4 answered = 6 more.
        assert admitted == LIMIT - killed_worker.ANSWERED
        statuses = await svc.budgets.status(svc.config.current, ["app1"])
        assert statuses[0].requests == LIMIT and statuses[0].reserved_usd == pytest.approx(0.0, abs=1e-12)
    finally:
        await svc.stop()


async def test_an_expired_reservation_is_reclaimed_and_its_late_settlement_releases_nothing(
    tmp_path: Path,
) -> None:
    """A live worker's reservation older than the expiry is given back; when its request finally
    settles, the counter is not released a second time."""
    from ai_workers.usage.shared_counters import SqliteCounters

    now = [1000.0]
    exact = killed_worker.settings(2)  # bound 0: reservations per request, not leases
    exact["usage"] = {**exact["usage"], "lease_bound_pct": 0}
    svc = service(f"sqlite+aiosqlite:///{tmp_path / 'u.db'}", tmp_path, settings=exact)
    counters = svc.budgets.counters
    assert isinstance(counters, SqliteCounters)
    counters._clock = lambda: now[0]  # the reservation expiry clock
    s = svc.config.current
    first = await svc.budgets.reserve(context(s), chat())
    await svc.budgets.reserve(context(s), chat())
    with pytest.raises(BudgetExceededError):
        await svc.budgets.reserve(context(s), chat())
    now[0] += 3600  # both expire
    assert await counters.reclaim() == 2
    assert first is not None
    await svc.budgets.settle(first, 0.001)  # late: counts the spend, releases nothing
    (counter,) = await counters.read(first.checks)
    assert counter.requests == 1 and counter.reserved_requests == 0 and counter.reserved == 0
    await svc.budgets.aclose()
    await svc.database.dispose()
