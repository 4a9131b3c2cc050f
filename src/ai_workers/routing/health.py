"""Provider health and circuit breakers, one per provider + model.

The executor asks ``allow(target, last_resort=...)`` before trying a target, reports every try with
``record(target, attempt)`` (passive health: latency EWMA, window error rate, percentiles) and each
request's verdict on the target, after its retries, with ``settle(target, ok, error_kind)``. Only the
verdicts drive the circuit, so errors that retries absorbed never open one (under load, five failed
*tries* in a row used to open a circuit although no client saw an error, and a model with no fallback
then answered 503 for 30 s and more):

- **closed** -> **open** when at least ``error_rate_threshold`` of the requests settled in the last
  ``window_s`` failed, once the window holds ``min_requests``;
- while open, ``allow`` answers False at once so requests fail over without waiting, except on a
  request's *last resort* (no fallback left): a ``last_resort_share`` of those still go through, so a
  model with no fallback is throttled rather than cut off, and their successes count as trials;
- after ``cooldown_s`` the circuit is **half-open**: up to ``half_open_trials`` trial requests at once;
  that many successes close it, a failure opens it again with the cool-down doubled (up to
  ``max_cooldown_s``).

Failures that say nothing about the provider's health (the caller's own bad request, a client that
went away) are not counted. Transitions are logged, exported as Prometheus metrics and passed to
``listeners``; with a top-level ``redis_url`` the open/close transitions are shared with the other
workers and replicas (routing/circuit_sync.py). Without Redis each process keeps its own circuits.
Everything here runs on the event loop; each call is a few dict and deque operations.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from prometheus_client import Counter, Gauge

from ai_workers.core.background import BackgroundTask
from ai_workers.core.config import ConfigStore
from ai_workers.core.context import Target
from ai_workers.core.errors import ConfigurationError, ProviderError
from ai_workers.core.metrics import DeferredGauge
from ai_workers.core.types import Attempt, Capability, ChatRequest, EmbeddingRequest, Message
from ai_workers.routing.config import HealthConfig, RoutingConfig

log = logging.getLogger("ai_workers.routing.health")

PERCENTILE_SAMPLE = 4096  # snapshot latency percentiles: over the newest tries of the window
# Failures that are not the provider's fault: they neither open nor close a circuit.
NEUTRAL_ERROR_KINDS = frozenset({"client", "cancelled", "canceled", "unsupported"})

CIRCUIT_STATE = Gauge(
    "aiw_circuit_state",
    "Circuit breaker state per provider and model (0 closed, 1 half-open, 2 open)",
    ["provider", "model"],
)
CIRCUIT_EVENTS = Counter(
    "aiw_circuit_events_total", "Circuit breaker transitions", ["provider", "model", "event"]
)
LATENCY_EWMA = Gauge(
    "aiw_provider_latency_ewma_ms", "Exponentially weighted provider latency per model", ["provider", "model"]
)
ERROR_RATE = Gauge(
    "aiw_provider_error_rate", "Share of failed provider calls in the health window", ["provider", "model"]
)


class CircuitState(enum.StrEnum):
    CLOSED = "closed"
    HALF_OPEN = "half_open"
    OPEN = "open"


_STATE_VALUE = {CircuitState.CLOSED: 0, CircuitState.HALF_OPEN: 1, CircuitState.OPEN: 2}


@dataclass(slots=True)
class TargetHealth:
    provider: str
    model: str
    capability: Capability
    state: CircuitState = CircuitState.CLOSED
    consecutive_failures: int = 0  # failed tries in a row (reported, not used to open)
    window: deque[tuple[float, bool, float]] = field(default_factory=deque)  # tries: (time, ok, ms)
    window_failures: int = 0  # failed entries in ``window``, kept in step so record() is O(1)
    outcomes: deque[tuple[float, bool]] = field(default_factory=deque)  # requests' verdicts: (time, ok)
    outcome_failures: int = 0
    latency_ewma_ms: float | None = None
    cooldown_s: float = 0.0
    opened_at: float | None = None  # monotonic
    trials: int = 0  # half-open trials in flight
    trial_started: float | None = None  # monotonic, the newest trial
    trial_successes: int = 0
    last_resort_credit: float = 0.0  # accumulates ``last_resort_share`` per last-resort request
    requests: int = 0
    failures: int = 0
    last_error_kind: str | None = None
    last_event: str | None = None
    last_event_at: float | None = None  # wall clock, for people
    # (latency EWMA, error rate) gauge children, looked up once and deferred (``core.metrics``).
    gauges: tuple[DeferredGauge, DeferredGauge] | None = None

    def expire_window(self, horizon: float) -> None:
        """Drop tries older than ``horizon`` from ``window``, keeping ``window_failures`` in step."""
        window = self.window
        while window and window[0][0] < horizon:
            if not window.popleft()[1]:
                self.window_failures -= 1


class ProviderLookup(Protocol):
    def get(self, name: str) -> Any: ...


class HealthMonitor:
    """Passive health, circuit breakers and optional active probes (the executor's ``observer``)."""

    def __init__(
        self,
        config: ConfigStore | None = None,
        *,
        registry: ProviderLookup | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = config
        self.registry = registry
        self.clock = clock
        self._wall = wall_clock
        self._targets: dict[str, TargetHealth] = {}
        self._prober = BackgroundTask("health-probes")
        self.listeners: list[Callable[[TargetHealth, str], None]] = []
        self.applying_remote = False  # True while applying another process' transition
        self.sync: Any = None  # routing.circuit_sync.CircuitSync when shared through Redis

    # -- config ---------------------------------------------------------------------------------------

    @property
    def config(self) -> HealthConfig:
        if self._store is None:
            return _DEFAULT_HEALTH
        try:
            return self._store.current.section("routing", RoutingConfig).health
        except Exception:  # an invalid routing section is reported by the routing stage
            return _DEFAULT_HEALTH

    def _entry(self, target: Target) -> TargetHealth:
        entry = self._targets.get(target.key)
        if entry is None:
            entry = TargetHealth(target.provider, target.provider_model, target.model.capability)
            entry.cooldown_s = self.config.cooldown_s
            self._targets[target.key] = entry
        return entry

    # -- the executor's observer protocol -------------------------------------------------------------

    def allow(self, target: Target, *, last_resort: bool = False) -> bool:
        """May the executor try this target now? False means skip it at once (circuit open).

        ``last_resort``: the request has no other target left, so refusing it means an error for the
        caller; an open circuit still lets a share of those through.
        """
        entry = self._targets.get(target.key)
        if entry is None or entry.state is CircuitState.CLOSED:
            return True
        cfg = self.config
        now = self.clock()
        if entry.state is CircuitState.OPEN:
            if entry.opened_at is not None and now - entry.opened_at < entry.cooldown_s:
                return last_resort and self._last_resort_pass(entry, cfg)
            self._transition(entry, CircuitState.HALF_OPEN, "half_open", "cool-down over, trials allowed")
        # Half-open: a few trials at a time; trials that never reported back free their slots eventually.
        if (
            entry.trials
            and entry.trial_started is not None
            and now - entry.trial_started >= cfg.trial_timeout_s
        ):
            entry.trials = 0
        if entry.trials < max(1, cfg.half_open_trials):
            entry.trials += 1
            entry.trial_started = now
            return True
        return last_resort and self._last_resort_pass(entry, cfg)

    @staticmethod
    def _last_resort_pass(entry: TargetHealth, cfg: HealthConfig) -> bool:
        entry.last_resort_credit += max(0.0, min(1.0, cfg.last_resort_share))
        if entry.last_resort_credit >= 1.0:
            entry.last_resort_credit -= 1.0
            return True
        return False

    def retry_in(self, target: Target) -> float | None:
        """Seconds until this target may be tried again, or None when it may be tried now."""
        entry = self._targets.get(target.key)
        if entry is None or entry.state is CircuitState.CLOSED:
            return None
        now = self.clock()
        if entry.state is CircuitState.OPEN and entry.opened_at is not None:
            return max(0.0, entry.cooldown_s - (now - entry.opened_at))
        if entry.state is CircuitState.HALF_OPEN and entry.trials >= max(1, self.config.half_open_trials):
            started = entry.trial_started if entry.trial_started is not None else now
            return max(0.0, self.config.trial_timeout_s - (now - started))
        return None

    def record(self, target: Target, attempt: Attempt) -> None:
        """Account one finished try (success or failure) of this target: passive health only."""
        if not attempt.ok and attempt.error_kind in NEUTRAL_ERROR_KINDS:
            return
        cfg = self.config
        entry = self._entry(target)
        now = self.clock()
        entry.requests += 1
        window = entry.window
        window.append((now, attempt.ok, attempt.latency_ms))
        if not attempt.ok:
            entry.window_failures += 1
        entry.expire_window(now - cfg.window_s)
        if attempt.latency_ms >= 0:
            a = cfg.latency_alpha
            prev = entry.latency_ewma_ms
            entry.latency_ewma_ms = (
                attempt.latency_ms if prev is None else a * attempt.latency_ms + (1 - a) * prev
            )
        gauges = entry.gauges
        if gauges is None:
            gauges = entry.gauges = (  # set on the request path, pushed when /metrics is read
                DeferredGauge(LATENCY_EWMA.labels(entry.provider, entry.model)),
                DeferredGauge(ERROR_RATE.labels(entry.provider, entry.model)),
            )
        if entry.latency_ewma_ms is not None:
            gauges[0].set(entry.latency_ewma_ms)
        gauges[1].set(entry.window_failures / len(window))
        if attempt.ok:
            entry.consecutive_failures = 0
            return
        entry.failures += 1
        entry.consecutive_failures += 1
        entry.last_error_kind = attempt.error_kind

    def settle(self, target: Target, ok: bool, error_kind: str | None = None) -> None:
        """One request's verdict on this target after its retries: what opens and closes the circuit."""
        entry = self._targets.get(target.key)
        if not ok and error_kind in NEUTRAL_ERROR_KINDS:
            if entry is not None and entry.state is CircuitState.HALF_OPEN and entry.trials:
                entry.trials -= 1  # the trial told us nothing: free its slot for the next request
            return
        cfg = self.config
        entry = entry or self._entry(target)
        now = self.clock()
        if entry.state is CircuitState.HALF_OPEN and entry.trials:
            entry.trials -= 1
        outcomes = entry.outcomes
        outcomes.append((now, ok))
        if not ok:
            entry.outcome_failures += 1
        horizon = now - cfg.window_s
        while outcomes and outcomes[0][0] < horizon:
            if not outcomes.popleft()[1]:
                entry.outcome_failures -= 1
        if ok:
            if entry.state is not CircuitState.CLOSED:
                entry.trial_successes += 1
                if entry.trial_successes >= max(1, cfg.half_open_trials):
                    self._close(entry, f"{entry.trial_successes} trial requests succeeded")
            return
        if error_kind:
            entry.last_error_kind = error_kind
        if entry.state is CircuitState.HALF_OPEN:
            entry.cooldown_s = min(cfg.max_cooldown_s, max(entry.cooldown_s, cfg.cooldown_s) * 2)
            self._open(entry, now, f"trial failed ({error_kind})")
        elif entry.state is CircuitState.CLOSED:
            failed, total = entry.outcome_failures, len(outcomes)
            if total >= cfg.min_requests and failed / total >= cfg.error_rate_threshold:
                entry.cooldown_s = cfg.cooldown_s
                self._open(entry, now, f"{failed}/{total} requests failed after retries in {cfg.window_s:g}s")

    # -- transitions ----------------------------------------------------------------------------------

    def _open(self, entry: TargetHealth, now: float, why: str) -> None:
        entry.opened_at = now
        entry.trials = 0
        entry.trial_successes = 0
        entry.last_resort_credit = 0.0
        self._transition(entry, CircuitState.OPEN, "open", f"{why}; retry in {entry.cooldown_s:g}s")

    def _close(self, entry: TargetHealth, why: str) -> None:
        entry.cooldown_s = self.config.cooldown_s
        entry.outcomes.clear()
        entry.outcome_failures = 0
        entry.trials = 0
        entry.trial_successes = 0
        self._transition(entry, CircuitState.CLOSED, "close", why)

    def _transition(self, entry: TargetHealth, state: CircuitState, event: str, why: str) -> None:
        entry.state = state
        entry.last_event = event
        entry.last_event_at = self._wall()
        if state is not CircuitState.HALF_OPEN:
            entry.trial_started = None
        else:
            entry.trials = 0
            entry.trial_successes = 0
        CIRCUIT_STATE.labels(entry.provider, entry.model).set(_STATE_VALUE[state])
        CIRCUIT_EVENTS.labels(entry.provider, entry.model, event).inc()
        level = logging.WARNING if event == "open" else logging.INFO
        log.log(level, "circuit %s for %s:%s: %s", event, entry.provider, entry.model, why)
        for listener in self.listeners:
            listener(entry, event)

    def apply_remote(self, key: str, event: str, cooldown_s: float) -> None:
        """Another process opened or closed this target's circuit: follow it (not re-broadcast)."""
        entry = self._targets.get(key) or self._entry_for_key(key)
        if entry is None:
            return
        self.applying_remote = True
        try:
            if event == "open" and entry.state is not CircuitState.OPEN:
                entry.cooldown_s = min(self.config.max_cooldown_s, max(0.0, cooldown_s))
                self._open(entry, self.clock(), "opened by another gateway process")
            elif event == "close" and entry.state is not CircuitState.CLOSED:
                self._close(entry, "closed by another gateway process")
        finally:
            self.applying_remote = False

    def _entry_for_key(self, key: str) -> TargetHealth | None:
        if self._store is None or ":" not in key:
            return None
        provider, model_id = key.split(":", 1)
        spec = self._store.current.catalog.find(model_id)
        if spec is None:
            return None
        for dep in spec.deployments:
            if dep.provider == provider and dep.id == model_id:
                return self._entry(Target(spec, dep))
        return None

    # -- queries --------------------------------------------------------------------------------------

    def state(self, target: Target | str) -> CircuitState:
        key = target if isinstance(target, str) else target.key
        entry = self._targets.get(key)
        return entry.state if entry is not None else CircuitState.CLOSED

    def is_available(self, target: Target) -> bool:
        """Like ``allow`` but without side effects (does not claim a half-open trial)."""
        entry = self._targets.get(target.key)
        if entry is None or entry.state is CircuitState.CLOSED:
            return True
        if entry.state is CircuitState.OPEN:
            return entry.opened_at is None or self.clock() - entry.opened_at >= entry.cooldown_s
        return entry.trials < max(1, self.config.half_open_trials)

    def snapshot(self) -> list[dict[str, Any]]:
        """One dict per provider+model seen, for ``GET /health/providers`` and the dashboard."""
        now = self.clock()
        horizon = now - self.config.window_s
        out: list[dict[str, Any]] = []
        for entry in sorted(self._targets.values(), key=lambda e: (e.provider, e.model)):
            # Expire the window as record() does, so counts are O(1); percentiles over the newest tries
            # only. Copying and sorting the whole window (48k tries at 1,600 req/s over 30 s) held the
            # event loop ~20 ms each time the alert monitor looked (every 15 s): a p99 spike.
            entry.expire_window(horizon)
            window = entry.window
            newest = itertools.islice(reversed(window), PERCENTILE_SAMPLE)
            latencies = sorted(ms for _, _, ms in newest)
            recent, failed = window, entry.window_failures
            retry_in = None
            if entry.state is CircuitState.OPEN and entry.opened_at is not None:
                retry_in = max(0.0, entry.cooldown_s - (now - entry.opened_at))
            out.append(
                {
                    "provider": entry.provider,
                    "model": entry.model,
                    "capability": str(entry.capability),
                    "state": str(entry.state),
                    "healthy": entry.state is CircuitState.CLOSED,
                    "consecutive_failures": entry.consecutive_failures,
                    "window_failed_requests": entry.outcome_failures,
                    "window_settled_requests": len(entry.outcomes),
                    "window_s": self.config.window_s,
                    "window_requests": len(recent),
                    "window_error_rate": round(failed / len(recent), 4) if recent else None,
                    "latency_ewma_ms": round(entry.latency_ewma_ms, 2) if entry.latency_ewma_ms else None,
                    "latency_p50_ms": _percentile(latencies, 0.5),
                    "latency_p95_ms": _percentile(latencies, 0.95),
                    "requests": entry.requests,
                    "failures": entry.failures,
                    "last_error_kind": entry.last_error_kind,
                    "last_event": entry.last_event,
                    "last_event_at": entry.last_event_at,
                    "retry_in_s": round(retry_in, 2) if retry_in is not None else None,
                }
            )
        return out

    # -- active probes --------------------------------------------------------------------------------

    def start(self) -> None:
        self._prober.start(self._probe_loop)
        url = self._store.current.redis_url if self._store is not None else None
        if self.sync is None and url and self.config.shared:
            from ai_workers.routing.circuit_sync import CircuitSync  # imports redis-py: only with Redis

            self.sync = CircuitSync(self, url)
            self.sync.start()

    async def stop(self) -> None:
        if self.sync is not None:
            await self.sync.stop()
            self.sync = None
        await self._prober.stop()

    def probe_targets(self) -> list[Target]:
        """Targets to probe: the configured models' deployments, else every target seen so far."""
        cfg = self.config
        if self._store is None:
            return []
        settings = self._store.current
        targets: list[Target] = []
        if cfg.probe_models:
            for name in cfg.probe_models:
                spec = settings.catalog.find(name)
                if spec is None:
                    continue
                targets.extend(
                    Target(spec, dep) for dep in spec.deployments if dep.provider in settings.providers
                )
            return targets
        for entry in self._targets.values():
            spec = settings.catalog.find(entry.model)
            if spec is None:
                continue
            targets.extend(
                Target(spec, dep)
                for dep in spec.deployments
                if dep.provider == entry.provider and dep.id == entry.model
            )
        return targets

    async def probe(self, target: Target) -> Attempt | None:
        """One cheap request to the target (1 output token or a one-word embedding), recorded like traffic.

        An open circuit is probed only once its cool-down is over, as its half-open trial; probes are
        not usage-recorded (they cost a few tokens, billed to no app).
        """
        if self.registry is None:
            return None
        capability = target.model.capability
        if capability not in (Capability.CHAT, Capability.EMBEDDINGS):
            return None
        try:
            provider = self.registry.get(target.provider)
            provider.check_configured()
        except ConfigurationError:
            return None  # no credential: the executor skips it anyway, so it is not a health signal
        if not self.is_available(target) or not self.allow(target):
            return None
        from ai_workers.providers.base import CallOptions  # the providers package owns the call options

        options = CallOptions(
            timeout_s=self.config.probe_timeout_s, connect_timeout_s=self.config.probe_timeout_s
        )
        started = time.perf_counter()
        status: int | None = 200
        kind: str | None = None
        try:
            if capability is Capability.CHAT:
                request = ChatRequest(
                    model=target.provider_model, messages=[Message(role="user", content="ping")], max_tokens=1
                )
                await provider.chat(target.provider_model, request, options)
            else:
                ping = EmbeddingRequest(model=target.provider_model, input="ping")
                await provider.embed(target.provider_model, ping, options)
        except ProviderError as exc:
            status, kind = exc.upstream_status, exc.kind
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.debug("probe of %s failed: %r", target.key, exc)
            status, kind = None, "probe_error"
        attempt = Attempt(
            provider=target.provider,
            model=target.provider_model,
            status=status,
            latency_ms=(time.perf_counter() - started) * 1000,
            ok=kind is None,
            error_kind=kind,
        )
        self.record(target, attempt)
        self.settle(target, attempt.ok, attempt.error_kind)
        return attempt

    async def probe_all(self) -> list[Attempt]:
        results = await asyncio.gather(*(self.probe(t) for t in self.probe_targets()))
        return [r for r in results if r is not None]

    async def _probe_loop(self) -> None:
        while True:
            interval = self.config.probe_interval_s
            if interval <= 0:
                await asyncio.sleep(1.0)  # probes off; re-check config (hot reload) each second
                continue
            try:
                await self.probe_all()
            except Exception:
                log.exception("health probes failed")
            await asyncio.sleep(interval)


_DEFAULT_HEALTH = HealthConfig()


def _percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return round(sorted_values[index], 2)
