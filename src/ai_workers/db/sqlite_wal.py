"""Switch a SQLite file to WAL when several processes may open it at the same moment.

``PRAGMA journal_mode=WAL`` on a file another connection is opening or switching at the same time
fails with "database is locked" at once: SQLite does not call the busy handler for it, so the
connection's ``timeout`` does not help (measured: 1 in 40 of 8 processes opening a new file together;
``serve --workers N`` on a fresh data directory, and the lease racers in CI, failed so). The switch is
retried here for up to ``wait_s`` instead.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

RETRY_EVERY_S = 0.01


def use_wal(cursor: Any, wait_s: float = 10.0) -> None:
    """Run ``PRAGMA journal_mode=WAL`` on ``cursor`` (a DB-API cursor or connection), retrying while
    another process holds the file; re-raises once ``wait_s`` has passed."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(RETRY_EVERY_S)
