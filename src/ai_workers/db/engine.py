"""The gateway's database handle: one async SQLAlchemy engine for a SQLite file or a PostgreSQL URL.

SQLite is the zero-setup default (a file in the data dir); PostgreSQL is for several gateway processes
and row-level security. Both run the same Alembic migrations, applied programmatically by
``await Database.migrate()`` so neither the server nor the CLI needs an ``alembic.ini``.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import functools
import os
import re
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from ai_workers.db import fork_quiet
from ai_workers.db.sqlite_wal import use_wal

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Serialises concurrent ``migrate()`` calls from several gateway processes on PostgreSQL.
_MIGRATION_LOCK_ID = 0x41495700

# How long one statement may take (PostgreSQL: asyncpg's command timeout, which also bounds a frozen
# server and, on a live one, cancels the statement server-side; SQLite: how long to wait for a lock).
# Without it a frozen PostgreSQL held requests such as POST /v1/feedback for as long as the client
# waited.
# ``AI_WORKERS_DB_TIMEOUT_S`` overrides it; migrations run without it (an index build may take long).
DEFAULT_TIMEOUT_S = 10.0
TIMEOUT_ENV = "AI_WORKERS_DB_TIMEOUT_S"


def statement_timeout_s() -> float:
    """The configured statement timeout in seconds (``AI_WORKERS_DB_TIMEOUT_S`` or the default)."""
    raw = os.environ.get(TIMEOUT_ENV)
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        value = DEFAULT_TIMEOUT_S
    return value if value > 0 else DEFAULT_TIMEOUT_S


class Database:
    """An async engine plus a session factory. Cheap to create; connects lazily."""

    def __init__(
        self, url: str, *, echo: bool = False, pool_size: int = 5, timeout_s: float | None = None
    ) -> None:
        parsed = make_url(url)
        self.timeout_s = timeout_s if timeout_s is not None else statement_timeout_s()
        self.url = url
        self.dialect = parsed.get_backend_name()  # "sqlite" or "postgresql"
        # JSON columns (attempt logs, units) are encoded for every usage row: msgspec does it in a
        # fraction of the stdlib's time, and its output is plain JSON any reader parses.
        options: dict[str, Any] = {"echo": echo, "json_serializer": _json_text}
        self._migration_lock_path: Path | None = None
        if self.is_sqlite:
            database = parsed.database
            if database and database != ":memory:":
                file = Path(database).expanduser()
                if not database.startswith("file:"):  # a plain path (not an SQLite URI): lock beside it
                    self._migration_lock_path = file.with_name(file.name + ".migrate-lock")
                # A failure here surfaces on first use; the usage writer then spools instead of crashing.
                with contextlib.suppress(OSError):
                    file.parent.mkdir(parents=True, exist_ok=True)
            # aiosqlite runs each connection in its own thread; a busy timeout lets the writer and
            # readers (reports, dashboard) take turns instead of failing with "database is locked",
            # and bounds how long a request waits for a lock.
            options["connect_args"] = {"timeout": self.timeout_s}
        else:
            options["pool_size"] = pool_size
            options["max_overflow"] = pool_size
            options["pool_pre_ping"] = True
            options["pool_timeout"] = self.timeout_s  # waiting for a pooled connection
            if self.dialect == "postgresql" and parsed.get_driver_name() == "asyncpg":
                options["connect_args"] = {
                    # Bounds every statement and the connect even when the server is frozen; on a live
                    # server asyncpg cancels the timed-out statement, releasing its locks.
                    "command_timeout": self.timeout_s,
                    "timeout": self.timeout_s,
                }
        self._url = url
        self._options = options
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            busy_ms = int(self.timeout_s * 1000)
            event.listen(
                self.engine.sync_engine, "connect", lambda conn, record: _sqlite_pragmas(conn, busy_ms)
            )
        if self.is_sqlite:
            fork_quiet.register_engine(self.engine.sync_engine)  # a fork waits for its calls (client.py)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session that commits on success and rolls back on error."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def migrate(self) -> None:
        """Bring the schema to the newest migration (Alembic ``upgrade head``).

        Several processes may migrate at once (``serve --workers 2`` on a new data dir): PostgreSQL
        serialises them with an advisory lock, SQLite with an exclusive lock on a file beside the
        database; without it the second worker failed with "table alembic_version already exists"."""
        engine = self.engine
        if self.is_postgres and "connect_args" in self._options:
            # Migrations (and the lock wait behind another process' migration) may outlast the
            # statement timeout: they get an engine of their own without it.
            options = {k: v for k, v in self._options.items() if k not in ("connect_args", "pool_timeout")}
            engine = create_async_engine(self._url, **options)
        try:
            async with self._sqlite_migration_lock(), engine.begin() as conn:
                if self.is_postgres:
                    await conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})")
                if not await conn.run_sync(_at_head):
                    await conn.run_sync(_upgrade_head)
        finally:
            if engine is not self.engine:
                await engine.dispose()

    @contextlib.asynccontextmanager
    async def _sqlite_migration_lock(self) -> AsyncIterator[None]:
        path = self._migration_lock_path
        if path is None:
            yield
            return
        with open(path, "a+b") as handle:  # noqa: ASYNC230 - opening a lock file does not block
            await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    async def dispose(self) -> None:
        await self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"


def _sqlite_pragmas(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout first, so the journal-mode switch below waits for a worker holding the
        # file instead of failing. WAL lets readers run while the writer commits; NORMAL sync is
        # durable across app crashes.
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        use_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def alembic_config(connection: Connection | None = None) -> Any:
    """An Alembic Config pointing at the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


# Alembic installs the running migration's context as a module-level global (``alembic.context``), so
# two gateways migrating at once in one process (threads, each with its own event loop) would run each
# other's env.py against the wrong connection. Migrations are brief and happen at start: serialise them.
_ALEMBIC_GLOBAL_LOCK = threading.Lock()


@functools.cache
def head_revisions() -> frozenset[str]:
    """The packaged migrations' head revision ids, read from their files without importing Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if found := re.search(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE):
            revisions.add(found.group(1))
        if down := re.search(r"^down_revision\b[^=]*=\s*(.+)$", text, re.MULTILINE):
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions - parents)


def _at_head(connection: Connection) -> bool:
    """Whether the schema is already at the packaged head: then a server's start does not import
    Alembic at all (about 10 MB of modules each worker would keep for nothing). Any doubt (no
    version table yet, a head this code cannot read) means False, and Alembic decides."""
    heads = head_revisions()
    if not heads:
        return False
    if not sqlalchemy.inspect(connection).has_table("alembic_version"):
        return False  # a new database (no failing statement: it would abort PostgreSQL's transaction)
    rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    return {row[0] for row in rows} == heads


def _upgrade_head(connection: Connection) -> None:
    from alembic import command

    with _ALEMBIC_GLOBAL_LOCK:
        command.upgrade(alembic_config(connection), "head")


async def migrate_url(url: str) -> None:
    """Migrate the database at ``url`` once (used by the CLI)."""
    db = Database(url)
    try:
        await db.migrate()
    finally:
        await db.dispose()


def run_migrate(url: str) -> None:
    """Synchronous wrapper for scripts."""
    asyncio.run(migrate_url(url))


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()
