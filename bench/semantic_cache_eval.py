"""Score the semantic cache on a labelled set of question pairs, per kind, in aggregate only.

    python bench/semantic_cache_eval.py bench/blind/semantic_cache/dev.jsonl
    python bench/semantic_cache_eval.py tests/data/semantic_cache/pairs.jsonl --mode standard

Each pair runs through the real CacheStage (the local all-MiniLM-L6-v2 embeddings, the default policy):
the cached question is asked first (a miss, stored), then the query; a paraphrase (``expect: hit``)
should be served from the semantic cache, a hard negative (``expect: miss``) must not be. Modes:

- ``standard``: an app whose PHI policy is ``allow`` (the standard verifier and threshold);
- ``strict``: an app whose PHI policy is ``redact`` (the default): the stricter verifier and threshold.

Printed per kind (the set's ``kind``, or ``category`` for the older sets): false hits among negatives,
hits among paraphrases, clinical false hits (``domain == "clinical"``), and the verifier's latency per
candidate (``guard.verdict`` on the stored features of the cached question; p50/p95), plus the one-off
feature extraction per query. Only counts are printed, never a pair's text: the blind test part must
not be read pair by pair. ``--show-errors`` prints the wrongly decided pairs of a development set (it
refuses a test part).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

import msgspec  # noqa: E402
import numpy as np  # noqa: E402

from ai_workers.cache.guard import extract, verdict  # noqa: E402
from ai_workers.cache.lexicon import lexicon  # noqa: E402
from ai_workers.cache.semantic import normalise  # noqa: E402
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

PHI_POLICY = {"standard": "allow", "strict": "redact"}


async def answer(ctx: RequestContext, request: AnyRequest) -> Result:
    assert isinstance(request, ChatRequest)
    # Answered by the primary target routing chose, as the executor reports it: the cache stores only
    # that target's answers (any other would be a fallback's).
    primary = ctx.targets[0]
    ctx.provider, ctx.provider_model = primary.provider, primary.provider_model
    return ChatResponse(
        model=request.model, choices=[ChatChoice(index=0, message=AssistantMessage(content="ok"))]
    )


async def ask(pipeline: Pipeline, app: str, text: str) -> RequestContext:
    ctx = RequestContext(
        settings=pipeline.stages[0].config.current,  # type: ignore[attr-defined]
        app=AppIdentity(app),
        capability=Capability.CHAT,
        requested_model="gpt-4o-mini",
    )
    _, ctx.targets = resolve_targets(ctx.settings, ctx.app, Capability.CHAT, "gpt-4o-mini")
    request = ChatRequest(model="gpt-4o-mini", temperature=0, messages=[Message(role="user", content=text)])
    await pipeline.run(ctx, request)
    return ctx


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def score(path: Path, mode: str, threshold: float | None, show: bool = False) -> dict[str, Any]:
    from ai_workers.providers.local import LocalModel, bundled_model_dir

    text = await asyncio.to_thread(path.read_text)
    pairs = [json.loads(line) for line in text.splitlines() if line.strip()]
    model = LocalModel(bundled_model_dir())
    texts = sorted({p["cached"] for p in pairs} | {p["query"] for p in pairs})
    vectors, _ = await model.encode(texts)
    table = dict(zip(texts, vectors, strict=True))
    model.close()
    lexicon()  # loaded once, outside the timings (the gateway loads it at start)

    async def embedder(ctx: RequestContext, name: str, batch: list[str]) -> list[list[float]]:
        return [table[t] for t in batch]

    semantic: dict[str, Any] = {"enabled": True}
    if threshold is not None:
        semantic["threshold" if mode == "standard" else "strict_threshold"] = threshold
    semantic["strict"] = mode == "strict"
    apps = {f"a{i}": {"phi_policy": PHI_POLICY[mode]} for i in range(len(pairs))}
    settings = msgspec.convert({"cache": {"semantic": semantic}, "apps": apps}, Settings)
    stage = CacheStage(ConfigStore(settings), embedder=embedder)
    pipeline = Pipeline([stage], answer)
    served: Counter[str] = Counter()
    total: Counter[str] = Counter()
    clinical = Counter[str]()
    reasons: Counter[str] = Counter()
    for i, pair in enumerate(pairs):
        kind = pair.get("kind") or pair.get("category") or "?"
        await ask(pipeline, f"a{i}", pair["cached"])
        await stage.flush()
        ctx = await ask(pipeline, f"a{i}", pair["query"])
        total[kind] += 1
        if ctx.cache == "semantic_hit":
            served[kind] += 1
            if pair["expect"] == "miss" and pair.get("domain") == "clinical":
                clinical["false_hits"] += 1
        if pair["expect"] == "miss" and pair.get("domain") == "clinical":
            clinical["negatives"] += 1
        if ctx.state.get("cache_verifier"):
            reasons[ctx.state["cache_verifier"]] += 1
        if show and (ctx.cache == "semantic_hit") != (pair["expect"] == "hit"):
            print(
                f"[{mode}] {pair.get('id', i)} {kind}: expected {pair['expect']}, "
                f"got {ctx.cache} (verifier: {ctx.state.get('cache_verifier')}, "
                f"similarity {ctx.cache_similarity})\n    cached: {pair['cached']}\n"
                f"    query:  {pair['query']}"
            )
    await stage.stop()

    # The verifier alone, per candidate: the query's features are extracted once per lookup, then
    # compared with each candidate's stored features (``guard.verdict`` at the pair's similarity, as
    # the stage calls it: below the threshold it also tries the surface-variant proof). The first
    # pass starts with empty word caches (stems, word frequencies), as a fresh process would.
    strict = mode == "strict"
    policy = stage.policy(settings, "a0").semantic
    threshold = policy.strict_threshold if strict else policy.threshold
    extract_s: list[float] = []
    verify_s: list[float] = []
    for _ in range(3):
        for pair in pairs:
            similarity = float(np.dot(normalise(table[pair["cached"]]), normalise(table[pair["query"]])))
            cached = extract(pair["cached"])
            started = time.perf_counter()
            query = extract(pair["query"])
            extract_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            verdict(similarity, query, cached, threshold=threshold, strict=strict)
            verify_s.append(time.perf_counter() - started)
    expects = {p.get("kind") or p.get("category") or "?": p["expect"] for p in pairs}
    return {
        "served": served,
        "total": total,
        "expects": expects,
        "clinical": clinical,
        "verify_ms": (percentile(verify_s, 0.5) * 1e3, percentile(verify_s, 0.95) * 1e3),
        "extract_ms": (percentile(extract_s, 0.5) * 1e3, percentile(extract_s, 0.95) * 1e3),
        "policy": stage.policy(settings, "a0").semantic,
        "reasons": reasons,
    }


def report(path: Path, mode: str, result: dict[str, Any]) -> None:
    served, total, expects = result["served"], result["total"], result["expects"]
    policy = result["policy"]
    threshold = policy.strict_threshold if mode == "strict" else policy.threshold
    print(f"\n== {path.name}: mode {mode} (threshold {threshold}) ==")
    print(f"{'kind':<22}{'expect':<8}{'served':>8}{'of':>6}{'rate':>9}")
    for kind in sorted(total, key=lambda k: (expects[k], k)):
        n, s = total[kind], served[kind]
        print(f"{kind:<22}{expects[kind]:<8}{s:>8}{n:>6}{s / n:>9.1%}")
    neg = sum(total[k] for k in total if expects[k] == "miss")
    false_hits = sum(served[k] for k in total if expects[k] == "miss")
    para = sum(total[k] for k in total if expects[k] == "hit")
    hits = sum(served[k] for k in total if expects[k] == "hit")
    clinical = result["clinical"]
    if neg:
        print(f"false hits among hard negatives: {false_hits}/{neg} = {false_hits / neg:.1%}")
    if clinical["negatives"]:
        print(f"  clinical false hits: {clinical['false_hits']}/{clinical['negatives']}")
    if para:
        print(f"paraphrases served from cache: {hits}/{para} = {hits / para:.1%}")
    p50, p95 = result["verify_ms"]
    e50, e95 = result["extract_ms"]
    print("verifier vetoes by reason: " + ", ".join(f"{r} {n}" for r, n in result["reasons"].most_common()))
    print(f"verifier per candidate: p50 {p50:.3f} ms, p95 {p95:.3f} ms")
    print(f"feature extraction per query (once per lookup): p50 {e50:.3f} ms, p95 {e95:.3f} ms")


async def main(args: argparse.Namespace) -> None:
    for mode in args.mode:
        result = await score(args.set, mode, args.threshold, args.show_errors)
        report(args.set, mode, result)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("set", type=Path, help="a JSONL file of {cached, query, expect, kind|category}")
    parser.add_argument("--mode", action="append", choices=sorted(PHI_POLICY), help="default: both")
    parser.add_argument("--threshold", type=float, help="override the mode's default threshold")
    parser.add_argument(
        "--show-errors",
        action="store_true",
        help="print each wrongly decided pair (refused for a blind test part: it is scored, never read)",
    )
    parsed = parser.parse_args()
    if parsed.show_errors and (parsed.set.name.startswith("test") or parsed.set.suffix == ".src"):
        parser.error(
            "--show-errors is for development sets only; the blind test part is never read pair by pair"
        )
    parsed.mode = parsed.mode or ["standard", "strict"]
    asyncio.run(main(parsed))
