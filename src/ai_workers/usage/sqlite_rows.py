"""The usage writer's path to a SQLite file: a whole batch in one call to a thread of its own.

Measured under saturation (one worker, c=64, ``bench/bench_gateway.py --soak``): the writer stored
~350 rows/s while the worker answered ~550 requests/s, so unwritten rows piled up (36k after 100k
requests) and the process's memory grew with them (RSS 131 -> 211 MB); once the load stopped it stored
the 36k in under 10 s. Two costs, both from going through SQLAlchemy's asyncio layer and aiosqlite:

* every ``await`` on the driver (begin, execute, commit: each a trip to aiosqlite's thread and back)
  waits for an event-loop iteration, and a saturated loop's iteration runs every ready request's
  callbacks first: tens of milliseconds each on a busy machine;
* ``executemany`` releases the GIL around each row's ``sqlite3_step`` and must win it back from the
  busy loop before the next row.

Here the batch is handed to one thread once (one ``await`` per batch, whatever the loop is doing) as
multi-row ``INSERT ... VALUES (...), (...) ON CONFLICT DO NOTHING`` statements (100 rows each: one GIL
hand-off per 100 rows), which the thread runs in one transaction, on its own ``sqlite3``
connection with the engine's settings (busy timeout, WAL, ``synchronous=NORMAL``). The parameters are
built on the loop, not in the thread: while another thread holds the GIL the loop, back from any
system call, waits for it (a request's journal ``write`` took p99 1.5-2.7 ms inside a loaded worker
against 8 us in a process of its own), so the thread should hold it only for the driver's C. Values
go through the columns' own SQLAlchemy bind processors, so what is stored is what
``conn.execute(insert, rows)`` stored (JSON ``None`` is the text ``null``, datetimes SQLAlchemy's text
form).

In-memory and URI databases (``:memory:``, ``file:...``) are not a file another connection can open:
the writer keeps SQLAlchemy's path for them (``for_database`` returns None), as for PostgreSQL.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import operator
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect, make_url

from ai_workers.db import fork_quiet
from ai_workers.db.engine import Database
from ai_workers.db.sqlite_wal import use_wal

# SQLite's default limit on one statement's parameters (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
SQLITE_MAX_PARAMETERS = 32766
# Rows per statement: the thread binds a statement's parameters holding the GIL (~0.1 us each), so
# 100 rows x 36 columns hold it well under a millisecond, and the GIL changes hands once per 100 rows.
ROWS_PER_STATEMENT = 100
# A batch's remainder goes in statements of these sizes only. The driver keeps each distinct statement
# prepared (up to 128), and a prepared 36-column statement costs ~3 KB per row: one statement per
# remainder size (1..99 rows) held ~16 MB of the worker's memory; these eight hold under 1 MB.
REMAINDER_SIZES = (64, 32, 16, 8, 4, 2, 1)


class SqliteRowInserter:
    """Rows (dicts) -> multi-row INSERT statements with positional parameters, in column order."""

    def __init__(self, table: Table, conflict_columns: Sequence[str], dialect: Dialect) -> None:
        columns = list(table.columns)
        self.names = [c.name for c in columns]
        self.processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
        # What None becomes: SQL NULL, except for types that encode it (JSON stores the text 'null').
        self.nulls = [
            process(None) if process is not None and getattr(c.type, "should_evaluate_none", False) else None
            for c, process in zip(columns, self.processors, strict=True)
        ]
        # A row without a column (a spooled row from an older version) gets the column's scalar default.
        self.defaults = [
            c.default.arg if c.default is not None and c.default.is_scalar else None  # type: ignore[attr-defined]
            for c in columns
        ]
        quote = dialect.identifier_preparer.quote
        names = ", ".join(quote(n) for n in self.names)
        target = ", ".join(quote(n) for n in conflict_columns)
        self._head = f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) VALUES "
        self._tail = f" ON CONFLICT ({target}) DO NOTHING"
        self._one = "(" + ", ".join("?" * len(columns)) + ")"
        self.rows_per_statement = max(1, min(ROWS_PER_STATEMENT, SQLITE_MAX_PARAMETERS // len(columns)))
        self._statements: dict[int, str] = {}
        # A row with every column (all the request path's rows: ``usage.records.usage_row``) is read in
        # one C call; only the columns with a bind processor (13 of 36) are then visited, column by column.
        getter = operator.itemgetter(*self.names)
        self._values = getter if len(self.names) > 1 else lambda row: (getter(row),)
        self._processed = [
            (index, process, null)
            for index, (process, null) in enumerate(zip(self.processors, self.nulls, strict=True))
            if process is not None
        ]

    def statement(self, rows: int) -> str:
        sql = self._statements.get(rows)
        if sql is None:
            sql = self._statements[rows] = self._head + ", ".join([self._one] * rows) + self._tail
        return sql

    def parameters(self, rows: Sequence[dict[str, Any]]) -> list[Any]:
        """Every row's values in column order, bound as SQLAlchemy's executemany would bind them: a
        missing column is its default, None is the column's null, anything else goes through its
        column's bind processor (columns without one are stored as they are)."""
        out: list[Any] = []
        extend = out.extend
        values = self._values
        for row in rows:
            try:
                extend(values(row))
            except KeyError:  # a spooled row from an older version: columns it lacks get defaults
                extend([row.get(n, d) for n, d in zip(self.names, self.defaults, strict=True)])
        width = len(self.names)
        for index, process, null in self._processed:
            out[index::width] = [null if v is None else process(v) for v in out[index::width]]
        return out

    def chunk_sizes(self, count: int) -> list[int]:
        """How ``count`` rows are split into statements: full ones, then the remainder in a few fixed
        sizes (``REMAINDER_SIZES``), so only a handful of distinct statements are ever prepared."""
        full, rest = divmod(count, self.rows_per_statement)
        sizes = [self.rows_per_statement] * full
        for size in REMAINDER_SIZES:
            if size < self.rows_per_statement:
                while rest >= size:
                    sizes.append(size)
                    rest -= size
        return sizes + [1] * rest

    def statements(self, rows: Sequence[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
        """The batch as (statement, parameters) pairs: built where the rows are (the event loop), so
        the writer's thread runs no Python of its own while it holds the GIL, only the driver's C."""
        out = []
        start = 0
        for size in self.chunk_sizes(len(rows)):
            out.append((self.statement(size), self.parameters(rows[start : start + size])))
            start += size
        return out


def insert_all(connection: sqlite3.Connection, statements: Sequence[tuple[str, list[Any]]]) -> None:
    """Every statement in one transaction (all or none: a failure rolls back, and the batch is spooled)."""
    with connection:
        for sql, parameters in statements:
            connection.execute(sql, parameters)


class SqliteRowWriter:
    """One SQLite file's batches, each in one call to a thread of its own with its own connection."""

    def __init__(self, path: Path, inserter: SqliteRowInserter, *, busy_timeout_s: float) -> None:
        self.path = path
        self.inserter = inserter
        self.busy_timeout_s = busy_timeout_s
        self._connection: sqlite3.Connection | None = None  # used in the thread only
        self._thread: concurrent.futures.ThreadPoolExecutor | None = None

    @classmethod
    def for_database(
        cls, database: Database, table: Table, conflict_columns: Sequence[str]
    ) -> SqliteRowWriter | None:
        """A writer for ``database`` if it is a SQLite file, else None (SQLAlchemy's path)."""
        if not database.is_sqlite:
            return None
        name = make_url(database.url).database
        if not name or name == ":memory:" or name.startswith("file:"):
            return None
        inserter = SqliteRowInserter(table, conflict_columns, database.engine.dialect)
        return cls(Path(name).expanduser(), inserter, busy_timeout_s=database.timeout_s)

    async def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        if self._thread is None:
            self._thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="usage-sqlite")
        statements = self.inserter.statements(rows)  # ~5 us per row, here rather than in the thread
        with fork_quiet.running():  # a fork waits for the batch (``db.fork_quiet``)
            await asyncio.get_running_loop().run_in_executor(self._thread, self._insert, statements)

    def _insert(self, statements: list[tuple[str, list[Any]]]) -> None:
        if self._connection is None:
            self._connection = self._connect()
        try:
            insert_all(self._connection, statements)
        except sqlite3.Error:
            # A broken connection (the file replaced, the disk gone) is not reused: the next batch
            # opens a new one.
            self._close_connection()
            raise

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            # Never create an empty database file here: the engine's migrations create it.
            raise sqlite3.OperationalError(f"database file {self.path} does not exist")
        connection = sqlite3.connect(self.path, timeout=self.busy_timeout_s, check_same_thread=False)
        try:
            connection.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
            use_wal(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            connection.close()
            raise
        return connection

    def _close_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def close(self) -> None:
        """Close the connection (in its thread, after any batch still running) and let the thread go."""
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.submit(self._close_connection)
            thread.shutdown(wait=False)
