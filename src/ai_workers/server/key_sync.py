"""Key changes (create, revoke) reach every worker and replica within a second.

Each process verifies keys from its own snapshot (``server.keys``), refreshed every few seconds; a key
revoked through one process used to keep working in the others until their next refresh (up to 5 s).
A change made by any process — a worker's admin API, the ``ai-workers keys`` CLI — is announced two
ways, and every listener refreshes its snapshot from the database at once:

* on the host: a generation file in the data dir (``keys.generation``) whose modification time is
  bumped. Each server stats it every ``POLL_S`` (0.1 s) in a background task, never on the request path: one
  ``stat`` syscall (about a microsecond) ten times a second per process, instead of a shared lock or
  a database query, and it works for the CLI too, which has no server to send to;
* across hosts, with ``redis_url``: a message on the ``aiw:keys`` channel (Redis pub/sub, like
  ``routing.circuit_sync``), applied as soon as it arrives. Redis is optional here: a lost message only
  means the change arrives with the periodic refresh.

Only "something changed" travels, never a key or its hash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from ai_workers.core.background import cancel_and_wait
from ai_workers.db.redis_client import optional_redis_client

log = logging.getLogger("ai_workers.server.key_sync")

CHANNEL = "aiw:keys"
POLL_S = 0.1
RECONNECT_S = 1.0


class KeyChanges:
    """Announces this process's key changes and calls ``on_change`` for everyone else's."""

    def __init__(self, data_dir: Path, redis_url: str | None = None) -> None:
        self.path = data_dir / "keys.generation"
        self.origin = uuid.uuid4().hex
        self.redis: Any = optional_redis_client(redis_url, decode_responses=True) if redis_url else None
        self._tasks: list[asyncio.Task[None]] = []
        self._seen = self._generation()
        self.subscribed = asyncio.Event()

    def _generation(self) -> int:
        try:
            return os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            return 0

    async def announce(self) -> None:
        """Tell every other process that keys changed (after the change is committed)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch()
        now = time.time_ns()
        os.utime(self.path, ns=(now, max(now, self._generation() + 1)))
        self._seen = self._generation()  # this process refreshed itself already
        if self.redis is not None:
            try:
                await self.redis.publish(CHANNEL, self.origin)
            except Exception as exc:
                log.warning(
                    "could not announce a key change through Redis (%s); replicas see it with their refresh",
                    exc,
                )

    def start(self, on_change: Callable[[], Awaitable[None]]) -> None:
        loop = asyncio.get_running_loop()
        self._tasks.append(loop.create_task(self._poll(on_change), name="key-generation"))
        if self.redis is not None:
            self._tasks.append(loop.create_task(self._listen(on_change), name="key-channel"))

    async def _poll(self, on_change: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(POLL_S)
            generation = self._generation()
            if generation != self._seen:
                self._seen = generation
                await on_change()

    async def _listen(self, on_change: Callable[[], Awaitable[None]]) -> None:
        while True:
            pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(CHANNEL)
                self.subscribed.set()
                async for message in pubsub.listen():
                    if message.get("type") == "message" and message.get("data") != self.origin:
                        await on_change()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.debug("key change channel lost (%s); reconnecting", exc)
            finally:
                self.subscribed.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(RECONNECT_S)

    async def stop(self) -> None:
        await cancel_and_wait(*self._tasks)
        self._tasks.clear()
        if self.redis is not None:
            with contextlib.suppress(Exception):
                await self.redis.aclose()
