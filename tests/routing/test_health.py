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
    defaults = {"min_requests": 4, "cooldown_s": 30, "half_open_trials": 1, "last_resort_share": 0.0}
    s = settings(routing={"health": {**defaults, **health}})
    return HealthMonitor(ConfigStore(s), clock=clock), clock


def fail(hm: HealthMonitor, t: Target, n: int, kind: str = "server") -> None:
    """``n`` requests that each failed on ``t`` after their retries."""
    for _ in range(n):
        hm.record(t, attempt(t, False, kind))
        hm.settle(t, False, kind)


def test_errors_that_retries_absorbed_never_open_a_circuit() -> None:
    hm, _ = monitor()
    t = target()
    for _ in range(50):  # every request failed twice, then its retry succeeded
        hm.record(t, attempt(t, False))
        hm.record(t, attempt(t, False))
        hm.record(t, attempt(t, True))
        hm.settle(t, True)
    assert hm.state(t) is CircuitState.CLOSED and hm.allow(t)


def test_opens_on_the_failure_rate_of_requests_once_enough_were_seen() -> None:
    hm, _ = monitor()
    t = target()
    fail(hm, t, 3)
    assert hm.allow(t) and hm.state(t) is CircuitState.CLOSED  # 3 < min_requests
    fail(hm, t, 1)
    assert hm.state(t) is CircuitState.OPEN
    assert not hm.allow(t)


def test_a_low_failure_rate_keeps_the_circuit_closed() -> None:
    hm, clock = monitor(error_rate_threshold=0.5, window_s=60)
    t = target()
    for i in range(40):
        hm.settle(t, i % 3 != 0, None if i % 3 != 0 else "server")  # a third of requests fail
        clock.now += 1
    assert hm.state(t) is CircuitState.CLOSED


def test_half_open_lets_a_few_trials_through_and_their_successes_close() -> None:
    hm, clock = monitor(half_open_trials=2)
    t = target()
    fail(hm, t, 4)
    clock.now += 29.9
    assert not hm.allow(t)
    assert hm.retry_in(t) == pytest.approx(0.1)
    clock.now += 0.2
    assert hm.allow(t) and hm.state(t) is CircuitState.HALF_OPEN
    assert hm.allow(t)
    assert not hm.allow(t)  # two trials at a time
    assert hm.retry_in(t) is not None  # until a trial reports back (or times out)
    hm.settle(t, True)
    assert hm.state(t) is CircuitState.HALF_OPEN
    hm.settle(t, True)
    assert hm.state(t) is CircuitState.CLOSED and hm.allow(t) and hm.retry_in(t) is None


def test_failed_trial_reopens_with_a_longer_cool_down() -> None:
    hm, clock = monitor()
    t = target()
    fail(hm, t, 4)
    clock.now += 31
    assert hm.allow(t)
    fail(hm, t, 1, "timeout")
    assert hm.state(t) is CircuitState.OPEN
    clock.now += 31
    assert not hm.allow(t)  # cool-down doubled to 60 s
    clock.now += 30
    assert hm.allow(t)


def test_an_open_circuit_still_serves_a_share_of_requests_that_have_no_fallback() -> None:
    hm, _ = monitor(last_resort_share=0.25, half_open_trials=2)
    t = target()
    fail(hm, t, 4)
    assert not any(hm.allow(t) for _ in range(8))  # a fallback exists: skip at once
    passed = [hm.allow(t, last_resort=True) for _ in range(8)]
    assert passed.count(True) == 2  # a quarter of the requests with nowhere else to go
    hm.settle(t, True)
    hm.settle(t, True)  # their successes count as trials
    assert hm.state(t) is CircuitState.CLOSED


def test_old_failures_leave_the_window() -> None:
    hm, clock = monitor(min_requests=4, window_s=10)
    t = target()
    fail(hm, t, 3)
    clock.now += 11
    for _ in range(3):
        hm.record(t, attempt(t, True))
        hm.settle(t, True)
    fail(hm, t, 1)  # 1 of 4 in the window
    assert hm.state(t) is CircuitState.CLOSED
    snap = hm.snapshot()[0]
    assert snap["window_requests"] == 4 and snap["window_error_rate"] == 0.25


def test_callers_own_errors_do_not_count() -> None:
    hm, _ = monitor()
    t = target()
    fail(hm, t, 10, "client")
    assert hm.state(t) is CircuitState.CLOSED


def test_a_transition_from_another_process_is_applied_and_not_echoed() -> None:
    hm, _ = monitor()
    t = target()
    heard: list[str] = []
    hm.listeners.append(lambda entry, event: heard.append(event) if not hm.applying_remote else None)
    hm.apply_remote(t.key, "open", 20)
    assert hm.state(t) is CircuitState.OPEN and hm.retry_in(t) == 20
    hm.apply_remote(t.key, "close", 0)
    assert hm.state(t) is CircuitState.CLOSED
    assert heard == []
    hm.apply_remote("cloudflare:no-such-model", "open", 20)  # unknown targets are ignored


def test_snapshot_reports_state_latency_and_errors(caplog: pytest.LogCaptureFixture) -> None:
    hm, _ = monitor()
    t = target()
    hm.record(t, attempt(t, True, ms=100))
    hm.record(t, attempt(t, True, ms=300))
    hm.settle(t, True)
    with caplog.at_level(logging.WARNING, logger="ai_workers.routing.health"):
        for _ in range(3):
            hm.record(t, attempt(t, False, ms=50))
            hm.settle(t, False, "server")
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
    fail(hm, t, 4)
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
        routing={"health": {"min_requests": 1, "cooldown_s": 30, "half_open_trials": 1}},
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
                "min_requests": 2,
                "cooldown_s": 30,
                "half_open_trials": 1,
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
