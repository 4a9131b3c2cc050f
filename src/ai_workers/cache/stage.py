"""The cache stage: answers repeated requests from the exact cache and, when an app opts in, close
paraphrases from the semantic cache, with zero provider cost.

Where it sits, and why. The pipeline runs ``... -> route -> safety -> cache -> executor``: the cache
looks up *after* routing. A cached answer must come from the model that would answer now, and for
``model: "auto"``, app pins and A/B splits (sticky per user) only the routing stage knows which
that is. So the key includes the first target routing chose (provider +
deployment) and the arm, and an answer is stored only when that primary target produced it (a
fallback's answer during an outage is not cached for an hour under the primary's key; the primary's
cached answers keep being served while its circuit is open). Routing costs microseconds, so running it
before a hit is cheaper than a key that could serve the wrong model. A request without targets (the
stage run without routing) is not cached at all (``skip``, reason ``unrouted``): no key could name the
answering model. ``tests/test_stage_order.py`` pins this order.

It runs after the safety stage, so it only ever sees redacted text: keys, the semantic embedding and the
guard's features are computed from placeholders, never from the PHI they replaced, and the safety stage
restores the current request's values on the way out, into a copy of the answer. What is stored is a
snapshot taken as the answer passes this stage (a non-streamed answer is encoded before it is returned,
a stream's chunks are encoded as they pass): nothing an outer stage later does to the objects reaches
the cache.

Hits set ``ctx.cache`` ("hit" / "semantic_hit") and ``ctx.cache_similarity``; no provider attempt is
made and ``ctx.provider`` stays unset, so the usage record prices the request at zero (it keeps the
cached answer's token counts, which the savings report uses). A cache
failure (Redis down, embedding error) is logged and counted and the request goes on as a miss.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from ai_workers.cache import metrics
from ai_workers.cache.backends import BackendStats, CacheBackend, MemoryBackend, RedisBackend
from ai_workers.cache.config import BackendSpec, CachePolicy, PolicyResolver, backend_spec
from ai_workers.cache.entries import (
    StreamRecorder,
    decode_entry,
    decode_response,
    encode_answer,
    replay_stream,
)
from ai_workers.cache.guard import (
    BELOW_THRESHOLD,
    VARIANT_FLOOR,
    decode_features,
    encode_features,
    extract,
    verdict,
)
from ai_workers.cache.keys import chat_key, embedding_key, make_key, scope_digest
from ai_workers.cache.lexicon import ensure_loaded
from ai_workers.cache.semantic import (
    EmbeddedIndex,
    IndexStats,
    RedisIndex,
    SemanticEntry,
    SemanticIndex,
    normalise,
)
from ai_workers.core.background import cancel_and_wait
from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.metrics import LabelChildren
from ai_workers.core.pipeline import ChunkStream, Handler, Result, SubCall
from ai_workers.core.types import (
    AnyRequest,
    Capability,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    EmbeddingResponse,
)

log = logging.getLogger("ai_workers.cache")

GAUGE_PERIOD_S = 30.0
WARN_EVERY_S = 60.0

#: ``await embed(ctx, model, texts) -> vectors``: how the semantic cache gets embeddings.
Embedder = Callable[[RequestContext, str, list[str]], Awaitable[list[list[float]]]]


def subcall_embedder(subcall: SubCall) -> Embedder:
    """Embeddings through the gateway's own pipeline, so they are costed, recorded and cached too."""

    async def embed(ctx: RequestContext, model: str, texts: list[str]) -> list[list[float]]:
        result = await subcall(ctx, Capability.EMBEDDINGS, EmbeddingRequest(model=model, input=texts))
        if not isinstance(result, EmbeddingResponse):
            raise TypeError(f"embedding subcall returned {type(result).__name__}")
        return result.vectors()

    return embed


class CacheStage:
    name = "cache"

    def __init__(
        self,
        config: ConfigStore,
        *,
        subcall: SubCall | None = None,
        embedder: Embedder | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.clock = clock
        self.wall_clock = wall_clock
        self.embedder = embedder or (subcall_embedder(subcall) if subcall is not None else None)
        self._policies = PolicyResolver()
        self._pending: set[asyncio.Task[None]] = set()
        self._gauge_task: asyncio.Task[None] | None = None
        self._warned: dict[str, float] = {}
        self.counts: dict[tuple[str, str], int] = {}
        self._request_counters = LabelChildren(metrics.REQUESTS, deferred=True)
        self._spec = backend_spec(config.current)
        self.backend, self.index = self._build(self._spec)
        config.subscribe(self._on_config)

    # -- lifecycle ------------------------------------------------------------------------------------

    def _build(self, spec: BackendSpec) -> tuple[CacheBackend, SemanticIndex]:
        if spec.kind == "redis":
            assert spec.redis_url is not None
            backend = RedisBackend(spec.redis_url, prefix=spec.redis_prefix)
            semantic_prefix = spec.redis_prefix.rstrip(":") + "-semantic:"
            return backend, RedisIndex(backend.redis, prefix=semantic_prefix, clock=self.wall_clock)
        return (
            MemoryBackend(max_entries=spec.max_entries, max_bytes=spec.max_bytes, clock=self.clock),
            EmbeddedIndex(max_bytes=spec.max_bytes, clock=self.clock),
        )

    def _on_config(self, settings: Settings) -> None:
        try:
            spec = backend_spec(settings)
        except ValueError as exc:
            log.error("cache config invalid, keeping the current backend: %s", exc)
            return
        if spec == self._spec:
            return
        if spec.kind == "memory" == self._spec.kind and isinstance(self.backend, MemoryBackend):
            self.backend.max_entries, self.backend.max_bytes = spec.max_entries, spec.max_bytes
            self._spec = spec
            return
        old_backend, old_index = self.backend, self.index
        self._spec = spec
        self.backend, self.index = self._build(spec)
        log.info("cache backend switched to %s", spec.kind)
        self._spawn(self._close(old_backend, old_index))

    @staticmethod
    async def _close(backend: CacheBackend, index: SemanticIndex) -> None:
        await index.aclose()
        await backend.aclose()

    async def start(self) -> None:
        """Refresh the entries/bytes gauges (and drop expired in-process entries) every ``GAUGE_PERIOD_S``."""
        if self._gauge_task is None:
            self._gauge_task = asyncio.get_running_loop().create_task(self._gauge_loop(), name="cache-gauges")
        self._warm_semantic_embedder()
        if self._spec.kind == "memory" and self.config.current.server.workers > 1:
            log.warning(
                "cache.backend is memory with %d server workers: each worker has its own cache and an "
                "invalidation reaches only one of them; use cache.backend: redis",
                self.config.current.server.workers,
            )

    def _warm_semantic_embedder(self) -> None:
        """Load each semantic-cache embedding model in the background at start.

        The semantic lookup never makes a request wait for a model that is still loading (it treats the
        scope as empty), so without this a freshly started gateway has no semantic hits until the first
        embedding finished loading the model (seconds for the local MiniLM model).
        """
        if self.embedder is None:
            return
        settings = self.config.current
        apps = {settings.default_app, *settings.apps}
        models = {
            policy.semantic.embedding_model
            for app in apps
            if (policy := self.policy(settings, app)).enabled and policy.semantic.enabled
        }
        if models:
            # Only the semantic verifier needs WordNet: a gateway without semantic caching never loads it.
            self._spawn(self._warm_lexicon())
        embed = self.embedder
        for model in sorted(models):
            ctx = RequestContext(
                settings=settings,
                app=AppIdentity(settings.default_app),
                capability=Capability.EMBEDDINGS,
                requested_model=model,
                route="internal:cache-warmup",
            )

            async def warm(ctx: RequestContext = ctx, model: str = model) -> None:
                try:
                    await embed(ctx, model, ["warm up"])
                except Exception as exc:
                    self._warn("embed", "semantic cache embedder warm-up failed (%s)", exc)

            self._spawn(warm())

    async def _warm_lexicon(self) -> None:
        """Load the verifier's WordNet data (about two seconds) before a semantic candidate needs it."""
        try:
            await ensure_loaded()
        except Exception as exc:
            self._warn("lexicon", "semantic cache verifier data failed to load (%s)", exc)

    async def stop(self) -> None:
        if self._gauge_task is not None:
            await cancel_and_wait(self._gauge_task)
            self._gauge_task = None
        await self.flush()
        await self._close(self.backend, self.index)

    async def _gauge_loop(self) -> None:
        while True:
            await asyncio.sleep(GAUGE_PERIOD_S)
            try:
                await self.refresh_gauges()
            except Exception as exc:  # Redis briefly away: the next round tries again
                log.debug("cache gauge refresh failed: %s", exc)

    async def refresh_gauges(self) -> tuple[BackendStats, IndexStats]:
        exact = await self.backend.stats()
        semantic = await self.index.stats()
        metrics.BYTES.labels(exact.backend, "exact").set(exact.bytes)
        metrics.ENTRIES.labels(exact.backend, "exact").set(exact.entries)
        metrics.BYTES.labels(semantic.backend, "semantic").set(semantic.bytes)
        metrics.ENTRIES.labels(semantic.backend, "semantic").set(semantic.entries)
        return exact, semantic

    async def flush(self) -> None:
        """Wait for background writes (stores happen after the answer is returned)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    def _warn(self, operation: str, message: str, exc: BaseException) -> None:
        """Log a failure at most once a minute per operation: a Redis outage must not flood the log."""
        now = self.clock()
        if now - self._warned.get(operation, -WARN_EVERY_S) >= WARN_EVERY_S:
            self._warned[operation] = now
            log.warning(message, type(exc).__name__)  # the type only: a message could quote the prompt

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    # -- the stage ------------------------------------------------------------------------------------

    def policy(self, settings: Settings, app: str) -> CachePolicy:
        return self._policies(settings, app)

    def _count(self, ctx: RequestContext, kind: str, result: str) -> None:
        ctx.cache = result
        self._request_counters(ctx.app.name, kind, result).inc()
        self.counts[(kind, result)] = self.counts.get((kind, result), 0) + 1

    def _skip(self, ctx: RequestContext, kind: str, reason: str) -> None:
        ctx.state["cache_skip_reason"] = reason
        self._count(ctx, kind, "skip")

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        if isinstance(request, ChatRequest):
            kind = "rag" if (ctx.route or "").startswith("rag") else "chat"  # RAG's calls run as route "rag"
        elif isinstance(request, EmbeddingRequest):
            kind = "embeddings"
        else:
            if ctx.cache is None:
                ctx.cache = "skip"
            return await call_next(ctx, request)
        policy = self.policy(ctx.settings, ctx.app.name)
        if not policy.enabled:
            self._skip(ctx, kind, "disabled")
            return await call_next(ctx, request)
        if isinstance(request, ChatRequest):
            reason = self._chat_uncacheable(request, policy)
            if reason is not None:
                self._skip(ctx, kind, reason)
                return await call_next(ctx, request)
        if not ctx.targets:
            self._skip(ctx, kind, "unrouted")
            return await call_next(ctx, request)
        model, context = self._answering(ctx, policy)
        key = (
            chat_key(ctx.app.name, kind, model, request, context)
            if isinstance(request, ChatRequest)
            else embedding_key(ctx.app.name, model, request, context)
        )
        ctx.state["cache_key"] = key

        hit = await self._exact_lookup(key)
        served = self._serve(ctx, request, hit) if hit is not None else None
        if served is not None:
            self._count(ctx, kind, "hit")
            ctx.cache_key = key
            return served

        semantic: _SemanticMiss | None = None
        if isinstance(request, ChatRequest) and self._semantic_applies(ctx, policy):
            found = await self._semantic_lookup(ctx, request, policy, model, context)
            served = self._serve(ctx, request, found.raw) if isinstance(found, _SemanticHit) else None
            if isinstance(found, _SemanticHit) and served is not None:
                self._count(ctx, kind, "semantic_hit")
                ctx.cache_similarity = round(found.similarity, 4)
                ctx.cache_key = found.key or None  # the served entry's key: what `cache clear --key` takes
                metrics.SIMILARITY.observe(found.similarity)
                return served
            semantic = found if isinstance(found, _SemanticMiss) else None

        self._count(ctx, kind, "miss")
        result = await call_next(ctx, request)
        self._store_later(ctx, kind, key, model, result, policy, semantic)
        return result

    @staticmethod
    def _chat_uncacheable(request: ChatRequest, policy: CachePolicy) -> str | None:
        if request.temperature is None:
            return None if policy.cache_unset_temperature or policy.allow_sampled else "temperature_unset"
        if request.temperature > 0 and not policy.allow_sampled:
            return "temperature"
        return None

    @staticmethod
    def _answering(ctx: RequestContext, policy: CachePolicy) -> tuple[str, tuple[Any, ...]]:
        """The model named in the key and the key's context: answering target, arm, user scope."""
        user = ctx.user if policy.scope == "user" else None
        primary = ctx.targets[0]
        return primary.model.name, (primary.key, ctx.arm, user)

    async def _exact_lookup(self, key: str) -> bytes | None:
        started = time.perf_counter()
        try:
            return await self.backend.get(key)
        except Exception as exc:
            metrics.ERRORS.labels("get").inc()
            self._warn("get", "cache lookup failed (%s); serving as a miss", exc)
            return None
        finally:
            metrics.LOOKUP_SECONDS.labels(self.backend.name, "exact").observe(time.perf_counter() - started)

    def _serve(self, ctx: RequestContext, request: AnyRequest, raw: bytes) -> Result | None:
        """The cached answer for this request, or None if the entry cannot be read (then: a miss)."""
        try:
            entry = decode_entry(raw)
            response = decode_response(entry)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:  # written by an older version
            metrics.ERRORS.labels("decode").inc()
            self._warn("decode", "unreadable cache entry (%s); serving as a miss", exc)
            return None
        ctx.logical_model = entry.model
        ctx.state["cache_answered_by"] = (entry.provider, entry.provider_model)
        if isinstance(request, ChatRequest) and (ctx.stream or request.stream):
            assert isinstance(response, ChatResponse)
            include_usage = bool(request.stream_options and request.stream_options.include_usage)
            return replay_stream(response, include_usage=include_usage)
        return response

    # -- semantic -------------------------------------------------------------------------------------

    def _semantic_applies(self, ctx: RequestContext, policy: CachePolicy) -> bool:
        sem = policy.semantic
        if not sem.enabled or self.embedder is None or ctx.internal:
            return False
        return sem.routes is None or (ctx.route in sem.routes)

    async def _semantic_lookup(
        self,
        ctx: RequestContext,
        request: ChatRequest,
        policy: CachePolicy,
        model: str,
        context: tuple[Any, ...],
    ) -> _SemanticHit | _SemanticMiss | None:
        last = request.messages[-1] if request.messages else None
        if last is None or last.role != "user" or last.has_image():
            return None
        text = last.text().strip()
        sem = policy.semantic
        if not text or len(text) > sem.max_chars:
            return None
        scope = make_key(ctx.app.name, "semantic", model, scope_digest(request, context))
        features = extract(text)
        try:
            occupied = await self.index.has_entries(scope)
        except Exception as exc:
            metrics.ERRORS.labels("semantic_search").inc()
            self._warn("semantic_search", "semantic cache search failed (%s); serving as a miss", exc)
            return None
        if not occupied:
            # Nothing to compare with (a new system prompt, or a later turn of a conversation): do not
            # make the caller wait for an embedding; the store computes it after the answer.
            return _SemanticMiss(scope, None, text, encode_features(features))
        vector = await self._embed(ctx, sem.embedding_model, text)
        if vector is None:
            return None
        started = time.perf_counter()
        try:
            candidates = await self.index.search(scope, vector, sem.candidates)
        except Exception as exc:
            metrics.ERRORS.labels("semantic_search").inc()
            self._warn("semantic_search", "semantic cache search failed (%s); serving as a miss", exc)
            return None
        finally:
            metrics.LOOKUP_SECONDS.labels(self.index.name, "semantic").observe(time.perf_counter() - started)
        # Apps that handle PHI (see SemanticConfig.strict) need a closer match and the strict verifier.
        strict = sem.strict is not False
        threshold = sem.strict_threshold if strict else sem.threshold
        # With the guard on, a candidate below the threshold may still be a surface variant (typos).
        lowest = min(threshold, VARIANT_FLOOR) if sem.guard else threshold
        if sem.guard and candidates and candidates[0][0] >= lowest:
            await ensure_loaded()  # the verifier's WordNet data: loaded at start, awaited only until then
        for similarity, entry in candidates:
            if similarity < lowest:
                break
            if sem.guard:
                try:
                    cached_features = decode_features(entry.features)
                except (msgspec.DecodeError, msgspec.ValidationError):
                    continue  # stored by another guard version: never serve what cannot be checked
                reason = verdict(
                    similarity,
                    features,
                    cached_features,
                    threshold=threshold,
                    rare_word_zipf=sem.rare_word_zipf,
                    strict=strict,
                )
                if reason == BELOW_THRESHOLD:
                    continue
                if reason is not None:
                    metrics.GUARD_VETOES.labels(reason).inc()
                    ctx.state["cache_verifier"] = reason
                    continue
            return _SemanticHit(similarity, entry.answer, entry.key)
        return _SemanticMiss(scope, vector, text, encode_features(features))

    async def _embed(self, ctx: RequestContext, model: str, text: str) -> Any:
        assert self.embedder is not None
        try:
            vectors = await self.embedder(ctx, model, [text])
            return normalise(vectors[0])
        except Exception as exc:
            metrics.ERRORS.labels("embed").inc()
            self._warn("embed", "semantic cache embedding failed (%s); semantic lookup skipped", exc)
            return None

    # -- storing --------------------------------------------------------------------------------------

    @staticmethod
    def _answered_by_primary(ctx: RequestContext) -> bool:
        if ctx.status >= 400 or ctx.error_kind is not None:
            return False
        primary = ctx.targets[0]  # the stage skips requests without targets before any lookup
        same_provider = ctx.provider in (None, primary.provider)
        return same_provider and ctx.provider_model in (None, primary.provider_model)

    def _store_later(
        self,
        ctx: RequestContext,
        kind: str,
        key: str,
        model: str,
        result: Result,
        policy: CachePolicy,
        semantic: _SemanticMiss | None,
    ) -> None:
        if isinstance(result, ChunkStream):
            recorder = StreamRecorder()
            result.map(recorder.wrap)

            def on_close(error: BaseException | None) -> None:
                response = recorder.assemble() if error is None else None
                if response is not None:
                    self._store(ctx, kind, key, model, response, policy, semantic)

            result.on_close(on_close)
        elif isinstance(result, ChatResponse | EmbeddingResponse):
            self._store(ctx, kind, key, model, result, policy, semantic)

    def _store(
        self,
        ctx: RequestContext,
        kind: str,
        key: str,
        model: str,
        response: ChatResponse | EmbeddingResponse,
        policy: CachePolicy,
        semantic: _SemanticMiss | None,
    ) -> None:
        if not self._answered_by_primary(ctx):
            return
        if ctx.state.get("phi_unredacted"):
            # The request went out with PHI (an override or an all-trusted route): its answer may hold
            # PHI in clear, and the cache must never store any.
            return
        if isinstance(response, ChatResponse) and any(c.finish_reason == "error" for c in response.choices):
            return
        raw = encode_answer(
            kind,
            response,
            model=ctx.logical_model or model,
            provider=ctx.provider,
            provider_model=ctx.provider_model,
        )
        if len(raw) > policy.max_entry_bytes:
            return
        ttl = policy.ttl(kind)
        ctx.state["cache_stored"] = True
        backend, index = self.backend, self.index

        async def write() -> None:
            try:
                await backend.set(key, raw, ttl)
                metrics.STORES.labels(kind, "exact").inc()
                self.publish_gauges()
                vector = semantic.vector if semantic is not None else None
                if semantic is not None and vector is None:
                    vector = await self._embed(ctx, policy.semantic.embedding_model, semantic.text)
                if semantic is not None and vector is not None:
                    entry = SemanticEntry(features=semantic.features, answer=raw, expires_at=0.0, key=key)
                    await index.add(
                        semantic.scope,
                        vector,
                        entry,
                        ttl_s=ttl,
                        max_entries=policy.semantic.max_entries_per_scope,
                    )
                    metrics.STORES.labels(kind, "semantic").inc()
            except Exception as exc:
                metrics.ERRORS.labels("set").inc()
                self._warn("set", "cache store failed (%s)", exc)

        self._spawn(write())

    # -- operations -----------------------------------------------------------------------------------

    async def invalidate(
        self,
        *,
        app: str | None = None,
        model: str | None = None,
        prefix: str | None = None,
        key: str | None = None,
    ) -> dict[str, int]:
        """Drop entries matching every given filter; a model alias is resolved to its logical name.

        ``key``: one entry, as a hit's ``x-ai-workers-cache-key`` header names it: the exact entry and
        the semantic entry stored with it (a wrong semantic hit is purged this way).
        """
        if key is not None:
            await self.flush()
            exact = await self.backend.invalidate(app=None, model=None, prefix=key)
            semantic = await self.index.remove_key(key)
            metrics.INVALIDATED.labels("exact").inc(exact)
            metrics.INVALIDATED.labels("semantic").inc(semantic)
            return {"exact": exact, "semantic": semantic}
        if model is not None:
            found = self.config.current.catalog.find(model)
            model = found.name if found is not None else model
        await self.flush()
        exact = await self.backend.invalidate(app=app, model=model, prefix=prefix)
        semantic = await self.index.invalidate(app=app, model=model, prefix=prefix)
        metrics.INVALIDATED.labels("exact").inc(exact)
        metrics.INVALIDATED.labels("semantic").inc(semantic)
        return {"exact": exact, "semantic": semantic}

    async def stats(self) -> CacheStats:
        await self.flush()
        exact, semantic = await self.refresh_gauges()
        requests: dict[str, dict[str, int]] = {}
        for (kind, result), n in sorted(self.counts.items()):
            requests.setdefault(kind, {})[result] = n
        looked_up = sum(n for (_, r), n in self.counts.items() if r != "skip")
        hits = sum(n for (_, r), n in self.counts.items() if r in {"hit", "semantic_hit"})
        return CacheStats(
            exact=exact,
            semantic=semantic,
            requests=requests,
            hit_rate=(hits / looked_up) if looked_up else None,
        )

    def publish_gauges(self) -> None:
        """Cheap, synchronous gauge refresh for the in-process store (Redis is refreshed by ``stats``)."""
        if isinstance(self.backend, MemoryBackend):
            metrics.BYTES.labels("memory", "exact").set(self.backend.bytes)
            metrics.ENTRIES.labels("memory", "exact").set(len(self.backend))
        if isinstance(self.index, EmbeddedIndex):
            metrics.BYTES.labels("memory", "semantic").set(self.index.bytes)
            metrics.ENTRIES.labels("memory", "semantic").set(self.index.entries)


class CacheStats(msgspec.Struct):
    exact: BackendStats
    semantic: IndexStats
    requests: dict[str, dict[str, int]]  # kind -> result -> count, since this process started
    hit_rate: float | None  # (hits + semantic hits) / looked-up requests (skips excluded)


class _SemanticHit(msgspec.Struct):
    similarity: float
    raw: bytes
    key: str


class _SemanticMiss(msgspec.Struct):
    scope: str
    vector: Any  # None: not embedded yet (empty scope), the store embeds ``text``
    text: str
    features: bytes
