"""A redis-py asyncio client that fails fast while Redis is unresponsive, and a pool that keeps few idle
connections.

Why: the cache, the shared rate-limit buckets and the shared circuit breakers are optional; when Redis
freezes (SIGSTOP, a stalled failover), each of their commands waited for the socket timeout, so every
request paid that wait. ``FastFailRedis`` puts a small breaker in front of every command and pipeline:
after a timeout or connection error it refuses commands at once (``RedisSkipped``, a
``redis.exceptions.ConnectionError``, which callers already treat as "Redis is away") for ``cooldown_s``,
then lets a single trial command through; its success closes the breaker, its failure starts another
cool-down. Callers keep their own fallbacks (a cache miss, local buckets).

``IdleBoundedPool`` closes connections handed back to the pool once more than ``max_idle`` sit idle:
after a burst the pool shrinks back instead of holding one connection per request that was in flight.

This module imports redis-py at import time: ``db.redis_client`` imports it lazily, so gateways without
a ``redis_url`` never need the package.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import redis.asyncio
import redis.exceptions
from redis.asyncio.client import Pipeline
from redis.asyncio.connection import AbstractConnection, ConnectionPool

log = logging.getLogger("ai_workers.redis")

# What says "Redis did not answer": everything else (a wrong type, a script error) is Redis answering.
UNRESPONSIVE = (redis.exceptions.TimeoutError, redis.exceptions.ConnectionError, TimeoutError, OSError)


class RedisSkipped(redis.exceptions.ConnectionError):
    """Not sent: Redis timed out or refused recently and is in its cool-down."""


class RedisBreaker:
    """Closed -> open for ``cooldown_s`` after a failure -> one trial -> closed or open again."""

    def __init__(self, cooldown_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.open_until = 0.0  # 0: closed
        self.trial = False  # a trial command is in flight
        self.skipped = 0

    @property
    def is_open(self) -> bool:
        return self.open_until != 0.0

    def before(self) -> bool:
        """Raise ``RedisSkipped`` if the command must not be sent; True when it is the trial."""
        if self.open_until == 0.0:
            return False
        if self.clock() >= self.open_until and not self.trial:
            self.trial = True
            return True
        self.skipped += 1
        raise RedisSkipped("Redis is not answering; skipped during its cool-down")

    def after(self, trial: bool, error: BaseException | None) -> None:
        if trial:
            self.trial = False
        if error is None:
            if self.open_until != 0.0:
                log.info("Redis answers again")
            self.open_until = 0.0
        elif isinstance(error, UNRESPONSIVE) and not isinstance(error, RedisSkipped):
            if self.open_until == 0.0:
                log.warning("Redis did not answer (%s): skipping it for %gs", error, self.cooldown_s)
            self.open_until = self.clock() + self.cooldown_s


class FastFailPipeline(Pipeline):
    """A pipeline whose ``execute`` goes through its client's breaker."""

    breaker: RedisBreaker

    async def execute(self, raise_on_error: bool = True) -> list[Any]:
        trial = self.breaker.before()
        try:
            result: list[Any] = await super().execute(raise_on_error)
        except BaseException as exc:
            self.breaker.after(trial, exc)
            raise
        self.breaker.after(trial, None)
        return result


class FastFailRedis(redis.asyncio.Redis):
    """``redis.asyncio.Redis`` whose commands and pipelines skip Redis while its breaker is open."""

    breaker: RedisBreaker

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        trial = self.breaker.before()
        try:
            result = await super().execute_command(*args, **options)  # type: ignore[no-untyped-call]
        except BaseException as exc:
            self.breaker.after(trial, exc)
            raise
        self.breaker.after(trial, None)
        return result

    def pipeline(self, transaction: bool = True, shard_hint: str | None = None) -> FastFailPipeline:
        pipe = FastFailPipeline(self.connection_pool, self.response_callbacks, transaction, shard_hint)
        pipe.breaker = self.breaker
        return pipe


class IdleBoundedPool(ConnectionPool):
    """A connection pool that disconnects returned connections beyond ``max_idle`` idle ones."""

    def __init__(self, *, max_idle: int = 16, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_idle = max_idle

    async def release(self, connection: AbstractConnection) -> None:
        await super().release(connection)
        surplus: list[AbstractConnection] = []
        async with self._lock:
            idle = self._available_connections
            while len(idle) > self.max_idle:
                surplus.append(idle.pop(0))  # the least recently used
        for conn in surplus:
            try:
                await conn.disconnect()
            except Exception as exc:  # pragma: no cover - closing a dead socket
                log.debug("closing an idle Redis connection failed: %r", exc)

    def idle_count(self) -> int:
        return len(self._available_connections)


def fast_fail_client(
    url: str,
    *,
    timeout_s: float,
    max_connections: int,
    max_idle: int,
    cooldown_s: float | None,
    decode_responses: bool = False,
) -> redis.asyncio.Redis:
    """A client on an ``IdleBoundedPool``; with ``cooldown_s`` its commands fail fast (see above)."""
    pool = IdleBoundedPool.from_url(
        url,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
        max_connections=max_connections,
        max_idle=max_idle,
        decode_responses=decode_responses,
    )
    if cooldown_s is None:
        return redis.asyncio.Redis.from_pool(pool)
    client = FastFailRedis(connection_pool=pool)
    client.auto_close_connection_pool = True  # what ``from_pool`` does: aclose() closes the pool too
    client.breaker = RedisBreaker(cooldown_s)
    return client
