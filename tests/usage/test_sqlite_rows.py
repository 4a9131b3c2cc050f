"""The usage writer's own path to a SQLite file (``usage.sqlite_rows``) stores exactly what SQLAlchemy's
insert stored: same values, same SQLite types, duplicates ignored, and a batch it cannot store is
spooled and replayed like any other."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.journal import Journal
from ai_workers.usage.spool import Spool
from ai_workers.usage.sqlite_rows import SqliteRowWriter
from ai_workers.usage.writer import BatchWriter

TABLE = UsageRecord.__table__


def row(n: int, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": uuid.uuid4().hex, "ts": dt.datetime(2026, 12, 7, 5, n % 60, 1, 250_000, tzinfo=dt.UTC),
        "app": "triage", "user": None if n % 2 else f"u{n}", "key_id": "k1", "route": "api",
        "capability": "chat", "requested_model": "gpt-4o", "logical_model": "gpt-4o",
        "provider_model": "gpt-4o-2024", "provider": "openai", "tier": "hard" if n % 3 else None,
        "route_reason": "pinned", "arm": None, "status": 200 if n % 5 else 502,
        "error_kind": None if n % 5 else "upstream", "stream": bool(n % 2), "input_tokens": n,
        "output_tokens": 2 * n, "units": {"characters": 12.5} if n % 4 == 0 else None, "neurons": None,
        "cost_usd": n * 1e-6, "list_cost_usd": n * 2e-6, "latency_ms": 1.25, "upstream_ms": 0.5,
        "overhead_ms": 0.75, "cache": "miss", "cache_hit": n % 7 == 0, "attempts": 1,
        "attempt_log": [{"provider": "openai", "model": "gpt-4o", "status": 200, "ok": True,
                         "error_kind": None, "latency_ms": 0.5}],
        "phi_redactions": n % 3, "phi_types": ["EMAIL"] if n % 3 else None,
        "phi_counts": {"EMAIL": 1} if n % 3 else None, "safety": None,
        "prompt_text": "[EMAIL_1] asked" if n % 6 == 0 else None, "answer_text": None,
    }  # fmt: skip
    return base | changes


def raw_rows(path: Path) -> list[tuple[Any, ...]]:
    """Every stored row as SQLite holds it: each value with its storage type."""
    names = [c.name for c in TABLE.columns if c.name != "id"]
    select = ", ".join(f'"{n}", typeof("{n}")' for n in names)
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT {select} FROM usage_records ORDER BY input_tokens").fetchall()


async def migrated(path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    return db


def writer(db: Database, tmp_path: Path, name: str, **kwargs: Any) -> BatchWriter:
    return BatchWriter(db, TABLE, Spool(tmp_path / name / "spool"), **kwargs)  # type: ignore[arg-type]


async def test_rows_are_stored_exactly_as_sqlalchemys_insert_stored_them(tmp_path: Path) -> None:
    rows = [row(n) for n in range(1, 251)]  # several statements (100 rows each) in one batch
    fast_db, slow_db = await migrated(tmp_path / "fast.db"), await migrated(tmp_path / "slow.db")
    fast, slow = writer(fast_db, tmp_path, "fast"), writer(slow_db, tmp_path, "slow")
    assert fast._sqlite is not None
    slow._sqlite = None  # SQLAlchemy's insert, as before
    for r in rows:
        fast.put(dict(r))
        slow.put(dict(r))
    await fast.flush()
    await slow.flush()
    assert fast.written == slow.written == 250
    stored = raw_rows(tmp_path / "fast.db")
    assert stored == raw_rows(tmp_path / "slow.db")
    assert len(stored) == 250
    await fast.stop()
    await slow.stop()
    await fast_db.dispose()
    await slow_db.dispose()


async def test_a_spooled_row_from_before_a_column_existed_gets_the_columns_default(tmp_path: Path) -> None:
    db = await migrated(tmp_path / "u.db")
    w = writer(db, tmp_path, "w")
    old = row(1)
    for name in ("prompt_text", "answer_text", "phi_counts", "stream"):
        del old[name]
    w.put(old)
    w.put(row(2))  # SQLAlchemy's executemany refused such a mix: the batch never stored
    await w.flush()
    assert w.written == 2
    with sqlite3.connect(tmp_path / "u.db") as conn:
        stored = conn.execute(
            "SELECT stream, prompt_text, phi_counts FROM usage_records WHERE id = ?", (old["id"],)
        ).fetchone()
    assert stored == (0, None, "null")  # stream's default False; JSON None as SQLAlchemy stores it
    await w.stop()
    await db.dispose()


async def test_a_row_stored_twice_is_kept_once(tmp_path: Path) -> None:
    db = await migrated(tmp_path / "u.db")
    w = writer(db, tmp_path, "w", max_batch=40)
    rows = [row(n) for n in range(1, 101)]
    for r in rows + rows[:30]:  # a replay of rows that did land
        w.put(dict(r))
    await w.flush()
    await w.stop()
    with sqlite3.connect(tmp_path / "u.db") as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM usage_records").fetchone() == (100, 100)
    await db.dispose()


async def test_a_locked_file_spools_the_batch_and_it_is_replayed_once_the_lock_goes(tmp_path: Path) -> None:
    path = tmp_path / "u.db"
    db = Database(f"sqlite+aiosqlite:///{path}", timeout_s=0.2)
    await db.migrate()
    w = BatchWriter(
        db, TABLE, Spool(tmp_path / "spool"), journal=Journal(tmp_path / "journal"),  # type: ignore[arg-type]
        write_timeout_s=2.0, retry_interval_s=0.05,
    )  # fmt: skip
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        conn = sqlite3.connect(path)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(30)
        conn.rollback()
        conn.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    await asyncio.to_thread(locked.wait, 10)
    rows = [row(n) for n in range(1, 21)]
    for r in rows:
        w.put(dict(r))
    await w.flush()
    assert w.spooled == 20 and w.written == 0  # the busy timeout passed: on disk, not lost
    release.set()
    await asyncio.to_thread(holder.join, 30)
    await asyncio.sleep(0.1)
    await w.flush()
    assert w.replayed == 20
    await w.stop()
    with sqlite3.connect(path) as conn:
        ids = {r[0] for r in conn.execute("SELECT id FROM usage_records")}
    assert ids == {r["id"] for r in rows}
    assert list((tmp_path / "journal").glob("*.jsonl")) == []  # every row stored: the journal is empty
    await db.dispose()


def test_only_a_sqlite_file_gets_the_writers_own_connection() -> None:
    columns = ["id"]
    assert SqliteRowWriter.for_database(Database("sqlite+aiosqlite:///:memory:"), TABLE, columns) is None  # type: ignore[arg-type]
    memory_uri = Database("sqlite+aiosqlite:///file:x?mode=memory&cache=shared&uri=true")
    assert SqliteRowWriter.for_database(memory_uri, TABLE, columns) is None  # type: ignore[arg-type]
    pg = Database("postgresql+asyncpg://u@127.0.0.1:1/x")
    assert SqliteRowWriter.for_database(pg, TABLE, columns) is None  # type: ignore[arg-type]


def test_any_batch_size_uses_a_handful_of_distinct_statements() -> None:
    """Each distinct statement stays prepared in the driver (~3 KB per row of it): a statement per
    remainder size held ~16 MB of a busy worker's memory."""
    db = Database("sqlite+aiosqlite:////nonexistent/u.db")
    writer = SqliteRowWriter.for_database(db, TABLE, ["id"])  # type: ignore[arg-type]
    assert writer is not None
    inserter = writer.inserter
    seen: set[int] = set()
    for count in range(1, 1001):
        sizes = inserter.chunk_sizes(count)
        assert sum(sizes) == count
        assert sizes.count(inserter.rows_per_statement) == count // inserter.rows_per_statement
        seen.update(sizes)
    assert len(seen) <= 8
