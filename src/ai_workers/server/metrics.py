"""Prometheus metrics and recent per-provider health, both fed by one usage listener.

The usage service calls ``observe(ctx)`` once per finished request (success, error, stream close), so
the server never times or counts anything on its own path. Label children are cached per label tuple:
``Counter.labels()`` hashes and locks on every call, which is most of the cost of a metric update.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from prometheus_client import Counter, Histogram

from ai_workers.core.context import RequestContext
from ai_workers.core.metrics import DeferredCounter, DeferredHistogram

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
_OVERHEAD_BUCKETS = (0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1)


def _metric(kind: type[Any], name: str, doc: str, labels: tuple[str, ...], **kw: Any) -> Any:
    """Create a metric once per process (tests build several apps in one process)."""
    from prometheus_client import REGISTRY

    existing = REGISTRY._names_to_collectors.get(name)
    if existing is None and kind is Counter:
        existing = REGISTRY._names_to_collectors.get(name + "_total")
    if existing is not None:
        return existing
    return kind(name, doc, labels, **kw)


REQUESTS = _metric(Counter, "aiw_requests", "Requests answered", ("app", "provider", "model", "status"))
ERRORS = _metric(Counter, "aiw_errors", "Failed requests by error kind", ("app", "provider", "model", "kind"))
TOKENS = _metric(Counter, "aiw_tokens", "Tokens processed", ("app", "provider", "model", "direction"))
COST = _metric(Counter, "aiw_cost_usd", "Cost in US dollars", ("app", "provider", "model"))
LATENCY = _metric(
    Histogram,
    "aiw_request_duration_seconds",
    "Total request time",
    ("provider", "model"),
    buckets=_LATENCY_BUCKETS,
)
OVERHEAD = _metric(
    Histogram,
    "aiw_overhead_seconds",
    "Gateway time minus upstream time",
    ("route",),
    buckets=_OVERHEAD_BUCKETS,
)
ATTEMPTS = _metric(Counter, "aiw_upstream_attempts", "Calls to providers", ("provider", "model", "outcome"))
UPSTREAM_LATENCY = _metric(
    Histogram, "aiw_upstream_duration_seconds", "One provider call", ("provider",), buckets=_LATENCY_BUCKETS
)


class _Children:
    """One finished request's children, deferred (``core.metrics``): pushed when /metrics is read."""

    __slots__ = ("cost", "latency", "requests", "tokens_in", "tokens_out")

    def __init__(self, app: str, provider: str, model: str, status: str) -> None:
        self.requests = DeferredCounter(REQUESTS.labels(app, provider, model, status))
        self.tokens_in = DeferredCounter(TOKENS.labels(app, provider, model, "input"))
        self.tokens_out = DeferredCounter(TOKENS.labels(app, provider, model, "output"))
        self.cost = DeferredCounter(COST.labels(app, provider, model))
        self.latency = DeferredHistogram(LATENCY.labels(provider, model))


class ProviderHealth:
    """Each provider's recent calls (last ``window_s``): success rate and latency for /health/providers."""

    def __init__(self, window_s: float = 300.0, max_samples: int = 2000) -> None:
        self.window_s = window_s
        self.max_samples = max_samples
        self._samples: dict[str, deque[tuple[float, bool, float, str | None]]] = {}
        self._lock = threading.Lock()

    def add(self, provider: str, ok: bool, latency_ms: float, error_kind: str | None) -> None:
        samples = self._samples.get(provider)
        if samples is None:
            with self._lock:
                samples = self._samples.setdefault(provider, deque(maxlen=self.max_samples))
        samples.append((time.monotonic(), ok, latency_ms, error_kind))

    def summary(self) -> dict[str, dict[str, Any]]:
        cutoff = time.monotonic() - self.window_s
        out: dict[str, dict[str, Any]] = {}
        for provider, samples in list(self._samples.items()):
            recent = [s for s in list(samples) if s[0] >= cutoff]
            if not recent:
                out[provider] = {"calls": 0, "success_rate": None, "p50_ms": None, "p95_ms": None}
                continue
            ok = [s for s in recent if s[1]]
            latencies = sorted(s[2] for s in ok)
            errors: dict[str, int] = {}
            for s in recent:
                if not s[1]:
                    errors[s[3] or "error"] = errors.get(s[3] or "error", 0) + 1
            out[provider] = {
                "calls": len(recent),
                "success_rate": round(len(ok) / len(recent), 4),
                "p50_ms": round(_quantile(latencies, 0.5), 2) if latencies else None,
                "p95_ms": round(_quantile(latencies, 0.95), 2) if latencies else None,
                "errors": errors,
                "window_s": self.window_s,
            }
        return out


def _quantile(values: list[float], q: float) -> float:
    index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[index]


class MetricsListener:
    """The usage listener: one call per finished request, cheap and synchronous."""

    def __init__(self, health: ProviderHealth | None = None) -> None:
        self.health = health or ProviderHealth()
        self._children: dict[tuple[str, str, str, int], _Children] = {}
        self._overhead: dict[str, DeferredHistogram] = {}
        self._attempts: dict[tuple[str, str, bool], tuple[DeferredCounter, DeferredHistogram]] = {}

    def observe_overhead(self, route: str, overhead_ms: float) -> None:
        """Called by the HTTP layer, which alone knows when the response left (after the usage record)."""
        hist = self._overhead.get(route)
        if hist is None:
            hist = self._overhead[route] = DeferredHistogram(OVERHEAD.labels(route))
        hist.observe(overhead_ms / 1000.0)

    def __call__(self, ctx: RequestContext) -> None:
        provider = ctx.provider or "none"
        # Never the requested name when it did not resolve: callers choose it, and every distinct label
        # value is a new time series (an unknown-model flood must not grow the metrics without bound).
        model = ctx.logical_model or "unresolved"
        key = (ctx.app.name, provider, model, ctx.status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = _Children(ctx.app.name, provider, model, str(ctx.status))
        children.requests.inc()
        usage = ctx.usage
        if usage.prompt_tokens:
            children.tokens_in.inc(usage.prompt_tokens)
        if usage.completion_tokens:
            children.tokens_out.inc(usage.completion_tokens)
        if ctx.cost_usd:
            children.cost.inc(ctx.cost_usd)
        children.latency.observe(ctx.elapsed_ms() / 1000.0)
        if ctx.error_kind:
            ERRORS.labels(ctx.app.name, provider, model, ctx.error_kind).inc()
        for attempt in ctx.attempts:
            akey = (attempt.provider, attempt.model, attempt.ok)
            pair = self._attempts.get(akey)
            if pair is None:
                outcome = "ok" if attempt.ok else "error"
                pair = self._attempts[akey] = (
                    DeferredCounter(ATTEMPTS.labels(attempt.provider, attempt.model, outcome)),
                    DeferredHistogram(UPSTREAM_LATENCY.labels(attempt.provider)),
                )
            pair[0].inc()
            pair[1].observe(attempt.latency_ms / 1000.0)
            self.health.add(attempt.provider, attempt.ok, attempt.latency_ms, attempt.error_kind)
