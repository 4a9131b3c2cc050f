"""Per-request state that travels through the pipeline.

Each stage reads what earlier stages decided (who is calling, which targets to try) and writes what it
learned (tier, cache status, redactions, attempts, cost). The usage recorder turns the finished context
into one usage record; the HTTP layer turns it into response headers. Nothing here holds prompt text
except ``state``, which is private to the stages and never recorded, and ``log_prompt``/``log_answer``
(redacted, opt-in per app).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from ai_workers.core.catalog import Deployment, ModelSpec
from ai_workers.core.config import Settings
from ai_workers.core.types import Attempt, Capability, GatewayInfo, Usage


class _RequestIds:
    """Request ids: UUIDv7 values (RFC 9562) as 32 hex characters, random bits drawn from the OS's
    CSPRNG 256 ids at a time.

    Time-ordered because the id is the usage record's primary key: uniformly random keys land all over
    its B-tree, so each insert touched a random page and the cost grew with the table (the SQLite writer
    thread's CPU per row: 32 us at 20k rows, 72 us at 200k; time-ordered, 18 and 24 us:
    bench/bench_usage_ids.py). The first 48 bits are the Unix time in milliseconds; 74 bits
    stay random, so ids remain unguessable. ``uuid.uuid4().hex`` made one ``getrandom`` system call and
    a UUID object per request; this draws the randomness in batches. A forked child starts a fresh pool
    so two processes never hand out the same ids.
    """

    _BATCH = 256
    _RANDOM_BYTES = 10  # 80 bits drawn; 74 used (12 rand_a + 62 rand_b)

    def __init__(self) -> None:
        self._pool = b""
        self._pos = 0
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._pool, self._pos = b"", 0

    def __call__(self) -> str:
        pos = self._pos
        if pos >= len(self._pool):
            self._pool, pos = os.urandom(self._RANDOM_BYTES * self._BATCH), 0
        self._pos = pos + self._RANDOM_BYTES
        rand = int.from_bytes(self._pool[pos : pos + self._RANDOM_BYTES], "big")
        millis = time.time_ns() // 1_000_000
        # unix_ts_ms (48) | version 7 (4) | rand_a (12) | variant 0b10 (2) | rand_b (62)
        value = (millis << 80) | (0x7 << 76) | ((rand >> 68) << 64) | (0b10 << 62) | (rand & _LOW_62)
        return f"{value:032x}"


_LOW_62 = (1 << 62) - 1

new_request_id = _RequestIds()


@dataclass(slots=True, frozen=True)
class AppIdentity:
    """Who is calling: the app behind an API key (or the library's configured app) and its role."""

    name: str
    role: str = "app"  # "app" or "admin"
    key_id: str | None = None
    allowed_models: tuple[str, ...] | None = None  # None: whatever the app config allows
    user: str | None = None  # a browser token's end user: overrides any user the request names
    token_id: str | None = None  # set for browser tokens (server.browser_tokens), None for keys

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(slots=True, frozen=True)
class Target:
    """One concrete place to send a request: a model's deployment on a configured provider."""

    model: ModelSpec
    deployment: Deployment

    @property
    def provider(self) -> str:
        return self.deployment.provider

    @property
    def provider_model(self) -> str:
        return self.deployment.id

    @property
    def key(self) -> str:
        return f"{self.deployment.provider}:{self.deployment.id}"


@dataclass(slots=True)
class RequestContext:
    settings: Settings
    app: AppIdentity
    capability: Capability
    requested_model: str
    user: str | None = None
    request_id: str = field(default_factory=new_request_id)
    started: float = field(default_factory=time.perf_counter)
    started_at: float = field(default_factory=time.time)
    stream: bool = False
    route: str | None = None  # the API route or entry point, e.g. "/v1/chat/completions"
    # A stage's own request (Llama Guard, cache/RAG embeddings) run through the pipeline by
    # ``Gateway.subcall``: stages skip work that would recurse (re-scanning already-redacted text, splits).
    internal: bool = False
    parent_request_id: str | None = None  # the request an internal one was made for
    # A one-request admin override of a PHI/safety block (the ``x-ai-workers-override`` header); the
    # safety stage checks and consumes it.
    override_id: str | None = None

    # Routing decisions
    targets: list[Target] = field(default_factory=list)
    logical_model: str | None = None
    tier: str | None = None
    route_reason: str | None = None
    arm: str | None = None

    # Outcome
    provider: str | None = None
    provider_model: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    units: dict[str, float] = field(default_factory=dict)  # priced units beyond tokens: audio_minutes...
    cost_usd: float | None = None
    neurons: float | None = None
    cache: str | None = None  # "hit", "semantic_hit", "miss", "skip"
    cache_similarity: float | None = None
    cache_key: str | None = None  # the served entry's key on a hit (app, kind, model and a digest only)
    phi_redactions: int = 0
    phi_types: list[str] = field(default_factory=list)
    phi_counts: dict[str, int] = field(default_factory=dict)  # identifiers found per type (counts only)
    safety: str | None = None  # "safe", "flagged", "blocked"
    safety_categories: list[str] = field(default_factory=list)
    status: int = 200
    error_kind: str | None = None
    first_token_at: float | None = None
    finished: float | None = None
    # Wall time the executor spent waiting on upstreams (tries and the backoff between them) until the
    # answer, or a stream's first token, was ready. Not ``upstream_ms()``: that sums finished tries, so a
    # stream's own try (still open when its headers leave) is missing from it.
    upstream_wait_ms: float = 0.0
    overhead_ms: float | None = None  # the gateway's own time: elapsed minus ``upstream_wait_ms``
    # The request log's text, set only for apps that opt in (``core.request_text``) and only in its
    # PHI-redacted, size-capped form: the safety stage scans whatever it puts here.
    log_prompt: str | None = None
    log_answer: str | None = None

    # Private scratch space for stages (e.g. the redaction vault). Never recorded or logged.
    state: dict[str, Any] = field(default_factory=dict)

    def elapsed_ms(self) -> float:
        end = self.finished if self.finished is not None else time.perf_counter()
        return (end - self.started) * 1000.0

    def upstream_ms(self) -> float:
        return sum(a.latency_ms for a in self.attempts)

    def own_ms(self) -> float:
        """The gateway's own time so far: elapsed time minus time spent waiting on upstreams."""
        return max(0.0, (time.perf_counter() - self.started) * 1000.0 - self.upstream_wait_ms)


def gateway_info(ctx: RequestContext) -> GatewayInfo:
    """The ``x_ai_workers`` block for a finished request."""
    return GatewayInfo(
        provider=ctx.provider,
        provider_model=ctx.provider_model,
        latency_ms=round(ctx.elapsed_ms(), 3),
        cost_usd=ctx.cost_usd,
        neurons=ctx.neurons if ctx.neurons is not None else ctx.usage.neurons,
        tier=ctx.tier,
        route_reason=ctx.route_reason,
        arm=ctx.arm,
        cache=ctx.cache,
        cache_similarity=ctx.cache_similarity,
        phi_redactions=ctx.phi_redactions or None,
        phi_types=ctx.phi_types or None,
        safety=ctx.safety,
        safety_categories=ctx.safety_categories or None,
        attempts=len(ctx.attempts) or None,
        request_id=ctx.request_id,
    )
