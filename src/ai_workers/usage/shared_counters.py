"""Budget counters shared by the worker processes of one machine (``db.shared_file``).

``serve --workers N`` without Redis used to give each worker its own in-memory counters, so N workers
could together spend N times a budget (measured: $0.021 against a $0.01 limit with 2 workers). These
counters live in ``<data dir>/budget-counters.db``: each reserve is one write transaction (check every
budget, then reserve on all), which SQLite serialises across processes exactly as the Redis Lua script
does across gateways. Counters are seeded from the database baseline by the first process to touch
them, and expire like the Redis keys do.

Each reservation is also a row naming its owner (this worker, alive while it holds a ``flock`` on its
file in ``budget-counters.owners/``) and an expiry. A worker killed with SIGKILL never settles, and its
reservations used to stay in the counters for the rest of the period (measured: 38% of one app's daily
budget refused for nothing); now any worker reclaims them as soon as the owner's lock is free, or once
they expire, and a settlement releases only a reservation still held, so none is released twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ai_workers.db.shared_file import SharedSqlite
from ai_workers.usage.budget_rules import Budget
from ai_workers.usage.counters import (
    Baseline,
    Check,
    Counter,
    LeaseGrant,
    LeaseTerms,
    SharedCounters,
    Snapshot,
    Violation,
    lease_grant,
)

log = logging.getLogger("ai_workers.usage.shared_counters")

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
);
CREATE TABLE IF NOT EXISTS reservations (
    token TEXT NOT NULL,   -- Reservation.token
    key TEXT NOT NULL,     -- the counter it holds r and q on
    owner TEXT NOT NULL,   -- the worker: alive while its lock file is locked
    amount REAL NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (token, key)
);
CREATE TABLE IF NOT EXISTS leases (
    token TEXT NOT NULL,   -- LeaseTerms.token (one per process and set of checks)
    key TEXT NOT NULL,     -- the counter it holds r and q on
    owner TEXT NOT NULL,   -- the worker: alive while its lock file is locked
    usd REAL NOT NULL,
    n INTEGER NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (token, key)
);
"""

RESERVATION_TTL_S = 900.0  # longer than any request may take; an older reservation is reclaimed
LEASE_TTL_S = 60.0  # a lease not renewed for this long is reclaimed (its owner renews it every second)
RECLAIM_INTERVAL_S = 5.0


class SqliteCounters(SharedCounters):
    """``BudgetCounters`` (``usage.counters``) over a SQLite file several processes share."""

    def __init__(
        self,
        path: Path,
        baseline: Baseline,
        *,
        ttl_s: float,
        reservation_ttl_s: float = RESERVATION_TTL_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._baseline = baseline
        self._ttl_s = ttl_s
        self._reservation_ttl_s = reservation_ttl_s
        self._clock = clock
        self._owners = path.parent / f"{path.stem}.owners"
        self.owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._owner_fd: int | None = None
        self._next_reclaim = 0.0
        self.reclaimed = 0  # reservations of dead workers or expired, released by this process
        self._file = SharedSqlite(path, self._setup)

    def _setup(self, db: sqlite3.Connection) -> None:
        db.executescript(_SCHEMA)
        db.execute("DELETE FROM counters WHERE expires < ?", (time.time(),))
        self._owners.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._owners / f"{self.owner}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._owner_fd = fd

    def _owner_alive(self, owner: str) -> bool:
        if owner == self.owner:
            return True
        try:
            fd = os.open(self._owners / f"{owner}.lock", os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    def _reclaim(self, db: sqlite3.Connection) -> int:
        """Release the reservations of dead workers and expired ones (inside the caller's transaction)."""
        self._next_reclaim = time.monotonic() + RECLAIM_INTERVAL_S
        owners = [
            o
            for (o,) in db.execute("SELECT owner FROM reservations UNION SELECT owner FROM leases").fetchall()
        ]
        dead = [o for o in owners if not self._owner_alive(o)]
        marks = ",".join("?" * len(dead))
        where = f"expires < ? OR owner IN ({marks})" if dead else "expires < ?"
        params: list[Any] = [self._clock(), *dead]
        rows = db.execute(
            f"SELECT key, sum(amount), count(*) FROM reservations WHERE {where} GROUP BY key", params
        ).fetchall()
        leases = db.execute(
            f"SELECT key, sum(usd), sum(n), count(*) FROM leases WHERE {where} GROUP BY key", params
        ).fetchall()
        if not rows and not leases:
            return 0
        db.executemany(
            "UPDATE counters SET r = max(0.0, r - ?), q = max(0, q - ?) WHERE key = ?",
            [(amount, count, key) for key, amount, count in rows]
            + [(amount, count, key) for key, amount, count, _ in leases],
        )
        db.execute(f"DELETE FROM reservations WHERE {where}", params)
        db.execute(f"DELETE FROM leases WHERE {where}", params)
        rows += [(key, amount, held) for key, amount, _, held in leases]
        for owner in dead:
            with contextlib.suppress(FileNotFoundError):
                (self._owners / f"{owner}.lock").unlink()
        released = sum(int(count) for _, _, count in rows)
        self.reclaimed += released
        log.warning("released %d budget reservations or leases of dead workers or expired", released)
        return released

    async def maintain(self) -> int:
        if time.monotonic() < self._next_reclaim:
            return 0
        return await self.reclaim()

    async def reclaim(self) -> int:
        """Reclaim now (tests, status); reserve also does it every few seconds and before refusing."""
        return await self._file.run(self._reclaim)

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
        def check_all(db: sqlite3.Connection) -> Violation | None:
            for index, check in enumerate(checks):
                spent, reserved, requests, in_flight = self._row(db, check)
                rule = check.budget.rule
                if rule.usd is not None and spent + reserved + estimate > rule.usd:
                    return Violation(index, "usd", spent + reserved)
                if rule.requests is not None and requests + in_flight + 1 > rule.requests:
                    return Violation(index, "requests", requests + in_flight)
            return None

        def work(db: sqlite3.Connection) -> Violation | None:
            if time.monotonic() >= self._next_reclaim:
                self._reclaim(db)
            violation = check_all(db)
            if violation is not None and self._reclaim(db):
                violation = check_all(db)  # a dead worker's reservations held the room
            if violation is not None:
                return violation
            expires = time.time() + self._ttl_s
            db.executemany(
                "UPDATE counters SET r = r + ?, q = q + 1, expires = ? WHERE key = ?",
                [(estimate, expires, c.key) for c in checks],
            )
            if token:
                held_until = self._clock() + self._reservation_ttl_s
                db.executemany(
                    "INSERT OR REPLACE INTO reservations VALUES (?, ?, ?, ?, ?)",
                    [(token, c.key, self.owner, estimate, held_until) for c in checks],
                )
            return None

        return await self._file.run(work)

    async def exchange(self, checks: list[Check], terms: LeaseTerms) -> LeaseGrant:
        def work(db: sqlite3.Connection) -> LeaseGrant:
            if time.monotonic() >= self._next_reclaim:
                self._reclaim(db)
            expires = time.time() + self._ttl_s
            for check in checks:
                self._row(db, check)
                held = db.execute(
                    "DELETE FROM leases WHERE token = ? AND key = ? RETURNING usd, n",
                    (terms.token, check.key),
                ).fetchone()
                usd, n = (float(held[0]), int(held[1])) if held is not None else (0.0, 0)
                db.execute(
                    "UPDATE counters SET r = max(0.0, r - ?), q = max(0, q - ?), s = s + ?, n = n + ?, "
                    "expires = ? WHERE key = ?",
                    (usd, n, terms.spent, terms.used, expires, check.key),
                )
            rows = [self._row(db, check) for check in checks]
            usd, n, violation = lease_grant(checks, rows, terms)
            if violation is not None and self._reclaim(db):  # a dead worker's lease held the room
                rows = [self._row(db, check) for check in checks]
                usd, n, violation = lease_grant(checks, rows, terms)
            if usd > 0 or n > 0:
                db.executemany(
                    "UPDATE counters SET r = r + ?, q = q + ? WHERE key = ?",
                    [(usd, n, check.key) for check in checks],
                )
                held_until = self._clock() + LEASE_TTL_S
                db.executemany(
                    "INSERT INTO leases VALUES (?, ?, ?, ?, ?, ?)",
                    [(terms.token, c.key, self.owner, usd, n, held_until) for c in checks],
                )
            return LeaseGrant(usd, n, violation, [(row[0], row[2]) for row in rows])

        return await self._file.run(work)

    async def _apply(
        self, checks: list[Check], estimate: float, actual: float, *, reserved: bool, token: str = ""
    ) -> list[Snapshot]:
        def work(db: sqlite3.Connection) -> list[Snapshot]:
            out = []
            expires = time.time() + self._ttl_s
            for check in checks:
                self._row(db, check)
                release = reserved
                if reserved and token:  # only if not reclaimed meanwhile (expired): never twice
                    gone = db.execute(
                        "DELETE FROM reservations WHERE token = ? AND key = ?", (token, check.key)
                    )
                    release = gone.rowcount > 0
                db.execute(
                    "UPDATE counters SET r = max(0.0, r - ?), q = max(0, q - ?), s = s + ?, n = n + 1, "
                    "expires = ? WHERE key = ?",
                    (estimate if release else 0.0, 1 if release else 0, actual, expires, check.key),
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
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None
            with contextlib.suppress(FileNotFoundError):
                (self._owners / f"{self.owner}.lock").unlink()
