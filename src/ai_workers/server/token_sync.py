"""Browser-token revocations and spend shared by every worker and replica.

``server.browser_tokens`` checks a token's revocation and spend cap from this process's memory (no I/O
on the request path). Without sharing, a token revoked through one worker kept working in the others
until it expired, and each worker let it spend its whole cap. Every ``SYNC_S`` (0.1 s) a background task
sends this process's new revocations and spend, and reads back every live revocation and the total
spend of the capped tokens it has seen: in Redis with ``redis_url`` (every replica), else in a SQLite
file in the data dir (the workers of one host, ``db.shared_file``).

So a revocation reaches every process within ``2 * SYNC_S`` (0.2 s), and a token's cap can be passed
by what its requests cost across processes during that window. Polling rather than pub/sub: the same
loop must carry spend anyway, and one small round trip ten times a second per process is cheap.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from ai_workers.db.shared_file import SharedSqlite

SYNC_S = 0.1
RECENT_S = 5.0  # spend changed this recently is sent to every process, watched or not


class TokenStore(Protocol):
    async def exchange(
        self, revoked: dict[str, float], spent: dict[str, float], watched: Iterable[str]
    ) -> tuple[dict[str, float], dict[str, float]]:
        """Add revocations (id -> expiry) and spend (id -> USD); return every live revocation and the
        total spend of the ``watched`` ids and of every token charged in the last few seconds (so a
        process that has not seen a token yet knows its spend before its first request)."""
        ...

    async def aclose(self) -> None: ...


class SqliteTokenStore:
    """The workers of one host: a file in the data dir."""

    def __init__(self, path: Path, clock: Any = time.time) -> None:
        self.clock = clock
        self._file = SharedSqlite(path, self._setup)

    def _setup(self, db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS revoked (id TEXT PRIMARY KEY, expires REAL NOT NULL)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS spent "
            "(id TEXT PRIMARY KEY, usd REAL NOT NULL, expires REAL, updated REAL)"
        )
        db.execute("DELETE FROM revoked WHERE expires < ?", (self.clock(),))
        db.execute("DELETE FROM spent WHERE expires < ?", (self.clock() - 86400,))

    async def exchange(
        self, revoked: dict[str, float], spent: dict[str, float], watched: Iterable[str]
    ) -> tuple[dict[str, float], dict[str, float]]:
        ids = list(watched)
        now = self.clock()

        def work(db: sqlite3.Connection) -> tuple[dict[str, float], dict[str, float]]:
            db.executemany("INSERT OR REPLACE INTO revoked VALUES (?, ?)", list(revoked.items()))
            db.executemany(
                "INSERT INTO spent VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET usd = usd + excluded.usd, updated = excluded.updated",
                [(k, v, now + 86400, now) for k, v in spent.items()],
            )
            live = dict(db.execute("SELECT id, expires FROM revoked WHERE expires > ?", (now,)).fetchall())
            recent = "SELECT id, usd FROM spent WHERE updated > ?"
            totals: dict[str, float] = dict(db.execute(recent, (now - RECENT_S,)).fetchall())
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                totals.update(
                    db.execute(f"SELECT id, usd FROM spent WHERE id IN ({marks})", chunk).fetchall()
                )
            return live, totals

        return await self._file.run(work)

    async def aclose(self) -> None:
        await self._file.aclose()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisTokenStore:
    """Every replica: a sorted set of revocations (scored by expiry) and one float per capped token."""

    def __init__(self, client: Any, prefix: str = "aiw:tokens:") -> None:
        self.client = client
        self.prefix = prefix

    async def exchange(
        self, revoked: dict[str, float], spent: dict[str, float], watched: Iterable[str]
    ) -> tuple[dict[str, float], dict[str, float]]:
        ids = list(watched)
        now = time.time()
        changed = self.prefix + "changed"
        pipe = self.client.pipeline(transaction=False)
        if revoked:
            pipe.zadd(self.prefix + "revoked", revoked)
        pipe.zremrangebyscore(self.prefix + "revoked", "-inf", now)
        for token_id, usd in spent.items():
            pipe.incrbyfloat(self.prefix + "spent:" + token_id, usd)
            pipe.expire(self.prefix + "spent:" + token_id, 2 * 86400)
        if spent:
            pipe.zadd(changed, dict.fromkeys(spent, now))
        pipe.zremrangebyscore(changed, "-inf", now - RECENT_S)
        pipe.zrangebyscore(self.prefix + "revoked", now, "+inf", withscores=True)
        pipe.zrange(changed, 0, -1)
        out = await pipe.execute()
        live = {_text(k): float(v) for k, v in out[-2]}
        ids = sorted({*ids, *(_text(k) for k in out[-1])})
        totals: dict[str, float] = {}
        if ids:
            values = await self.client.mget([self.prefix + "spent:" + i for i in ids])
            totals = {i: float(v) for i, v in zip(ids, values, strict=True) if v is not None}
        return live, totals

    async def aclose(self) -> None:
        await self.client.aclose()
