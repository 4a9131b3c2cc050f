"""Where exact-cache entries live: an in-process LRU (default) or Redis (shared by workers and hosts).

Both store opaque bytes under the structured keys of ``cache.keys`` with a TTL, and both can drop
entries by app, model or key prefix. The in-process LRU is our own (an ``OrderedDict``), because the
libraries we looked at (cachetools) bound entries or a size function but do not combine per-entry TTL,
byte accounting and prefix invalidation; it is ~40 lines and O(1) per lookup.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

import msgspec

from ai_workers.cache.keys import key_matches, quote_part
from ai_workers.db.redis_client import optional_redis_client

# Python object overhead per entry (tuple, key and bytes headers, dict slot), so the byte bound tracks
# real memory rather than payload alone.
ENTRY_OVERHEAD_BYTES = 200


class BackendStats(msgspec.Struct):
    backend: str
    entries: int
    bytes: int
    max_entries: int | None = None
    max_bytes: int | None = None
    evictions: int = 0
    expirations: int = 0


class CacheBackend(Protocol):
    name: str

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_s: float) -> None: ...

    async def invalidate(self, *, app: str | None, model: str | None, prefix: str | None) -> int: ...

    async def stats(self) -> BackendStats: ...

    async def aclose(self) -> None: ...


class MemoryBackend:
    """A bounded LRU with per-entry expiry. ``clock`` is injectable so tests can expire entries."""

    name = "memory"

    def __init__(
        self,
        *,
        max_entries: int = 10_000,
        max_bytes: int = 64 * 1024 * 1024,
        clock: Callable[[], float] = time.monotonic,
        on_evict: Callable[[str], None] | None = None,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self.on_evict = on_evict
        self._data: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.bytes = 0
        self.evictions = 0
        self.expirations = 0

    def __len__(self) -> int:
        return len(self._data)

    @staticmethod
    def _size(key: str, value: bytes) -> int:
        return len(key) + len(value) + ENTRY_OVERHEAD_BYTES

    def _drop(self, key: str) -> None:
        _, value = self._data.pop(key)
        self.bytes -= self._size(key, value)

    def get_now(self, key: str) -> bytes | None:
        found = self._data.get(key)
        if found is None:
            return None
        expires_at, value = found
        if expires_at <= self.clock():
            self._drop(key)
            self.expirations += 1
            return None
        self._data.move_to_end(key)
        return value

    async def get(self, key: str) -> bytes | None:
        return self.get_now(key)

    async def set(self, key: str, value: bytes, ttl_s: float) -> None:
        size = self._size(key, value)
        if size > self.max_bytes:
            return
        if key in self._data:
            self._drop(key)
        self._data[key] = (self.clock() + ttl_s, value)
        self.bytes += size
        while len(self._data) > self.max_entries or self.bytes > self.max_bytes:
            oldest = next(iter(self._data))
            self._drop(oldest)
            self.evictions += 1
            if self.on_evict is not None:
                self.on_evict(oldest)

    async def invalidate(self, *, app: str | None, model: str | None, prefix: str | None) -> int:
        doomed = [k for k in self._data if key_matches(k, app=app, model=model, prefix=prefix)]
        for key in doomed:
            self._drop(key)
        return len(doomed)

    async def stats(self) -> BackendStats:
        now = self.clock()
        for key in [k for k, (exp, _) in self._data.items() if exp <= now]:
            self._drop(key)
            self.expirations += 1
        return BackendStats(
            backend=self.name,
            entries=len(self._data),
            bytes=self.bytes,
            max_entries=self.max_entries,
            max_bytes=self.max_bytes,
            evictions=self.evictions,
            expirations=self.expirations,
        )

    async def aclose(self) -> None:
        self._data.clear()
        self.bytes = 0


def glob_escape(text: str) -> str:
    """Escape Redis SCAN MATCH metacharacters."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RedisBackend:
    """Entries as Redis strings with a TTL, under ``prefix`` (default ``aiw:cache:``).

    Redis evicts by its own ``maxmemory-policy``; invalidation and stats SCAN the prefix (an operator
    action, not on the request path).
    """

    name = "redis"

    def __init__(self, url: str, *, prefix: str = "aiw:cache:", client: Any = None) -> None:
        self.url = url
        self.prefix = prefix
        # The cache is optional: a frozen Redis must cost no more than a miss, so commands time out
        # quickly and are then skipped for a cool-down (db/fast_redis.py). The semantic index shares
        # this client, and with it the timeouts and the fast-fail.
        self.redis: Any = client or optional_redis_client(url)

    async def get(self, key: str) -> bytes | None:
        value = await self.redis.get(self.prefix + key)
        return bytes(value) if value is not None else None

    async def set(self, key: str, value: bytes, ttl_s: float) -> None:
        await self.redis.set(self.prefix + key, value, px=max(1, int(ttl_s * 1000)))

    def _pattern(self, *, app: str | None, model: str | None, prefix: str | None) -> str:
        base = glob_escape(self.prefix)
        if prefix is not None:
            return base + glob_escape(prefix) + "*"
        app_part = quote_part(app) if app is not None else "*"
        model_part = quote_part(model) if model is not None else "*"
        return f"{base}{app_part}:*:{model_part}:*"

    async def _scan(self, pattern: str) -> list[bytes]:
        return [k async for k in self.redis.scan_iter(match=pattern, count=1000)]

    async def invalidate(self, *, app: str | None, model: str | None, prefix: str | None) -> int:
        removed = 0
        keys = await self._scan(self._pattern(app=app, model=model, prefix=prefix))
        n = len(self.prefix)
        doomed = [k for k in keys if key_matches(k.decode()[n:], app=app, model=model, prefix=prefix)]
        for start in range(0, len(doomed), 500):
            removed += int(await self.redis.unlink(*doomed[start : start + 500]))
        return removed

    async def stats(self) -> BackendStats:
        keys = await self._scan(glob_escape(self.prefix) + "*")
        total = 0
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            async with self.redis.pipeline(transaction=False) as pipe:
                for k in batch:
                    pipe.strlen(k)
                sizes = await pipe.execute()
            total += sum(int(s) for s in sizes) + sum(len(k) for k in batch)
        return BackendStats(backend=self.name, entries=len(keys), bytes=total)

    async def aclose(self) -> None:
        await self.redis.aclose()
