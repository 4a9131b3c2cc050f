"""Replay a realistic mixed workload through the in-process gateway and report what routing and caching
saved, against the fake upstreams (``tests/fakes``: real HTTP servers on loopback).

The workload: five apps (two with the semantic cache turned on), users with a few favourite questions,
a popularity skew so some prompts come back often (exact repeats), paraphrased near-repeats ("Can you
tell me ...", "What's" for "What is", a trailing "Thanks!"), unique one-off prompts from the labelled
routing set, some sampled requests (temperature 0.7, not cacheable), an A/B split on one app's medium
tier, and a Workers AI outage in the middle of the run (the circuit opens, traffic fails over, the
circuit closes after the cool-down).

It prints: the share of requests per tier and per provider, exact and semantic cache hit rates, the
cost against sending every request to gpt-4o without a cache, and p50/p95 of the time the routing and
cache stages themselves add (their own time: each stage's time minus the time spent downstream of it).

    python bench/simulate_workload.py                  # in-process LRU cache
    python bench/simulate_workload.py --redis          # Redis cache backend (starts a redis-server)
    python bench/simulate_workload.py --requests 3000 --seed 7
    python bench/simulate_workload.py --balanced       # one-off prompts as hard as the labelled set

The fakes count words as tokens, so absolute costs are small. Their answers are set per request to a
length typical of the question's labelled tier (~50 / ~200 / ~500 words) instead of the default echo
of the prompt, which would make a summary of a 5,000-word document 5,000 words long. The comparison
with the all-gpt-4o baseline uses the same token counts on both sides.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.settings import fake_settings, start_fakes  # noqa: E402
from tests.routing.labelled import load  # noqa: E402

from ai_workers.core.context import AppIdentity, RequestContext  # noqa: E402
from ai_workers.core.pipeline import Handler, Pipeline, Result  # noqa: E402
from ai_workers.core.types import (  # noqa: E402
    AnyRequest,
    Capability,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    Message,
    Usage,
)
from ai_workers.gateway import Gateway  # noqa: E402
from ai_workers.usage.pricing import price  # noqa: E402

APPS = {
    # name: (share of traffic, semantic cache)
    "triage": (0.30, True),
    "intake": (0.20, True),
    "billing": (0.20, False),
    "analytics": (0.15, False),
    "internal-tools": (0.15, False),
}
# The labelled set is balanced for judging the router (27% complex); app traffic is not. One-off
# prompts are drawn per app with these tier weights (simple, medium, complex): patient-facing apps ask
# mostly simple things, analytics and engineering tools ask for more code, analysis and plans.
UNIQUE_TIER_MIX = {
    "triage": (0.55, 0.40, 0.05),
    "intake": (0.55, 0.40, 0.05),
    "billing": (0.45, 0.47, 0.08),
    "analytics": (0.20, 0.55, 0.25),
    "internal-tools": (0.25, 0.50, 0.25),
}

# Questions users of each app ask again and again (the popular head of the distribution).
POPULAR = {
    "triage": [
        "What are the clinic's opening hours on Saturday?",
        "How do I reschedule my appointment?",
        "Is it normal to feel tired after a flu shot?",
        "What should I bring to my first appointment?",
        "Can I take ibuprofen with my blood pressure medication?",
        "How long does it take to get lab results back?",
    ],
    "intake": [
        "What is the difference between a copay and a deductible?",
        "How do I update my insurance information?",
        "Do you accept Medicaid?",
        "What forms do I need to fill in before my visit?",
    ],
    "billing": [
        "Why was I charged twice for the same visit?",
        "How can I set up a payment plan for my bill?",
        "Explain the charges on an itemised hospital bill and how to dispute an incorrect one.",
    ],
    "analytics": [
        "Summarise last week's no-show rate trends and suggest three likely causes to investigate.",
        "Write a SQL query that returns the monthly count of new patients per clinic.",
    ],
    "internal-tools": [
        "Write a Python function that validates a US ZIP code.",
        "Explain what a 502 Bad Gateway error means and how to debug it.",
    ],
}

ROUTING = {
    "splits": [
        {
            "name": "billing-medium",
            "match": {"app": "billing", "model": "auto", "tier": "medium"},
            "arms": [
                {"name": "workers-70b", "model": "llama-3.3-70b-instruct-fp8-fast", "weight": 10},
                {"name": "gpt-4o-mini", "model": "gpt-4o-mini", "weight": 90},
            ],
        }
    ],
    "health": {"min_requests": 5, "cooldown_s": 5.0},
}


def near_repeat(text: str, rng: random.Random) -> str:
    """A paraphrase a person might type: same question, different surface."""
    choices = [
        lambda t: "Can you tell me " + t[0].lower() + t[1:],
        lambda t: t.replace("What is", "What's").replace("How do I", "How can I"),
        lambda t: t.rstrip("?.!") + "? Thanks!",
        lambda t: "Quick question: " + t,
        lambda t: t.lower(),
    ]
    return rng.choice(choices)(text)


_SENTENCE = "The answer covers the question with the relevant facts and a short next step for the reader. "
ANSWERS = {  # ~50, ~200 and ~500 words
    "simple": _SENTENCE * 3,
    "medium": _SENTENCE * 12,
    "complex": _SENTENCE * 30,
}


class VirtualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Planned:
    app: str
    user: str
    text: str
    kind: str  # "popular", "near", "unique"
    temperature: float | None = None
    source: ChatRequest | None = None  # a labelled request (keeps its tools, documents, history)
    tier: str = "simple"  # the labelled tier: sets how long the fake's answer is


def plan(n: int, seed: int, *, balanced: bool = False) -> list[Planned]:
    rng = random.Random(seed)
    labelled: dict[str, list[Any]] = defaultdict(list)
    for item in load():
        if not any(m.has_image() for m in item.request.messages):
            labelled[item.tier].append(item)
    apps = list(APPS)
    weights = [APPS[a][0] for a in apps]
    out: list[Planned] = []
    for _ in range(n):
        app = rng.choices(apps, weights)[0]
        user = f"{app}-user-{rng.randrange(300)}"
        roll = rng.random()
        popular = POPULAR[app]
        if roll < 0.38:  # Zipf-ish: the first questions are asked most
            text = popular[min(int(rng.expovariate(0.9)), len(popular) - 1)]
            out.append(Planned(app, user, text, "popular"))
        elif roll < 0.52:
            out.append(Planned(app, user, near_repeat(rng.choice(popular), rng), "near"))
        else:
            # --balanced: one-off prompts in the labelled set's own proportions (a pessimistic mix).
            mix = (
                tuple(len(labelled[t]) for t in ("simple", "medium", "complex"))
                if balanced
                else UNIQUE_TIER_MIX[app]
            )
            tier = rng.choices(("simple", "medium", "complex"), mix)[0]
            source = rng.choice(labelled[tier])
            temperature = 0.7 if rng.random() < 0.08 else None
            out.append(Planned(app, user, "", "unique", temperature, source.request, source.tier))
    return out


def request_for(p: Planned) -> ChatRequest:
    if p.source is not None:
        return ChatRequest(
            model="auto",
            messages=list(p.source.messages),
            tools=p.source.tools,
            max_tokens=p.source.max_tokens,
            response_format=p.source.response_format,
            temperature=p.temperature,
        )
    return ChatRequest(
        model="auto", messages=[Message(role="user", content=p.text)], temperature=p.temperature
    )


# -- stage timing -------------------------------------------------------------------------------------


@dataclass
class StageTimes:
    """Own time per stage (time in the stage minus time downstream), for the caller's requests only."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    by_app: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))


class Timed:
    def __init__(self, stage: Any, times: StageTimes) -> None:
        self.stage = stage
        self.name = stage.name
        self.times = times

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        downstream = 0.0

        async def timed_next(c: RequestContext, r: AnyRequest) -> Result:
            nonlocal downstream
            t = time.perf_counter()
            try:
                return await call_next(c, r)
            finally:
                downstream += time.perf_counter() - t

        start = time.perf_counter()
        try:
            return await self.stage(ctx, request, timed_next)
        finally:
            own_ms = (time.perf_counter() - start - downstream) * 1000.0
            if not ctx.internal:
                self.times.samples[self.name].append(own_ms)
                self.times.by_app[(self.name, ctx.app.name)].append(own_ms)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- run ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def maybe_redis(enabled: bool) -> Iterator[str | None]:
    if not enabled:
        yield None
        return
    from tests.support.services import redis_server

    with redis_server() as url:
        yield url


async def simulate(args: argparse.Namespace) -> dict[str, Any]:
    planned = plan(args.requests, args.seed, balanced=args.balanced)
    results: list[tuple[Planned, RequestContext, ChatResponse | None]] = []
    requests: dict[str, ChatRequest] = {}
    times = StageTimes()
    with (
        start_fakes() as (workers, openai),
        maybe_redis(args.redis) as redis_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        cache: dict[str, Any] = (
            {"backend": "redis", "redis_url": redis_url} if redis_url else {"backend": "memory"}
        )
        apps = {
            name: {"cache": {"semantic": {"enabled": True}}} if semantic else {}
            for name, (_, semantic) in APPS.items()
        }
        settings = fake_settings(workers, openai, data_dir=tmp, routing=ROUTING, cache=cache, apps=apps)

        async def no_sleep(_: float) -> None:
            return None

        async with Gateway(settings, executor_options={"sleep": no_sleep}) as gw:
            gw.pipeline = Pipeline([Timed(s, times) for s in gw.pipeline.stages], gw.executor)
            # Virtual time for the circuit breakers: each request advances it by 50 ms, so the outage
            # (10% of the run) lasts ~7 s of traffic and the 5 s cool-downs play out without sleeping.
            clock = VirtualClock()
            gw.health.clock = clock
            outage = (int(len(planned) * 0.45), int(len(planned) * 0.55))
            semaphore = asyncio.Semaphore(args.concurrency)

            async def one(i: int, p: Planned) -> None:
                async with semaphore:
                    clock.now = i * 0.05
                    # Answers as long as a model's would be for that kind of question, not an echo of a
                    # pasted document (the fakes echo by default), on both sides of the comparison.
                    workers.reply_text = openai.reply_text = ANSWERS[p.tier]
                    if i == outage[0]:
                        workers.inject("503", times=100_000)
                    elif i == outage[1]:
                        workers.clear()
                    ctx = gw.context(AppIdentity(p.app), Capability.CHAT, "auto", user=p.user)
                    request = requests[ctx.request_id] = request_for(p)
                    try:
                        response = await gw.run(ctx, request)
                    except Exception as exc:  # an error is an outcome to count, not a crash
                        ctx.error_kind = ctx.error_kind or type(exc).__name__
                        response = None
                    results.append((p, ctx, response if isinstance(response, ChatResponse) else None))

            # A server that has been up a while has its local embedding model loaded; load it now, or the
            # semantic cache (which embeds in the background after an answer) warms up only mid-run.
            warm = gw.context(AppIdentity("triage"), Capability.EMBEDDINGS, "all-minilm-l6-v2")
            await gw.subcall(
                warm, Capability.EMBEDDINGS, EmbeddingRequest(model="all-minilm-l6-v2", input="warm up")
            )
            started = time.perf_counter()
            if args.concurrency == 1:
                for i, p in enumerate(planned):
                    await one(i, p)
            else:
                await asyncio.gather(*(one(i, p) for i, p in enumerate(planned)))
            wall_s = time.perf_counter() - started
            await gw.usage.flush()
            circuit_events = [
                (t["provider"], t["model"], t["state"], t["failures"])
                for t in gw.health.snapshot()
                if t["failures"]
            ]
            catalog = gw.settings.catalog
            gpt4o = catalog.get("gpt-4o").deployments[0]
            import datetime as dt

            from ai_workers.routing.quality import quality_report

            quality = await quality_report(
                gw.usage.database,
                since=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                group_by=["provider", "arm"],
            )

    # -- figures -------------------------------------------------------------------------------------
    n = len(results)
    tiers = Counter(ctx.tier or "-" for _, ctx, _ in results)
    providers = Counter(
        ("cache" if ctx.cache in ("hit", "semantic_hit") else ctx.provider or "error")
        for _, ctx, _ in results
    )
    cache = Counter(ctx.cache or "-" for _, ctx, _ in results)
    semantic_apps = [a for a, (_, s) in APPS.items() if s]
    looked_up_sem = sum(
        1 for p, ctx, _ in results if p.app in semantic_apps and ctx.cache in ("hit", "semantic_hit", "miss")
    )
    errors = sum(1 for _, ctx, r in results if r is None or ctx.status >= 400)

    # Costs. "billed" is what the usage service charged (Workers AI neurons within today's free
    # allocation cost $0); "list" prices every provider call at the catalog's list price, so the saving
    # does not lean on the free allocation. Cache hits cost nothing; the baseline sends every request,
    # cache hits included, to gpt-4o with the same token counts.
    billed = list_cost = baseline = 0.0
    served_list = served_baseline = 0.0  # requests a provider answered: what routing alone saved
    list_by_tier: Counter[str] = Counter()
    for _, ctx, response in results:
        billed += ctx.cost_usd or 0.0
        usage = ctx.usage
        if (usage.prompt_tokens == 0 or ctx.cache in ("hit", "semantic_hit")) and response is not None:
            usage = response.usage if response.usage.total_tokens else usage
        if usage.total_tokens == 0:  # an error before any provider answered: count the echo it would get
            words = sum(len(m.text().split()) for m in requests[ctx.request_id].messages)
            usage = Usage(prompt_tokens=words, completion_tokens=words, total_tokens=2 * words)
        as_gpt4o = price(catalog, gpt4o, usage, {})[0]
        baseline += as_gpt4o
        target = ctx.state.get("target")
        if target is not None and ctx.cache not in ("hit", "semantic_hit"):
            at_list = price(catalog, target.deployment, ctx.usage, ctx.units)[0]
            list_by_tier[ctx.tier or "-"] += at_list
            list_cost += at_list
            served_list += at_list
            served_baseline += as_gpt4o

    route_ms = times.samples.get("route", [])
    cache_exact_ms = [
        v
        for (stage, app), vals in times.by_app.items()
        if stage == "cache" and app not in semantic_apps
        for v in vals
    ]
    cache_sem_ms = [
        v
        for (stage, app), vals in times.by_app.items()
        if stage == "cache" and app in semantic_apps
        for v in vals
    ]
    return {
        "requests": n,
        "errors": errors,
        "tiers": {k: v / n for k, v in tiers.items()},
        "providers": {k: v / n for k, v in providers.items()},
        "cache": dict(cache),
        "exact_hit_rate": cache["hit"] / n,
        "semantic_hit_rate_semantic_apps": (
            sum(1 for p, ctx, _ in results if p.app in semantic_apps and ctx.cache == "semantic_hit")
            / max(1, looked_up_sem)
        ),
        "semantic_hits": cache["semantic_hit"],
        "near_repeats": sum(1 for p, _, _ in results if p.kind == "near"),
        "near_repeat_hits": Counter(ctx.cache for p, ctx, _ in results if p.kind == "near"),
        "cost_billed_usd": billed,
        "cost_list_usd": list_cost,
        "cost_baseline_usd": baseline,
        "saving_list": 1 - list_cost / baseline if baseline else float("nan"),
        "saving_billed": 1 - billed / baseline if baseline else float("nan"),
        "list_cost_by_tier": dict(list_by_tier),
        "routing_saving": 1 - served_list / served_baseline if served_baseline else float("nan"),
        "error_kinds": Counter(ctx.error_kind for _, ctx, r in results if r is None or ctx.status >= 400),
        "wall_s": wall_s,
        "route_ms": (pct(route_ms, 0.5), pct(route_ms, 0.95)),
        "cache_exact_ms": (pct(cache_exact_ms, 0.5), pct(cache_exact_ms, 0.95)),
        "cache_semantic_ms": (pct(cache_sem_ms, 0.5), pct(cache_sem_ms, 0.95)),
        "circuits": circuit_events,
        "arms": Counter(ctx.arm for _, ctx, _ in results if ctx.arm),
        "quality": [r.to_dict() for r in quality],
        "backend": "redis" if args.redis else "memory",
    }


def report(fig: dict[str, Any]) -> None:
    print(f"\n== simulated workload: {fig['requests']} requests, cache backend: {fig['backend']} ==")
    errors = f"{fig['errors']} {dict(fig['error_kinds'])}"
    print(f"wall time {fig['wall_s']:.1f} s; errors returned to callers: {errors}")
    print("share per tier:     " + ", ".join(f"{k} {v:.1%}" for k, v in sorted(fig["tiers"].items())))
    print("share per provider: " + ", ".join(f"{k} {v:.1%}" for k, v in sorted(fig["providers"].items())))
    print(f"cache outcomes:     {fig['cache']}")
    print(f"exact hit rate (all requests):            {fig['exact_hit_rate']:.1%}")
    print(
        f"semantic hit rate (semantic-cache apps):  {fig['semantic_hit_rate_semantic_apps']:.1%}"
        f"  ({fig['semantic_hits']} semantic hits; near-repeats served as {dict(fig['near_repeat_hits'])})"
    )
    print(f"cost vs all-gpt-4o without cache (${fig['cost_baseline_usd']:.6f}):")
    print(f"  at list prices:         ${fig['cost_list_usd']:.6f}  -> {fig['saving_list']:.1%} lower")
    print(f"  billed (free neurons):  ${fig['cost_billed_usd']:.6f}  -> {fig['saving_billed']:.1%} lower")
    print(f"  routing alone (provider-served requests, list prices): {fig['routing_saving']:.1%} lower")
    by_tier = fig["list_cost_by_tier"]
    print("  list cost by tier: " + ", ".join(f"{k} ${v:.6f}" for k, v in sorted(by_tier.items())))
    r, ce, cs = fig["route_ms"], fig["cache_exact_ms"], fig["cache_semantic_ms"]
    print(f"routing stage own time:            p50 {r[0]:.3f} ms  p95 {r[1]:.3f} ms")
    print(f"cache stage own time, exact only:  p50 {ce[0]:.3f} ms  p95 {ce[1]:.3f} ms")
    print(
        f"cache stage own time, + semantic:  p50 {cs[0]:.3f} ms  p95 {cs[1]:.3f} ms  (incl. local embedding)"
    )
    print(f"A/B arms: {dict(fig['arms'])}")
    print(
        "circuits that saw failures: "
        + "; ".join(f"{p}:{m} now {s} ({f} failures)" for p, m, s, f in fig["circuits"])
    )
    print("quality per provider/arm (from usage_records + feedback):")
    for row in fig["quality"]:
        g = row["group"]
        print(
            f"  {g['provider'] or '-':<11} {g['arm'] or '-':<28} n={row['requests']:<5} "
            f"err={row['error_rate']:.1%} p50={row['latency_p50_ms']}ms p95={row['latency_p95_ms']}ms "
            f"$/req={row['cost_per_request_usd']:.8f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--concurrency", type=int, default=1, help="1 keeps stage timings free of interleaving"
    )
    parser.add_argument(
        "--redis", action="store_true", help="use a Redis cache backend (starts redis-server)"
    )
    parser.add_argument(
        "--balanced",
        action="store_true",
        help="one-off prompts in the labelled set's proportions (27%% complex)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    fig = asyncio.run(simulate(args))
    if args.json:
        print(json.dumps(fig, default=str, indent=2))
    else:
        report(fig)


if __name__ == "__main__":
    main()
