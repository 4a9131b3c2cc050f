"""Wait until no SQLite call is running in this process's threads, so a fork cannot freeze the child.

A forked child inherits the memory of every thread but runs only the one that forked. When another
thread of the parent is inside SQLite at that moment (the usage writer committing a batch, a pooled
aiosqlite connection answering a query), it holds SQLite's mutexes, which stay held in the child for
ever, and the child's first ``sqlite3.connect`` or lock on the same file waits for ever (seen in CI: a
``multiprocessing`` child of a script using ``ai_workers.Client`` hung in ``sqlite3.connect``).
``Client`` parks its event loop before ``os.fork`` once ``idle()`` holds, so no SQLite call is running
or can start while the fork happens.

What counts: connections checked out of a registered engine's pool (a session, a query or the
rollback on check-in: SQLAlchemy's aiosqlite calls run only on checked-out connections) and calls
handed to our own SQLite threads through ``running()`` (the usage writer's batches).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import Iterator
from typing import Any

_engines: weakref.WeakSet[Any] = weakref.WeakSet()  # sync engines with a pool
_running = 0


def register_engine(sync_engine: Any) -> None:
    _engines.add(sync_engine)


@contextlib.contextmanager
def running() -> Iterator[None]:
    """Around a SQLite call handed to a thread (entered and left on the event loop)."""
    global _running
    _running += 1
    try:
        yield
    finally:
        _running -= 1


def idle() -> bool:
    """No SQLite call in flight: nothing handed to our threads, no pooled connection checked out."""
    if _running:
        return False
    for engine in list(_engines):
        checkedout = getattr(engine.pool, "checkedout", None)
        if checkedout is not None and checkedout() > 0:
            return False
    return True


async def until_idle(timeout_s: float) -> bool:
    """Poll ``idle()`` on the event loop; True once it holds, False after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not idle():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.001)
    return True
