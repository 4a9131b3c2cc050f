"""Fault tests: the database goes away in the middle of the load and comes back; every request's
record arrives exactly once (spooled to disk meanwhile, replayed idempotently)."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ai_workers.core.outage import Outage
from ai_workers.core.pipeline import Pipeline
from ai_workers.core.types import Usage
from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.service import UsageService
from ai_workers.usage.spool import Spool
from ai_workers.usage.writer import BatchWriter
from tests.usage.helpers import answered_by, chat, chat_response, context, service
from tests.usage.proxy import UnixProxy

FAST_WRITER = {"flush_interval_s": 0.02, "retry_interval_s": 0.1, "write_timeout_s": 1.0, "max_batch": 50}


async def terminal(ctx: Any, request: Any) -> Any:
    await asyncio.sleep(0)  # the upstream answers at once; the fault is in the database
    answered_by(ctx, "gpt-4o", Usage(12, 7, 19))
    return chat_response("gpt-4o", ctx.usage)


async def load(svc: UsageService, count: int, ids: list[str], pause_every: int = 10) -> None:
    pipeline = Pipeline([svc.record_stage, svc.budget_stage], terminal)
    for i in range(count):
        ctx = context(svc.config.current, app="app1")
        await pipeline.run(ctx, chat())
        ids.append(ctx.request_id)
        if i % pause_every == 0:
            await asyncio.sleep(0.01)  # let the writer tick between requests


async def stored_ids(db: Database) -> list[str]:
    async with db.session() as session:
        return list((await session.scalars(select(UsageRecord.id))).all())


async def drain(svc: UsageService) -> None:
    """Flush until the spool is empty (the writer retries the database every 0.1 s)."""
    for _ in range(200):
        await svc.flush()
        if not svc.spool.segments() and svc.writer.pending == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the spool was not replayed")


async def test_postgres_goes_away_mid_load_and_every_record_arrives_once(
    pg_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ai_workers.usage.writer")
    match = re.search(r"/(\w+)\?host=([^&]+)", pg_database)
    assert match is not None
    proxy = UnixProxy(match.group(2), tmp_path / "proxy").start()
    try:
        svc = service(proxy.url(match.group(1)), tmp_path, settings={"usage": FAST_WRITER})
        await svc.start()
        ids: list[str] = []
        await load(svc, 100, ids)
        await svc.flush()
        proxy.down()  # the database vanishes mid-load
        await load(svc, 150, ids)
        await svc.flush()
        assert svc.writer.spooled > 0 and svc.spool.segments()  # kept on disk while it was gone
        proxy.up()  # ... and comes back
        await load(svc, 100, ids)
        await drain(svc)
        await svc.stop()
        assert svc.writer.replayed == svc.writer.spooled
    finally:
        proxy.close()
    db = Database(pg_database)
    stored = await stored_ids(db)
    await db.dispose()
    assert len(ids) == 350
    assert sorted(stored) == sorted(ids)  # every request once: none lost, none twice
    # The operator reads one line when the database went away and one when it came back, not one per
    # retry (the writer retried many times meanwhile).
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert svc.writer.failures > 2
    assert len(warnings) == 2, warnings
    assert "failed" in warnings[0] and "recovered after" in warnings[1]


def test_an_outage_is_logged_when_it_starts_and_ends_with_sparse_reminders(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    outage = Outage(logging.getLogger("test.outage"), "refreshing keys", remind_s=60.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="test.outage"):
        outage.succeeded()  # nothing to say while all is well
        for _ in range(30):  # a retry every 5 s for 150 s
            outage.failed(OSError("connection refused"), consequence="keeping the previous set")
            now[0] += 5.0
        outage.succeeded()
    said = [r.getMessage() for r in caplog.records]
    assert said[0] == "refreshing keys failed (connection refused); keeping the previous set"
    # A driver error's statement and parameters (a batch of records) stay out of the log line.
    with caplog.at_level(logging.WARNING, logger="test.outage"):
        Outage(logging.getLogger("test.outage"), "writes").failed(
            OSError("database is locked\n[SQL: INSERT INTO usage_records ...]\n[parameters: ('app1', ...)]")
        )
    assert caplog.records[-1].getMessage() == "writes failed (database is locked)"
    assert [m.split(" after")[0] for m in said[1:3]] == ["refreshing keys still failing"] * 2
    assert said[-1] == "refreshing keys recovered after 150s and 30 failed attempts"
    assert len(said) == 4 and not outage.down


async def test_sqlite_locked_mid_load_and_every_record_arrives_once(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    options = {**FAST_WRITER, "write_timeout_s": 0.3}
    svc = service(f"sqlite+aiosqlite:///{path}", tmp_path, settings={"usage": options})
    await svc.start()
    ids: list[str] = []
    await load(svc, 100, ids)
    await svc.flush()

    # Another process holds the write lock: the writer cannot insert and must not block requests.
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(30)
        conn.rollback()
        conn.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    await asyncio.to_thread(locked.wait, 10)
    await load(svc, 150, ids)
    for _ in range(100):
        if svc.writer.spooled:
            break
        await asyncio.sleep(0.05)
    assert svc.writer.spooled > 0
    release.set()
    await asyncio.to_thread(holder.join, 30)
    await load(svc, 100, ids)
    await drain(svc)
    await svc.stop()
    db = Database(f"sqlite+aiosqlite:///{path}")
    stored = await stored_ids(db)
    await db.dispose()
    assert len(ids) == 350 and sorted(stored) == sorted(ids)


async def test_unreachable_database_at_shutdown_spools_and_the_next_start_replays(tmp_path: Path) -> None:
    # The database's directory cannot be created (a file is in the way): every write fails.
    (tmp_path / "no-such-dir").write_text("not a directory")
    dead = f"sqlite+aiosqlite:///{tmp_path / 'no-such-dir' / 'x' / 'usage.db'}"
    svc = service(dead, tmp_path, settings={"usage": FAST_WRITER})
    ids: list[str] = []
    await load(svc, 30, ids)
    await svc.writer.stop()  # shutdown: nothing is lost, it is on disk
    await svc.database.dispose()
    assert len(Spool(svc.spool.directory).segments()) > 0

    good = service(f"sqlite+aiosqlite:///{tmp_path / 'good.db'}", tmp_path, settings={"usage": FAST_WRITER})
    await good.start()  # same data dir, so the same spool
    await drain(good)
    await good.stop()
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'good.db'}")
    assert sorted(await stored_ids(db)) == sorted(ids)
    await db.dispose()


async def test_replaying_a_segment_twice_stores_each_row_once(tmp_path: Path) -> None:
    """A crash between the insert and the segment's deletion replays it again: still once."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'u.db'}")
    await db.migrate()
    spool = Spool(tmp_path / "spool")
    svc = service(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}", tmp_path)
    rows = []
    for _ in range(5):
        ctx = context(svc.config.current)
        answered_by(ctx, "gpt-4o", Usage(1, 1, 2))
        svc.finish(ctx, None)
        rows.append(svc.writer._pending.pop())
    segment = spool.append(rows)
    copy = segment.with_name("0" + segment.name)
    shutil.copy(segment, copy)  # the same rows, as if left behind by a crash
    writer = BatchWriter(db, UsageRecord.__table__, spool)  # type: ignore[arg-type]
    assert await writer._replay_spool()
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(UsageRecord)) == 5
    assert spool.segments() == []
    await db.dispose()
    await svc.database.dispose()


def test_workers_migrating_a_new_sqlite_database_at_once_all_succeed(tmp_path: Path) -> None:
    """``serve --workers N`` on a fresh data dir: every worker migrates at start. Without a lock across
    processes, one failed with "table alembic_version already exists" and started without its
    database (records spooled until a later retry)."""
    import subprocess
    import sys

    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    code = f"from ai_workers.db.engine import run_migrate; run_migrate({url!r})"
    workers = [
        subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(4)
    ]
    outcomes = [(w.wait(timeout=120), w.stderr.read() if w.stderr else "") for w in workers]
    assert [rc for rc, _ in outcomes] == [0, 0, 0, 0], [err[-300:] for _, err in outcomes]
    with sqlite3.connect(tmp_path / "fresh.db") as db:
        assert db.execute("select count(*) from alembic_version").fetchone() == (1,)


def test_a_restart_on_a_migrated_database_skips_alembic_and_a_new_migration_is_still_applied(
    tmp_path: Path,
) -> None:
    """Every worker migrates at start; on a database already at the head it must not load Alembic (about
    10 MB each worker kept), and the head it compares with must be Alembic's own."""
    import subprocess
    import sys

    from alembic.script import ScriptDirectory

    from ai_workers.db.engine import alembic_config, head_revisions

    assert head_revisions() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    code = (
        f"import sys; from ai_workers.db.engine import run_migrate; run_migrate({url!r}); "
        "print('alembic' in sys.modules)"
    )

    def start() -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert start().strip() == "True"  # a new database: Alembic creates the schema
    assert start().strip() == "False"  # at the head: nothing to do, nothing loaded
    with sqlite3.connect(tmp_path / "db.sqlite") as db:  # an older schema (a release behind)
        db.execute("UPDATE alembic_version SET version_num = '0008'")
        db.execute("CREATE INDEX ix_usage_arm_ts ON usage_records (arm, ts)")  # what 0009 drops
    assert start().strip() == "True"
    with sqlite3.connect(tmp_path / "db.sqlite") as db:
        assert db.execute("select version_num from alembic_version").fetchall() == [("0009",)]
        indexes = {row[1] for row in db.execute("PRAGMA index_list(usage_records)")}
        assert "ix_usage_arm_ts" not in indexes
