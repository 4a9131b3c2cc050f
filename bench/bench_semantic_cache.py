"""Semantic cache quality and exact-cache lookup latency.

    python bench/bench_semantic_cache.py            # everything (starts a local Redis for the Redis figures)
    python bench/bench_semantic_cache.py --no-redis

1. Hit rate and false-hit rate on the labelled pairs (tests/data/semantic_cache/pairs.jsonl) with the
   default embedding model (local all-MiniLM-L6-v2, the same LocalModel the gateway's local provider
   runs) through the real CacheStage: the cached prompt is asked first (a miss, stored), then the query;
   a "hit" pair should be served from the cache, a "miss" pair must not be. Printed at the default
   threshold, then a sweep, with and without the near-miss guard.
2. Exact-cache lookup latency through the stage (key + lookup + decode of a hit), in-process and with
   Redis over loopback, p50/p95 over many requests; the semantic search; and the verifier's cost per
   semantic candidate (``guard.verdict``; target: <= 2 ms p50).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

import msgspec  # noqa: E402

from ai_workers.cache.config import SemanticPolicy  # noqa: E402
from ai_workers.cache.stage import CacheStage  # noqa: E402
from ai_workers.core.config import ConfigStore, Settings  # noqa: E402
from ai_workers.core.context import AppIdentity, RequestContext  # noqa: E402
from ai_workers.core.pipeline import Pipeline, Result  # noqa: E402
from ai_workers.core.types import (  # noqa: E402
    AnyRequest,
    AssistantMessage,
    Capability,
    ChatChoice,
    ChatRequest,
    ChatResponse,
    Message,
)
from ai_workers.routing.targets import resolve_targets  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "semantic_cache" / "pairs.jsonl"
HELDOUT = ROOT / "tests" / "data" / "semantic_cache" / "heldout.jsonl"  # written after the guard was frozen


async def answer(ctx: RequestContext, request: AnyRequest) -> Result:
    assert isinstance(request, ChatRequest)
    # Answered by the primary target routing chose, as the executor reports it: the cache stores only
    # that target's answers (any other would be a fallback's).
    primary = ctx.targets[0]
    ctx.provider, ctx.provider_model = primary.provider, primary.provider_model
    return ChatResponse(
        model=request.model, choices=[ChatChoice(index=0, message=AssistantMessage(content="ok"))]
    )


def make_stage(cache: dict[str, Any], **options: Any) -> tuple[CacheStage, Pipeline]:
    settings = msgspec.convert({"cache": cache}, Settings)
    stage = CacheStage(ConfigStore(settings), **options)
    return stage, Pipeline([stage], answer)


async def chat(pipeline: Pipeline, text: str, app: str = "bench") -> RequestContext:
    ctx = RequestContext(
        settings=pipeline.stages[0].config.current,
        app=AppIdentity(app),  # type: ignore[attr-defined]
        capability=Capability.CHAT,
        requested_model="gpt-4o-mini",
    )
    _, ctx.targets = resolve_targets(ctx.settings, ctx.app, Capability.CHAT, "gpt-4o-mini")
    await pipeline.run(
        ctx, ChatRequest(model="gpt-4o-mini", temperature=0, messages=[Message(role="user", content=text)])
    )
    return ctx


async def semantic_quality(path: Path, *, sweep: bool) -> None:
    from ai_workers.providers.local import LocalModel, bundled_model_dir

    print(f"\n== {path.relative_to(ROOT)} ==")
    text = await asyncio.to_thread(path.read_text)
    pairs = [json.loads(line) for line in text.splitlines() if line.strip()]
    model = LocalModel(bundled_model_dir())
    texts = sorted({p["cached"] for p in pairs} | {p["query"] for p in pairs})
    await model.encode(["load the weights first"])
    started = time.perf_counter()
    vectors, _ = await model.encode(texts)
    embed_ms = (time.perf_counter() - started) * 1000 / len(texts)
    single: list[float] = []
    for text in texts[:50]:
        t0 = time.perf_counter()
        await model.encode([text])
        single.append(time.perf_counter() - t0)
    table = dict(zip(texts, vectors, strict=True))
    model.close()

    async def embedder(ctx: RequestContext, name: str, batch: list[str]) -> list[list[float]]:
        return [table[t] for t in batch]

    default = SemanticPolicy()
    n_hit = sum(p["expect"] == "hit" for p in pairs)
    n_miss = len(pairs) - n_hit
    print(
        f"labelled pairs: {len(pairs)} ({n_hit} paraphrases that should hit, "
        f"{n_miss} near-misses that must not)"
    )
    print(
        f"embedding model: {default.embedding_model} (local; {embed_ms:.1f} ms/text batched, one query "
        f"{percentiles(single)} on this machine)"
    )

    async def run(threshold: float, guard: bool) -> tuple[int, int, dict[str, int], list[float]]:
        hits = false_hits = 0
        by_category: dict[str, int] = {}
        sims: list[float] = []
        for i, pair in enumerate(pairs):
            _, pipeline = make_stage(
                # Apps are strict by default (every PHI policy is): the strict threshold is the one in force.
                {"semantic": {"enabled": True, "strict_threshold": threshold, "guard": guard}},
                embedder=embedder,
            )
            await chat(pipeline, pair["cached"], app=f"a{i}")
            await pipeline.stages[0].flush()  # type: ignore[attr-defined]
            ctx = await chat(pipeline, pair["query"], app=f"a{i}")
            served = ctx.cache == "semantic_hit"
            if served:
                sims.append(ctx.cache_similarity or 0.0)
            if pair["expect"] == "hit" and served:
                hits += 1
            elif pair["expect"] == "miss" and served:
                false_hits += 1
                by_category[pair["category"]] = by_category.get(pair["category"], 0) + 1
        return hits, false_hits, by_category, sims

    hits, false_hits, cats, _ = await run(default.strict_threshold, True)
    print(
        f"\nDEFAULT (strict verifier, threshold {default.strict_threshold}, guard on): "
        f"hit rate {hits / n_hit:.1%} ({hits}/{n_hit}), "
        f"false-hit rate {false_hits / n_miss:.1%} ({false_hits}/{n_miss})  {cats or ''}"
    )
    if not sweep:
        return
    print("\nthreshold sweep        hit rate   false-hit rate   | without guard: hit rate   false-hit rate")
    for threshold in (0.75, 0.80, 0.83, 0.86, 0.88, 0.90, 0.93, 0.95):
        h, f, _, _ = await run(threshold, True)
        hn, fn, _, _ = await run(threshold, False)
        print(
            f"  {threshold:.2f}              {h / n_hit:6.1%}      {f / n_miss:6.1%}          |"
            f"                 {hn / n_hit:6.1%}       {fn / n_miss:6.1%}"
        )


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"p50 {p50 * 1e3:.3f} ms  p95 {p95 * 1e3:.3f} ms"


async def lookup_latency(cache: dict[str, Any], label: str, n: int) -> None:
    stage, pipeline = make_stage(cache)
    prompts = [f"Question number {i}: what are the opening hours of branch {i}?" for i in range(200)]
    for p in prompts:
        await chat(pipeline, p)
    await stage.flush()
    hit_times: list[float] = []
    miss_times: list[float] = []
    for i in range(n):
        started = time.perf_counter()
        ctx = await chat(pipeline, prompts[i % len(prompts)])
        hit_times.append(time.perf_counter() - started)
        assert ctx.cache == "hit", ctx.cache
    for i in range(min(n, 2000)):
        text = f"never seen before {i} {time.time_ns()}"
        started = time.perf_counter()
        await chat(pipeline, text)
        miss_times.append(time.perf_counter() - started)
    await stage.stop()
    print(
        f"  {label:<10} hit (key + lookup + decode): {percentiles(hit_times)}   "
        f"miss (key + lookup, store deferred): {percentiles(miss_times)}"
    )


async def semantic_search_latency() -> None:
    import numpy as np

    from ai_workers.cache.semantic import EmbeddedIndex, SemanticEntry, normalise

    index = EmbeddedIndex()
    rng = np.random.default_rng(0)
    entry = SemanticEntry(features=b"", answer=b"x" * 500, expires_at=0)
    for _ in range(2000):
        await index.add(
            "app:semantic:m:s", normalise(rng.normal(size=384)), entry, ttl_s=3600, max_entries=2000
        )
    times = []
    for _ in range(2000):
        query = normalise(rng.normal(size=384))
        started = time.perf_counter()
        await index.search("app:semantic:m:s", query, 5)
        times.append(time.perf_counter() - started)
    print(f"  semantic search, in-process, full scope of 2,000 x 384-d entries: {percentiles(times)}")


BLIND_DEV = ROOT / "bench" / "blind" / "semantic_cache" / "dev.jsonl"  # never the test part


def verifier_latency() -> None:
    """The verifier's cost per semantic candidate: ``guard.verdict`` on the query's features (extracted
    once per lookup) and the candidate's stored features, in strict mode. At similarity 1.0 every check
    runs (the usual case above the threshold); at 0.6 the surface-variant proof runs first. The first
    pass starts with cold word caches (stems, word frequencies), as in a fresh process."""
    from ai_workers.cache.guard import extract, verdict
    from ai_workers.cache.lexicon import lexicon

    lexicon()  # loaded at start by the gateway, outside any request
    pairs = [
        json.loads(line)
        for path in (PAIRS, HELDOUT, BLIND_DEV)
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    print(f"\nverifier per candidate (guard.verdict, strict), {len(pairs)} labelled pairs:")
    for similarity in (1.0, 0.6):
        for label in ("cold caches", "warm"):
            times: list[float] = []
            for pair in pairs:
                query, cached = extract(pair["query"]), extract(pair["cached"])
                started = time.perf_counter()
                verdict(similarity, query, cached, threshold=0.88, strict=True)
                times.append(time.perf_counter() - started)
            print(f"  similarity {similarity}, {label:<11}: {percentiles(times)}")


async def main(args: argparse.Namespace) -> None:
    if not args.latency_only:
        await semantic_quality(PAIRS, sweep=True)
        await semantic_quality(HELDOUT, sweep=True)
    print("\nexact-cache lookup latency through the cache stage (includes the trivial fake model on misses):")
    await lookup_latency({}, "in-process", args.n)
    await semantic_search_latency()
    verifier_latency()
    if not args.no_redis:
        from tests.support.services import redis_server

        with redis_server() as url:
            await lookup_latency({"backend": "redis", "redis_url": url}, "redis", args.n)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--latency-only", action="store_true")
    parser.add_argument("-n", type=int, default=5000)
    asyncio.run(main(parser.parse_args()))
