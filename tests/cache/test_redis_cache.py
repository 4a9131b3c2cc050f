"""The Redis backend and the Redis semantic index against the real Redis the suite starts."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
import redis.asyncio as redis_asyncio

from ai_workers.cache.backends import RedisBackend
from ai_workers.cache.guard import encode_features, extract
from ai_workers.cache.semantic import RedisIndex, SemanticEntry, normalise
from tests.cache.helpers import Harness, settings

pytestmark = pytest.mark.redis


def redis_settings(redis_url: str, **cache: object) -> object:
    return settings(
        cache={
            "backend": "redis",
            "redis_url": redis_url,
            "redis_prefix": f"t{uuid.uuid4().hex[:8]}:",
            **cache,
        }
    )


async def test_hit_miss_and_isolation_through_redis(redis_url: str) -> None:
    h = Harness(redis_settings(redis_url))
    assert h.stage.backend.name == "redis"
    await h.chat("What is Redis?", temperature=0)
    await h.chat("What is Redis?", temperature=0)
    assert h.last.cache == "hit" and h.model.calls == 1
    await h.chat("What is Redis?", app="app-b", temperature=0)
    assert h.last.cache == "miss"
    # A second gateway process sharing the Redis sees the entry.
    other = Harness(h.store.current)
    await other.chat("What is Redis?", temperature=0)
    assert other.last.cache == "hit" and other.model.calls == 0
    await h.stage.stop()
    await other.stage.stop()


async def test_ttl_per_kind_is_set_on_the_redis_key(redis_url: str) -> None:
    h = Harness(redis_settings(redis_url, ttl_s={"chat": 120}))
    await h.chat("ttl?", temperature=0)
    await h.embed(["ttl?"])
    backend = h.stage.backend
    assert isinstance(backend, RedisBackend)
    ttls = {}
    async for key in backend.redis.scan_iter(match=backend.prefix + "*"):
        ttls[key.decode().split(":")[2]] = await backend.redis.pttl(key)
    assert 0 < ttls["chat"] <= 120_000
    assert 120_000 < ttls["embeddings"] <= 7 * 24 * 3600 * 1000
    await h.stage.stop()


async def test_invalidate_and_stats_on_redis(redis_url: str) -> None:
    h = Harness(redis_settings(redis_url))
    await h.chat("a", temperature=0)
    await h.chat("a", app="app-b", temperature=0)
    await h.chat("a", temperature=0, model="gpt-4o")
    stats = await h.stage.stats()
    assert stats.exact.backend == "redis" and stats.exact.entries == 3 and stats.exact.bytes > 0
    assert (await h.stage.invalidate(model="gpt-4o"))["exact"] == 1
    assert (await h.stage.invalidate(prefix="app-b:"))["exact"] == 1
    assert (await h.stage.stats()).exact.entries == 1
    await h.chat("a", temperature=0)
    assert h.last.cache == "hit"
    await h.stage.stop()


async def test_redis_down_serves_misses_without_failing(redis_url: str) -> None:
    h = Harness(settings(cache={"backend": "redis", "redis_url": "redis://127.0.0.1:9/0"}))
    await h.chat("still works", temperature=0)
    await h.chat("still works", temperature=0)
    assert h.model.calls == 2 and h.last.cache == "miss"
    await h.stage.stop()


async def test_redis_semantic_index_search_bound_and_invalidate(redis_url: str) -> None:
    client = redis_asyncio.Redis.from_url(redis_url)
    index = RedisIndex(client, prefix=f"t{uuid.uuid4().hex[:8]}-sem:")
    other = RedisIndex(client, prefix=index.prefix)  # another worker's mirror
    scope = "app-a:semantic:gpt-4o-mini:abc"
    rng = np.random.default_rng(1)
    vectors = [normalise(rng.normal(size=8).astype(np.float32)) for _ in range(5)]
    for i, v in enumerate(vectors):
        entry = SemanticEntry(
            features=encode_features(extract(f"q{i}")), answer=f"a{i}".encode(), expires_at=0
        )
        await index.add(scope, v, entry, ttl_s=60, max_entries=3)
    found = await other.search(scope, vectors[4], k=3)
    assert found[0][1].answer == b"a4" and found[0][0] == pytest.approx(1.0, abs=1e-5)
    assert len(found) == 3  # bounded to the newest three
    assert (
        await other.search(scope, vectors[0], k=1) != []
        and (await other.search(scope, vectors[0], 1))[0][1].answer != b"a0"
    )
    assert (await index.stats()).entries == 3
    assert await index.invalidate(app="app-a", model=None, prefix=None) == 3
    assert await other.search(scope, vectors[4], k=3) == []
    await client.aclose()


async def test_semantic_cache_on_redis_through_the_stage(redis_url: str) -> None:
    from tests.cache.test_semantic_cache import KeywordEmbedder

    h = Harness(
        redis_settings(redis_url, semantic={"enabled": True, "threshold": 0.8}), embedder=KeywordEmbedder()
    )
    await h.chat("What are the side effects of metformin?", temperature=0)
    await h.chat("What side effects does metformin have?", temperature=0)
    assert h.last.cache == "semantic_hit" and h.model.calls == 1
    await h.stage.stop()


async def test_backend_switch_on_config_reload(redis_url: str) -> None:
    h = Harness()
    assert h.stage.backend.name == "memory"
    h.store.replace(redis_settings(redis_url))
    assert h.stage.backend.name == "redis" and h.stage.index.name == "redis"
    await h.chat("after the switch", temperature=0)
    await h.chat("after the switch", temperature=0)
    assert h.last.cache == "hit"
    await h.stage.stop()


async def test_redis_index_mirror_follows_additions_and_evictions(redis_url: str) -> None:
    client = redis_asyncio.Redis.from_url(redis_url)
    writer = RedisIndex(client, prefix=f"t{uuid.uuid4().hex[:8]}-sem:")
    reader = RedisIndex(client, prefix=writer.prefix)
    scope = "app-a:semantic:m:s"
    rng = np.random.default_rng(7)
    vectors = [normalise(rng.normal(size=16).astype(np.float32)) for _ in range(6)]

    async def add(i: int, max_entries: int = 10) -> None:
        entry = SemanticEntry(
            features=encode_features(extract(f"q{i}")), answer=f"a{i}".encode(), expires_at=0
        )
        await writer.add(scope, vectors[i], entry, ttl_s=60, max_entries=max_entries)

    await add(0)
    assert (await reader.search(scope, vectors[0], 1))[0][1].answer == b"a0"
    hgetall_calls = 0
    original = client.hgetall

    async def counting_hgetall(*args: object, **kwargs: object) -> object:
        nonlocal hgetall_calls
        hgetall_calls += 1
        return await original(*args, **kwargs)

    client.hgetall = counting_hgetall  # type: ignore[method-assign]
    for i in (1, 2, 3):
        await add(i)
        assert (await reader.search(scope, vectors[i], 1))[0][1].answer == f"a{i}".encode()
    assert hgetall_calls == 0  # additions are read one by one, not the whole scope again
    await add(4, max_entries=3)  # evicts the two oldest: the reader must notice
    found = {e.answer for _, e in await reader.search(scope, vectors[0], 10)}
    assert found == {b"a2", b"a3", b"a4"}
    await client.aclose()
