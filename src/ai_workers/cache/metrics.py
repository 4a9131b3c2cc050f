"""Prometheus metrics for the cache (``aiw_cache_*``), on prometheus_client's default registry.

Hit rate is ``aiw_cache_requests_total{result="hit"|"semantic_hit"} / sum(aiw_cache_requests_total)``;
lookup latency covers the exact lookup and, when enabled, the semantic search (embedding excluded:
that is its own model call, recorded like any other).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter("aiw_cache_requests_total", "Cache decisions per request.", ["app", "kind", "result"])
LOOKUP_SECONDS = Histogram(
    "aiw_cache_lookup_seconds",
    "Time to look up the cache (exact or semantic search), excluding the embedding call.",
    ["backend", "lookup"],
    buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
)
STORES = Counter("aiw_cache_stores_total", "Answers written to the cache.", ["kind", "lookup"])
ERRORS = Counter(
    "aiw_cache_errors_total", "Cache backend or embedding failures (served as misses).", ["operation"]
)
GUARD_VETOES = Counter(
    "aiw_cache_semantic_vetoes_total",
    "Semantic candidates above the threshold that the near-miss guard refused, by reason.",
    ["reason"],
)
SIMILARITY = Histogram(
    "aiw_cache_semantic_similarity",
    "Similarity of served semantic hits.",
    buckets=(0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98, 0.99, 1.0),
)
BYTES = Gauge("aiw_cache_bytes", "Bytes held by the cache.", ["backend", "lookup"])
ENTRIES = Gauge("aiw_cache_entries", "Entries held by the cache.", ["backend", "lookup"])
INVALIDATED = Counter("aiw_cache_invalidated_total", "Entries removed by invalidation.", ["lookup"])
