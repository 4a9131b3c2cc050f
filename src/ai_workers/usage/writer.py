"""Background batch writer: rows in, bulk INSERTs out, the spool when the database is unavailable.

``put`` is all the request path does: append a dict to a list (no I/O, no await). A task flushes every
``flush_interval_s`` or as soon as ``max_batch`` rows are waiting, in one transaction of INSERT ... ON
CONFLICT DO NOTHING (to a SQLite file in one call to the writer's own thread: ``usage.sqlite_rows``).
If that fails or takes longer than ``write_timeout_s``, the batch is appended to the durable spool and
the database is retried every ``retry_interval_s``; when it answers again the spool is replayed (oldest
first) before new rows. ``stop`` flushes what is left, to the database or, failing that, to the spool,
so a shutdown loses nothing. With a ``journal`` (``usage.journal``) every row is also appended to a
local log when queued, so a process killed before its next flush loses none.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Table
from sqlalchemy.dialects import postgresql, sqlite

from ai_workers.core.outage import Outage
from ai_workers.db.engine import Database
from ai_workers.usage.journal import Journal
from ai_workers.usage.spool import Spool
from ai_workers.usage.sqlite_rows import SqliteRowWriter

log = logging.getLogger("ai_workers.usage.writer")


class BatchWriter:
    """Writes rows of one table in batches; idempotent on ``conflict_columns`` (the row's own id)."""

    def __init__(
        self,
        database: Database,
        table: Table,
        spool: Spool,
        *,
        conflict_columns: Sequence[str] = ("id",),
        flush_interval_s: float = 0.1,
        max_batch: int = 1000,
        write_timeout_s: float = 5.0,
        retry_interval_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        journal: Journal | None = None,
    ) -> None:
        self.database = database
        self.journal = journal
        self._sealed: list[Path] = []  # journal files whose rows are being stored
        self.table = table
        self.spool = spool
        self.conflict_columns = list(conflict_columns)
        self.flush_interval_s = flush_interval_s
        self.max_batch = max_batch
        self.write_timeout_s = write_timeout_s
        self.retry_interval_s = retry_interval_s
        self._clock = clock
        self._pending: list[dict[str, Any]] = []
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._stuck: asyncio.Task[None] | None = None  # a write that timed out and is still running
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._retry_at = 0.0  # monotonic time before which the database is presumed down
        self._spool_dirty = bool(spool.segments())  # rows left by an earlier run or another process
        # A SQLite file: one call to the writer's own connection per batch (``usage.sqlite_rows``).
        self._sqlite = SqliteRowWriter.for_database(database, table, self.conflict_columns)
        self._temporal = {
            c.name: isinstance(c.type, DateTime) for c in table.columns if isinstance(c.type, DateTime | Date)
        }
        # Counters for tests, status pages and the benchmark.
        self.written = 0  # rows inserted (or found already present) by this writer
        self.spooled = 0
        self.replayed = 0
        self.failures = 0
        self.outage = Outage(log, f"database writes of {table.name} rows")

    # -- request path -------------------------------------------------------------------------------

    def put(self, row: dict[str, Any]) -> None:
        if self.journal is not None:
            self.journal.append(row)
        self._pending.append(row)
        if len(self._pending) >= self.max_batch:
            self._wake.set()

    def note_spooled(self) -> None:
        """Segments were added to the spool from outside (a dead process's journal): replay them."""
        self._spool_dirty = True
        self._wake.set()

    def pending_rows(self) -> list[dict[str, Any]]:
        """The rows queued and not yet written (a copy)."""
        return list(self._pending)

    @property
    def pending(self) -> int:
        return len(self._pending)

    @property
    def database_up(self) -> bool:
        return self._retry_at == 0.0

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"writer-{self.table.name}")

    async def stop(self) -> None:
        """Flush everything: to the database if it answers, else to the spool."""
        self._stopping = True
        if self._task is not None:
            self._wake.set()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._flush_all(final=True)
        if self.journal is not None and not self._pending:
            self.journal.close()
        if self._stuck is not None and not self._stuck.done():
            # Its rows are in the spool already; give it a moment, then stop waiting for it.
            await asyncio.wait({self._stuck}, timeout=self.write_timeout_s)
            self._stuck.cancel()
        if self._sqlite is not None:
            self._sqlite.close()

    async def flush(self) -> None:
        """Write what is pending now and replay the spool if the database is reachable."""
        await self._flush_all(final=False, force_retry=True)

    # -- the task -----------------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            while not self._stopping:
                with contextlib.suppress(TimeoutError):  # not wait_for: it can lose a cancel on 3.11
                    async with asyncio.timeout(self.flush_interval_s):
                        await self._wake.wait()
                self._wake.clear()
                if self._stopping:
                    break
                try:
                    await self._flush_all(final=False)
                except Exception:  # never let the writer die: the next tick tries again
                    log.exception("usage writer tick failed")
        except asyncio.CancelledError:
            # Cancelled without stop(): the loop is being torn down (asyncio.run returning in a script
            # that never closed its client). There is no time left to await the database, so the rows
            # go to the spool, synchronously; the next start replays them.
            self._spool_now()
            raise

    def _spool_now(self) -> None:
        rows, self._pending = self._pending, []
        if not rows:
            return
        try:
            self.spool.append(rows)
        except OSError:
            log.exception("spool write failed at shutdown; %d %s rows lost", len(rows), self.table.name)
            return
        self.spooled += len(rows)
        self._spool_dirty = True

    async def _flush_all(self, *, final: bool, force_retry: bool = False) -> None:
        # One flush at a time, so ``flush()`` returns only after a tick's batch in flight is stored too.
        async with self._lock:
            await self._flush_locked(final=final, force_retry=force_retry)

    async def _flush_locked(self, *, final: bool, force_retry: bool) -> None:
        journal = self.journal
        if journal is not None and self._pending:
            sealed = journal.rotate()  # exactly the rows pending now (and earlier unstored ones)
            if sealed is not None:
                self._sealed.append(sealed)
        await self._store_pending(final=final, force_retry=force_retry)
        if journal is not None and not self._pending:
            # Every sealed row is in the database or the spool now (an error above keeps them).
            for path in self._sealed:
                journal.release(path)
            self._sealed.clear()

    async def _store_pending(self, *, final: bool, force_retry: bool) -> None:
        now = self._clock()
        due = bool(self._retry_at) and (final or force_retry or now >= self._retry_at)
        if due or (not self._retry_at and self._spool_dirty):
            if await self._replay_spool():
                self._retry_at = 0.0
                self._spool_dirty = False
            else:
                self._retry_at = now + self.retry_interval_s
        while self._pending:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
            try:
                stored = not self._retry_at and await self._insert(batch)
            except asyncio.CancelledError:
                self._pending[:0] = batch  # for the spool; ON CONFLICT makes a replay harmless if it landed
                raise
            if not stored:
                if not self._retry_at:
                    self._retry_at = self._clock() + self.retry_interval_s
                await self._to_spool(batch)

    async def _insert(self, rows: list[dict[str, Any]]) -> bool:
        """One bulk INSERT. A write that outlives ``write_timeout_s`` is left to finish on its own (its
        rows are spooled too; ON CONFLICT makes the replay a no-op if it did land) rather than cancelled,
        because cancelling a driver call mid-statement can block far longer than the statement."""
        if not rows:
            return True
        if self._stuck is not None and not self._stuck.done():
            return False  # the previous write is still hanging: the database is not answering
        task = asyncio.get_running_loop().create_task(self._execute(rows))
        done, _ = await asyncio.wait({task}, timeout=self.write_timeout_s)
        if not done:
            self._stuck = task
            task.add_done_callback(_consume_result)
            self.failures += 1
            self.outage.failed(f"no answer within {self.write_timeout_s:g}s", consequence="spooling rows")
            return False
        exc = task.exception()
        if exc is not None:
            self.failures += 1
            self.outage.failed(exc, consequence="spooling rows")
            return False
        self.outage.succeeded()
        self.written += len(rows)
        return True

    async def _execute(self, rows: list[dict[str, Any]]) -> None:
        if self._sqlite is not None:
            await self._sqlite.insert(rows)
            return
        stmt = _insert_ignoring_duplicates(self.database, self.table, self.conflict_columns)
        async with self.database.engine.begin() as conn:
            await conn.execute(stmt, rows)

    async def _to_spool(self, rows: list[dict[str, Any]]) -> None:
        try:
            await asyncio.to_thread(self.spool.append, rows)
        except OSError:
            # Neither the database nor the disk takes them: keep them in memory for the next try.
            log.exception("spool write failed; keeping %d rows in memory", len(rows))
            self._pending[:0] = rows
            raise
        self.spooled += len(rows)
        self._spool_dirty = True

    async def _replay_spool(self) -> bool:
        """Insert every spooled segment; True when the spool is empty afterwards."""
        for path in await asyncio.to_thread(self.spool.segments):
            rows = await asyncio.to_thread(self.spool.read, path)
            rows = [self._revive(r) for r in rows]
            for start in range(0, len(rows), self.max_batch):
                if not await self._insert(rows[start : start + self.max_batch]):
                    return False
            await asyncio.to_thread(self.spool.remove, path)
            self.replayed += len(rows)
            if rows:
                log.info("replayed %d %s rows from the spool", len(rows), self.table.name)
        return True

    def _revive(self, row: dict[str, Any]) -> dict[str, Any]:
        """JSON turned datetimes into strings; turn them back for the driver."""
        for name, is_datetime in self._temporal.items():
            value = row.get(name)
            if isinstance(value, str):
                row[name] = dt.datetime.fromisoformat(value) if is_datetime else dt.date.fromisoformat(value)
        return row


def _consume_result(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("a timed-out %s write finally failed: %s", "usage", task.exception())


def _insert_ignoring_duplicates(database: Database, table: Table, conflict_columns: list[str]) -> Any:
    if database.is_postgres:
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
