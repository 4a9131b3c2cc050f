"""Budget counters shared by the worker processes of one machine (``db.shared_file``).

``serve --workers N`` without Redis used to give each worker its own in-memory counters, so N workers
could together spend N times a budget (measured: $0.021 against a $0.01 limit with 2 workers). These
counters live in ``<data dir>/budget-counters.db``: each reserve is one write transaction (check every
budget, then reserve on all), which SQLite serialises across processes exactly as the Redis Lua script
does across gateways. Counters are seeded from the database baseline by the first process to touch
them, and expire like the Redis keys do.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ai_workers.db.shared_file import SharedSqlite
from ai_workers.usage.budget_rules import Budget
from ai_workers.usage.counters import Baseline, Check, Counter, SharedCounters, Snapshot, Violation

if TYPE_CHECKING:
    import datetime as dt

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY,
    s REAL NOT NULL,      -- spent (USD)
    r REAL NOT NULL,      -- reserved by requests in flight
    n INTEGER NOT NULL,   -- requests counted
    q INTEGER NOT NULL,   -- requests in flight
    expires REAL NOT NULL
)
"""


class SqliteCounters(SharedCounters):
    """``BudgetCounters`` (``usage.counters``) over a SQLite file several processes share."""

    def __init__(self, path: Path, baseline: Baseline, *, ttl_s: float) -> None:
        self._baseline = baseline
        self._ttl_s = ttl_s
        self._file = SharedSqlite(path, _setup)

    def _row(self, db: sqlite3.Connection, check: Check) -> tuple[float, float, int, int]:
        spent, requests = self._baseline(check)
        db.execute(
            "INSERT OR IGNORE INTO counters VALUES (?, ?, 0, ?, 0, ?)",
            (check.key, spent, requests, time.time() + self._ttl_s),
        )
        row = db.execute("SELECT s, r, n, q FROM counters WHERE key = ?", (check.key,)).fetchone()
        return float(row[0]), float(row[1]), int(row[2]), int(row[3])

    # -- the BudgetCounters interface ---------------------------------------------------------------

    async def reserve(self, checks: list[Check], estimate: float, *, token: str = "") -> Violation | None:
        def work(db: sqlite3.Connection) -> Violation | None:
            for index, check in enumerate(checks):
                spent, reserved, requests, in_flight = self._row(db, check)
                rule = check.budget.rule
                if rule.usd is not None and spent + reserved + estimate > rule.usd:
                    return Violation(index, "usd", spent + reserved)
                if rule.requests is not None and requests + in_flight + 1 > rule.requests:
                    return Violation(index, "requests", requests + in_flight)
            expires = time.time() + self._ttl_s
            db.executemany(
                "UPDATE counters SET r = r + ?, q = q + 1, expires = ? WHERE key = ?",
                [(estimate, expires, c.key) for c in checks],
            )
            return None

        return await self._file.run(work)

    async def _apply(
        self, checks: list[Check], estimate: float, actual: float, *, reserved: bool, token: str = ""
    ) -> list[Snapshot]:
        def work(db: sqlite3.Connection) -> list[Snapshot]:
            out = []
            expires = time.time() + self._ttl_s
            for check in checks:
                self._row(db, check)
                db.execute(
                    "UPDATE counters SET r = max(0.0, r - ?), q = max(0, q - ?), s = s + ?, n = n + 1, "
                    "expires = ? WHERE key = ?",
                    (estimate if reserved else 0.0, 1 if reserved else 0, actual, expires, check.key),
                )
                spent, _, requests, _ = self._row(db, check)
                out.append(Snapshot(check, spent, requests))
            return out

        return await self._file.run(work)

    async def read(self, checks: list[Check]) -> list[Counter]:
        def work(db: sqlite3.Connection) -> list[Counter]:
            return [Counter(*self._row(db, check)) for check in checks]

        return await self._file.run(work)

    async def scan_users(self, budget: Budget, start: dt.date) -> list[str]:
        """Users with a counter for a per-user budget this period (for status pages)."""
        prefix, suffix = f"{budget.key}|", f"|{start.isoformat()}"

        def work(db: sqlite3.Connection) -> list[str]:
            rows: list[Any] = db.execute(
                "SELECT key FROM counters WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
            ).fetchall()
            return sorted(k[len(prefix) : -len(suffix)] for (k,) in rows if k.endswith(suffix))

        return await self._file.run(work)

    async def aclose(self) -> None:
        await self._file.aclose()


def _setup(db: sqlite3.Connection) -> None:
    db.execute(_SCHEMA)
    db.execute("DELETE FROM counters WHERE expires < ?", (time.time(),))
