"""Circuit breakers and passive health: unit behaviour with a fake clock, then through the real
executor and gateway against the fake upstreams (failover without waiting, recovery)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from ai_workers.core.config import ConfigStore
from ai_workers.core.context import AppIdentity, Target
from ai_workers.core.types import Attempt, Capability, ChatRequest, Message
from ai_workers.gateway import Gateway
from ai_workers.routing.health import CircuitState, HealthMonitor
from tests.fakes.settings import fake_settings, start_fakes
from tests.routing.helpers import settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def target(name: str = "llama-3.1-8b-instruct-fp8-fast") -> Target:
    spec = settings().catalog.get(name)
    return Target(spec, spec.deployments[0])


def attempt(t: Target, ok: bool, kind: str | None = None, ms: float = 100.0) -> Attempt:
    return Attempt(
        provider=t.provider,
        model=t.provider_model,
        status=200 if ok else 500,
        latency_ms=ms,
        ok=ok,
        error_kind=None if ok else (kind or "server"),
    )


def monitor(**health: Any) -> tuple[HealthMonitor, Clock]:
    clock = Clock()
    s = settings(routing={"health": {"failure_threshold": 3, "cooldown_s": 30, **health}})
    return HealthMonitor(ConfigStore(s), clock=clock), clock


def test_opens_after_consecutive_failures_and_skips_without_waiting() -> None:
    hm, _ = monitor()
    t = target()
    for _ in range(2):
        hm.record(t, attempt(t, False))
    assert hm.allow(t) and hm.state(t) is CircuitState.CLOSED
    hm.record(t, attempt(t, False))
    assert hm.state(t) is CircuitState.OPEN
    assert not hm.allow(t)


def test_half_open_lets_one_trial_through_and_success_closes() -> None:
    hm, clock = monitor()
    t = target()
    for _ in range(3):
        hm.record(t, attempt(t, False))
    clock.now += 29.9
    assert not hm.allow(t)
    assert hm.retry_in(t) == pytest.approx(0.1)
    clock.now += 0.2
    assert hm.allow(t) and hm.state(t) is CircuitState.HALF_OPEN
    assert not hm.allow(t)  # only one trial at a time
    assert hm.retry_in(t) is not None  # until the trial reports back (or times out)
    hm.record(t, attempt(t, True))
    assert hm.state(t) is CircuitState.CLOSED and hm.allow(t) and hm.retry_in(t) is None


def test_failed_trial_reopens_with_a_longer_cool_down() -> None:
    hm, clock = monitor()
    t = target()
    for _ in range(3):
        hm.record(t, attempt(t, False))
    clock.now += 31
    assert hm.allow(t)
    hm.record(t, attempt(t, False, "timeout"))
    assert hm.state(t) is CircuitState.OPEN
    clock.now += 31
    assert not hm.allow(t)  # cool-down doubled to 60 s
    clock.now += 30
    assert hm.allow(t)


def test_error_rate_over_the_window_opens_too() -> None:
    hm, clock = monitor(failure_threshold=100, min_requests=10, error_rate_threshold=0.5, window_s=60)
    t = target()
    for i in range(10):
        hm.record(t, attempt(t, i % 2 == 0))  # alternating: never 2 failures in a row
        clock.now += 1
    assert hm.state(t) is CircuitState.OPEN


def test_old_failures_leave_the_window() -> None:
    hm, clock = monitor(failure_threshold=100, min_requests=4, window_s=10)
    t = target()
    for _ in range(3):
        hm.record(t, attempt(t, False))
    clock.now += 11
    for _ in range(3):
        hm.record(t, attempt(t, True))
    assert hm.state(t) is CircuitState.CLOSED
    snap = hm.snapshot()[0]
    assert snap["window_requests"] == 3 and snap["window_error_rate"] == 0.0


def test_callers_own_errors_do_not_count() -> None:
    hm, _ = monitor()
    t = target()
    for _ in range(10):
        hm.record(t, attempt(t, False, "client"))
    assert hm.state(t) is CircuitState.CLOSED


def test_snapshot_reports_state_latency_and_errors(caplog: pytest.LogCaptureFixture) -> None:
    hm, _ = monitor()
    t = target()
    hm.record(t, attempt(t, True, ms=100))
    hm.record(t, attempt(t, True, ms=300))
    with caplog.at_level(logging.WARNING, logger="ai_workers.routing.health"):
        for _ in range(3):
            hm.record(t, attempt(t, False, ms=50))
    assert any("circuit open" in r.message for r in caplog.records)
    (snap,) = hm.snapshot()
    assert snap["provider"] == "cloudflare" and snap["model"] == t.provider_model
    assert snap["state"] == "open" and not snap["healthy"]
    assert snap["window_requests"] == 5 and snap["window_error_rate"] == 0.6
    assert snap["latency_ewma_ms"] is not None and snap["latency_p95_ms"] == 300
    assert snap["last_error_kind"] == "server" and snap["retry_in_s"] == 30


def test_metrics_are_exported() -> None:
    from prometheus_client import REGISTRY

    hm, _ = monitor()
    t = target("qwq-32b")
    for _ in range(3):
        hm.record(t, attempt(t, False))
    labels = {"provider": "cloudflare", "model": t.provider_model}
    assert REGISTRY.get_sample_value("aiw_circuit_state", labels) == 2
    assert REGISTRY.get_sample_value("aiw_circuit_events_total", {**labels, "event": "open"}) >= 1


# -- through the real executor and gateway --------------------------------------------------------


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[Any, Any]]:
    with start_fakes() as pair:
        yield pair


async def no_sleep(_: float) -> None:
    return None


def gateway(workers: Any, openai: Any, tmp_path: Any) -> tuple[Gateway, Clock]:
    s = fake_settings(
        workers,
        openai,
        data_dir=str(tmp_path),
        routing={"health": {"failure_threshold": 3, "cooldown_s": 30}},
    )
    gw = Gateway(s, executor_options={"sleep": no_sleep})
    clock = Clock()
    gw.health.clock = clock
    return gw, clock


def ask() -> ChatRequest:
    return ChatRequest(model="llama-3.1-8b", messages=[Message(role="user", content="hello")])


async def run(gw: Gateway) -> Any:
    ctx = gw.context(AppIdentity("default"), Capability.CHAT, "llama-3.1-8b")
    response = await gw.run(ctx, ask())
    return ctx, response


async def test_failing_provider_opens_and_requests_fail_over_without_calling_it(
    fakes: tuple[Any, Any], tmp_path: Any
) -> None:
    workers, openai = fakes
    gw, clock = gateway(workers, openai, tmp_path)
    async with gw:
        workers.inject("500", times=3, match="llama-3.1-8b")
        try:
            ctx, response = await run(gw)  # 3 failed tries on Workers AI, then gpt-4o-mini
            assert ctx.provider == "openai" and response.text
            key = ctx.targets[0].key
            assert gw.health.state(key) is CircuitState.OPEN

            before = len(workers.requests)
            ctx, _ = await run(gw)
            assert ctx.provider == "openai"
            assert len(workers.requests) == before  # the open circuit was not called at all
            assert ctx.attempts[0].error_kind == "circuit_open" and ctx.attempts[0].latency_ms == 0
        finally:
            workers.clear()

        # Recovery: after the cool-down one trial reaches Workers AI; its success closes the circuit.
        clock.now += 31
        ctx, _ = await run(gw)
        assert ctx.provider == "cloudflare"
        assert gw.health.state(key) is CircuitState.CLOSED
        snap = {(s["provider"], s["model"]): s for s in gw.health.snapshot()}
        assert snap[("cloudflare", "@cf/meta/llama-3.1-8b-instruct-fp8-fast")]["last_event"] == "close"


async def test_active_probe_detects_an_outage_and_a_recovery(fakes: tuple[Any, Any], tmp_path: Any) -> None:
    workers, openai = fakes
    s = fake_settings(
        workers,
        openai,
        data_dir=str(tmp_path),
        routing={
            "health": {
                "failure_threshold": 2,
                "cooldown_s": 30,
                "probe_interval_s": 60,
                "probe_models": ["llama-3.1-8b"],
            }
        },
    )
    gw = Gateway(s, executor_options={"sleep": no_sleep})
    clock = Clock()
    gw.health.clock = clock
    key = "cloudflare:@cf/meta/llama-3.1-8b-instruct-fp8-fast"
    workers.inject("503", times=2, match="llama-3.1-8b")
    try:
        await gw.health.probe_all()
        await gw.health.probe_all()
    finally:
        workers.clear()
    assert gw.health.state(key) is CircuitState.OPEN
    assert await gw.health.probe_all() == []  # not probed during the cool-down
    clock.now += 31
    (result,) = await gw.health.probe_all()
    assert result.ok and gw.health.state(key) is CircuitState.CLOSED
    probe_body = workers.requests[-1].json()
    assert probe_body.get("max_tokens") == 1
    await gw.aclose()
