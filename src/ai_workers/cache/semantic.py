"""The semantic cache's vector index: previous prompts' embeddings per scope, searched by cosine.

A *scope* is (app, answering model, everything in the request but the last user message): only
entries in the same scope are ever compared, so the search is a brute-force dot product over a bounded
matrix (``max_entries_per_scope``, default 2,000 x 384 floats: well under a millisecond with numpy).
That is simpler and, at this size, as fast as an ANN index; nothing else is needed.

Two stores share one interface:

- ``EmbeddedIndex``: in-process numpy matrices (default).
- ``RedisIndex``: vectors in a Redis hash per scope, entries as strings with a TTL, and a version
  counter per scope. Each process keeps a mirror of a scope's matrix and re-reads the hash only when
  the version moved, so a lookup costs one ``GET`` in steady state. Plain Redis (6.2, as the test
  suite runs) has no vector search; RediSearch is not required.

Vectors are L2-normalised float32 so cosine similarity is a dot product.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from ai_workers.cache.backends import glob_escape
from ai_workers.cache.keys import key_matches

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vector = npt.NDArray[np.float32]
# numpy is imported where a vector is handled, not with the module: the gateway imports this module at
# start, and a server whose apps never turn the semantic cache on would hold numpy (~11 MB) for nothing.


class SemanticEntry(msgspec.Struct, array_like=True, frozen=True):
    features: bytes  # guard.Features, msgpack
    answer: bytes  # entries.CachedAnswer, msgpack
    expires_at: float  # on the index's clock
    key: str = ""  # the exact-cache key stored with it: how `cache clear --key` finds it ("" before v2)


class IndexStats(msgspec.Struct):
    backend: str
    scopes: int
    entries: int
    bytes: int


_entry_encoder = msgspec.msgpack.Encoder()
_entry_decoder = msgspec.msgpack.Decoder(SemanticEntry)


def _entry_id(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def normalise(vector: list[float] | Vector) -> Vector:
    import numpy as np

    v = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def similarities(matrix: Vector, vector: Vector) -> Vector:
    """Cosine similarities of unit rows to a unit vector.

    ``einsum`` rather than ``matrix @ vector``: the BLAS matvec is as fast at the median but hands the
    work to BLAS threads, and on a busy 2-core host its p95 measured 14 ms against 0.08 ms for einsum's
    single-threaded loop (2,000 x 384, bench/bench_semantic_cache.py).
    """
    import numpy as np

    result: Vector = np.einsum("ij,j->i", matrix, vector)
    return result


class SemanticIndex(Protocol):
    name: str

    async def has_entries(self, scope: str) -> bool: ...

    async def search(self, scope: str, vector: Vector, k: int) -> list[tuple[float, SemanticEntry]]: ...

    async def add(
        self, scope: str, vector: Vector, entry: SemanticEntry, *, ttl_s: float, max_entries: int
    ) -> None: ...

    async def invalidate(self, *, app: str | None, model: str | None, prefix: str | None) -> int: ...

    async def remove_key(self, key: str) -> int: ...

    async def stats(self) -> IndexStats: ...

    async def aclose(self) -> None: ...


@dataclass
class _Scope:
    matrix: Vector
    entries: list[SemanticEntry] = field(default_factory=list)
    nbytes: int = 0


class EmbeddedIndex:
    """Per-scope numpy matrices in this process, bounded per scope and in total bytes (LRU scopes)."""

    name = "memory"

    def __init__(self, *, max_bytes: int = 64 * 1024 * 1024, clock: Callable[[], float] = time.time) -> None:
        self.max_bytes = max_bytes
        self.clock = clock
        self._scopes: OrderedDict[str, _Scope] = OrderedDict()
        self.bytes = 0

    @property
    def entries(self) -> int:
        return sum(len(s.entries) for s in self._scopes.values())

    @staticmethod
    def _entry_bytes(vector_bytes: int, entry: SemanticEntry) -> int:
        return vector_bytes + len(entry.features) + len(entry.answer) + 100

    async def has_entries(self, scope: str) -> bool:
        found = self._scopes.get(scope)
        return found is not None and bool(found.entries)

    async def search(self, scope: str, vector: Vector, k: int) -> list[tuple[float, SemanticEntry]]:
        import numpy as np

        found = self._scopes.get(scope)
        if found is None or not found.entries:
            return []
        self._scopes.move_to_end(scope)
        n = len(found.entries)
        sims = similarities(found.matrix[:n], vector)
        now = self.clock()
        # Partial sort for the usual case; a full sort only if expired entries crowd the top.
        wanted = k + 8
        order = np.argsort(-sims) if n <= wanted else np.argpartition(-sims, wanted)[:wanted]
        order = order[np.argsort(-sims[order])]
        if n > wanted and sum(found.entries[int(i)].expires_at <= now for i in order) > wanted - k:
            order = np.argsort(-sims)
        out: list[tuple[float, SemanticEntry]] = []
        for i in order:
            entry = found.entries[int(i)]
            if entry.expires_at <= now:
                continue
            out.append((float(sims[int(i)]), entry))
            if len(out) >= k:
                break
        return out

    async def add(
        self, scope: str, vector: Vector, entry: SemanticEntry, *, ttl_s: float, max_entries: int
    ) -> None:
        import numpy as np

        now = self.clock()
        entry = msgspec.structs.replace(entry, expires_at=now + ttl_s)
        found = self._scopes.get(scope)
        if found is None:
            found = _Scope(matrix=np.zeros((16, vector.shape[0]), dtype=np.float32))
            self._scopes[scope] = found
        self._scopes.move_to_end(scope)
        if found.matrix.shape[1] != vector.shape[0]:  # embedding model changed: start the scope over
            self._drop_scope(scope)
            return await self.add(scope, vector, entry, ttl_s=ttl_s, max_entries=max_entries)
        # Drop expired entries and, when full, the oldest tenth, in one compaction.
        n = len(found.entries)
        keep = [i for i, e in enumerate(found.entries) if e.expires_at > now]
        if len(keep) >= max_entries:
            keep = keep[len(keep) - max_entries + max(1, max_entries // 10) :]
        if len(keep) != n:
            found.matrix[: len(keep)] = found.matrix[keep]
            found.entries = [found.entries[i] for i in keep]
            self._recount(found)
        n = len(found.entries)
        if n >= found.matrix.shape[0]:
            grown = np.zeros((found.matrix.shape[0] * 2, vector.shape[0]), dtype=np.float32)
            grown[:n] = found.matrix[:n]
            found.matrix = grown
        found.matrix[n] = vector
        found.entries.append(entry)
        size = self._entry_bytes(vector.nbytes, entry)
        found.nbytes += size
        self.bytes += size
        while self.bytes > self.max_bytes and len(self._scopes) > 1:
            self._drop_scope(next(iter(self._scopes)))

    def _recount(self, scope: _Scope) -> None:
        self.bytes -= scope.nbytes
        width = scope.matrix.shape[1] * 4
        scope.nbytes = sum(self._entry_bytes(width, e) for e in scope.entries)
        self.bytes += scope.nbytes

    def _drop_scope(self, scope: str) -> int:
        found = self._scopes.pop(scope)
        self.bytes -= found.nbytes
        return len(found.entries)

    async def invalidate(self, *, app: str | None, model: str | None, prefix: str | None) -> int:
        doomed = [s for s in self._scopes if key_matches(s, app=app, model=model, prefix=prefix)]
        return sum(self._drop_scope(s) for s in doomed)

    async def remove_key(self, key: str) -> int:
        """Drop the entries stored with this exact-cache key (one, normally), from every scope."""
        removed = 0
        for found in self._scopes.values():
            keep = [i for i, e in enumerate(found.entries) if e.key != key]
            if len(keep) == len(found.entries):
                continue
            removed += len(found.entries) - len(keep)
            found.matrix[: len(keep)] = found.matrix[keep]
            found.entries = [found.entries[i] for i in keep]
            self._recount(found)
        return removed

    async def stats(self) -> IndexStats:
        entries = sum(len(s.entries) for s in self._scopes.values())
        return IndexStats(backend=self.name, scopes=len(self._scopes), entries=entries, bytes=self.bytes)

    async def aclose(self) -> None:
        self._scopes.clear()
        self.bytes = 0


@dataclass
class _Mirror:
    version: bytes | None
    ids: list[str]
    matrix: Vector
    newest: float  # the highest "added at" score included


class RedisIndex:
    """Vectors in Redis, shared by every worker; see the module docstring for the layout."""

    name = "redis"

    def __init__(
        self, redis: Any, *, prefix: str = "aiw:cache-semantic:", clock: Callable[[], float] = time.time
    ):
        self.redis = redis
        self.prefix = prefix
        self.clock = clock
        self._mirrors: dict[str, _Mirror] = {}

    def _k(self, scope: str, part: str) -> str:
        return f"{self.prefix}{scope}:{part}"

    async def _mirror(self, scope: str) -> _Mirror | None:
        """This process's copy of the scope's vectors, brought up to date with as little transfer as possible.

        Unchanged version: nothing to read. Only additions since the mirror's newest entry (the usual
        case in a busy scope): read just those vectors. Anything else (evictions, invalidation): re-read
        the whole hash.
        """
        import numpy as np

        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(self._k(scope, "ver"))
            pipe.zcard(self._k(scope, "ids"))
            version, count = await pipe.execute()
        mirror = self._mirrors.get(scope)
        if version is None or not count:
            self._mirrors.pop(scope, None)
            return None
        if mirror is not None and mirror.version == version:
            return mirror
        if mirror is not None:
            added = await self.redis.zrangebyscore(
                self._k(scope, "ids"), f"({mirror.newest!r}", "+inf", withscores=True
            )
            if len(mirror.ids) + len(added) == int(count):
                new_ids = [m.decode() if isinstance(m, bytes) else str(m) for m, _ in added]
                vectors = await self.redis.hmget(self._k(scope, "vec"), new_ids) if new_ids else []
                if all(v is not None for v in vectors):
                    rows = [np.frombuffer(v, dtype=np.float32) for v in vectors]
                    matrix = np.vstack([mirror.matrix, *rows]) if rows else mirror.matrix
                    newest = max([mirror.newest, *(float(score) for _, score in added)])
                    mirror = _Mirror(version, [*mirror.ids, *new_ids], matrix, newest)
                    self._mirrors[scope] = mirror
                    return mirror
        return await self._reload(scope, version)

    async def _reload(self, scope: str, version: bytes) -> _Mirror | None:
        import numpy as np

        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._k(scope, "vec"))
            pipe.zrange(self._k(scope, "ids"), -1, -1, withscores=True)
            raw, newest = await pipe.execute()
        if not raw:
            self._mirrors.pop(scope, None)
            return None
        ids = [k.decode() for k in raw]
        matrix = np.stack([np.frombuffer(v, dtype=np.float32) for v in raw.values()])
        mirror = _Mirror(version, ids, matrix, float(newest[0][1]) if newest else 0.0)
        self._mirrors[scope] = mirror
        return mirror

    async def has_entries(self, scope: str) -> bool:
        return bool(await self.redis.exists(self._k(scope, "ver")))

    async def search(self, scope: str, vector: Vector, k: int) -> list[tuple[float, SemanticEntry]]:
        import numpy as np

        mirror = await self._mirror(scope)
        if mirror is None or mirror.matrix.shape[1] != vector.shape[0]:
            return []
        sims = similarities(mirror.matrix, vector)
        order = [int(i) for i in np.argsort(-sims)[:k]]
        ids = [mirror.ids[i] for i in order]
        raws = await self.redis.mget([self._k(scope, "e:" + i) for i in ids])
        out: list[tuple[float, SemanticEntry]] = []
        gone: list[str] = []
        for i, entry_id, raw in zip(order, ids, raws, strict=True):
            if raw is None:
                gone.append(entry_id)
                continue
            out.append((float(sims[i]), _entry_decoder.decode(raw)))
        if gone:  # expired entries: drop their vectors so the scope stays small
            self._mirrors.pop(scope, None)
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hdel(self._k(scope, "vec"), *gone)
                pipe.zrem(self._k(scope, "ids"), *gone)
                pipe.incr(self._k(scope, "ver"))
                await pipe.execute()
        return out

    async def add(
        self, scope: str, vector: Vector, entry: SemanticEntry, *, ttl_s: float, max_entries: int
    ) -> None:
        import numpy as np

        # Named after the exact key it was stored with, so `remove_key` finds it without reading entries.
        entry_id = _entry_id(entry.key) if entry.key else uuid.uuid4().hex[:16]
        ttl_ms = max(1, int(ttl_s * 1000))
        entry = msgspec.structs.replace(entry, expires_at=self.clock() + ttl_s)
        vec_key, ids_key, ver_key = self._k(scope, "vec"), self._k(scope, "ids"), self._k(scope, "ver")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self._k(scope, "e:" + entry_id), _entry_encoder.encode(entry), px=ttl_ms)
            pipe.hset(vec_key, entry_id, np.asarray(vector, dtype=np.float32).tobytes())
            pipe.zadd(ids_key, {entry_id: self.clock()})
            pipe.incr(ver_key)
            pipe.hset(self.prefix + "scopes", scope, b"1")
            # The scope's structures outlive their newest entry by one TTL at most.
            for key in (vec_key, ids_key, ver_key):
                pipe.pexpire(key, ttl_ms)
            pipe.zcard(ids_key)
            results = await pipe.execute()
        excess = int(results[-1]) - max_entries
        if excess > 0:
            oldest = [
                m.decode() if isinstance(m, bytes) else str(m)
                for m, _ in await self.redis.zpopmin(ids_key, excess)
            ]
            if oldest:
                async with self.redis.pipeline(transaction=False) as pipe:
                    pipe.hdel(vec_key, *oldest)
                    pipe.unlink(*[self._k(scope, "e:" + i) for i in oldest])
                    pipe.incr(ver_key)
                    await pipe.execute()

    async def _scopes(self) -> list[str]:
        return [k.decode() for k in await self.redis.hkeys(self.prefix + "scopes")]

    async def invalidate(self, *, app: str | None, model: str | None, prefix: str | None) -> int:
        removed = 0
        for scope in await self._scopes():
            if not key_matches(scope, app=app, model=model, prefix=prefix):
                continue
            removed += int(await self.redis.zcard(self._k(scope, "ids")))
            entry_keys = [
                k async for k in self.redis.scan_iter(match=glob_escape(self._k(scope, "e:")) + "*")
            ]
            async with self.redis.pipeline(transaction=True) as pipe:
                if entry_keys:
                    pipe.unlink(*entry_keys)
                pipe.unlink(self._k(scope, "vec"), self._k(scope, "ids"), self._k(scope, "ver"))
                pipe.hdel(self.prefix + "scopes", scope)
                await pipe.execute()
            self._mirrors.pop(scope, None)
        return removed

    async def remove_key(self, key: str) -> int:
        entry_id = _entry_id(key)
        removed = 0
        for scope in await self._scopes():
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hdel(self._k(scope, "vec"), entry_id)
                pipe.zrem(self._k(scope, "ids"), entry_id)
                pipe.unlink(self._k(scope, "e:" + entry_id))
                deleted, _, _ = await pipe.execute()
            if deleted:
                removed += int(deleted)
                await self.redis.incr(self._k(scope, "ver"))
                self._mirrors.pop(scope, None)
        return removed

    async def stats(self) -> IndexStats:
        scopes = 0
        entries = 0
        total = 0
        for scope in await self._scopes():
            count = int(await self.redis.zcard(self._k(scope, "ids")))
            if count == 0:
                continue
            scopes += 1
            entries += count
            total += int(await self.redis.memory_usage(self._k(scope, "vec")) or 0)
        return IndexStats(backend=self.name, scopes=scopes, entries=entries, bytes=total)

    async def aclose(self) -> None:
        self._mirrors.clear()
