"""The fault matrix: every upstream fault x (retry succeeds / fallback succeeds / all fail).

Drives the executor directly with targets resolved like the routing stage does (Workers AI first, then
the OpenAI fallback from the catalog), so the assertions are about resilience alone. Backoff sleeps are
recorded by an injected ``sleep``, never slept; "timeout" uses a short real read timeout (0.3 s) against a
fake that answers after 2 s.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import ConfigurationError, UpstreamFailedError
from ai_workers.core.pipeline import ChunkStream
from ai_workers.core.types import Capability, ChatChunk, ChatRequest, ChatResponse, Message
from ai_workers.providers.executor import Executor
from ai_workers.providers.registry import ProviderRegistry
from ai_workers.routing.targets import resolve_targets
from tests.fakes import FakeOpenAI, FakeWorkersAI, fake_settings
from tests.providers.conftest import SleepRecorder

CF = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
FAULT_KIND = {
    "429": "rate_limit",
    "500": "server",
    "502": "server",
    "503": "server",
    "timeout": "timeout",
    "reset": "connection",
    "malformed": "bad_response",
    "cut_stream": "stream_cut",
}
ALL_FAIL_STATUS = {"429": 429, "timeout": 504}


class Harness:
    def __init__(self, settings: Settings, sleeper: SleepRecorder) -> None:
        self.settings = settings
        self.store = ConfigStore(settings)
        self.registry = ProviderRegistry(self.store)
        self.executor = Executor(self.store, self.registry, sleep=sleeper, rand=lambda: 0.5)

    def context(
        self, model: str = "llama-3.3-70b-instruct-fp8-fast", *, stream: bool = False
    ) -> RequestContext:
        ctx = RequestContext(self.settings, AppIdentity("tests"), Capability.CHAT, model, stream=stream)
        spec, ctx.targets = resolve_targets(self.settings, ctx.app, ctx.capability, model)
        ctx.logical_model = spec.name
        return ctx

    async def chat(self, ctx: RequestContext, text: str = "hello there") -> ChatResponse | list[ChatChunk]:
        request = ChatRequest(model=ctx.requested_model, messages=[Message(role="user", content=text)])
        if ctx.stream:
            request.stream = True
        result = await self.executor(ctx, request)
        if isinstance(result, ChunkStream):
            return [chunk async for chunk in result]
        assert isinstance(result, ChatResponse)
        return result


@pytest.fixture
async def harness(
    workers: FakeWorkersAI, openai_fake: FakeOpenAI, sleeper: SleepRecorder
) -> AsyncIterator[Harness]:
    settings = fake_settings(
        workers, openai_fake, retry={"timeout_s": 0.3, "base_delay_s": 0.25, "max_delay_s": 8.0}
    )
    h = Harness(settings, sleeper)
    yield h
    await h.registry.aclose()


def inject(fake: FakeWorkersAI | FakeOpenAI, fault: str, times: int) -> None:
    if fault == "timeout":
        fake.inject("slow", times=times, delay=2.0)
    elif fault == "cut_stream":
        fake.inject("cut_stream", times=times, after=0)  # cut before the first token: may retry
    else:
        fake.inject(fault, times=times, retry_after="2")


def kinds(ctx: RequestContext) -> list[tuple[str, str | None]]:
    return [(a.provider, a.error_kind) for a in ctx.attempts]


def answer_text(result: ChatResponse | list[ChatChunk]) -> str:
    return result.text if isinstance(result, ChatResponse) else "".join(c.text for c in result)


@pytest.mark.parametrize("fault", list(FAULT_KIND))
async def test_retry_succeeds(
    harness: Harness, workers: FakeWorkersAI, sleeper: SleepRecorder, fault: str
) -> None:
    inject(workers, fault, times=1)
    ctx = harness.context(stream=fault == "cut_stream")
    result = await harness.chat(ctx)
    assert answer_text(result) == "Echo: hello there"
    assert kinds(ctx) == [("cloudflare", FAULT_KIND[fault]), ("cloudflare", None)]
    assert [a.ok for a in ctx.attempts] == [False, True]
    assert ctx.provider == "cloudflare" and ctx.provider_model == CF
    # 429 waits exactly its Retry-After; others wait rand() * base = 0.5 * 0.25 (full jitter).
    assert sleeper.delays == ([2.0] if fault == "429" else [0.125])
    assert ctx.usage.total_tokens > 0


@pytest.mark.parametrize("fault", list(FAULT_KIND))
async def test_fallback_succeeds(
    harness: Harness, workers: FakeWorkersAI, openai_fake: FakeOpenAI, sleeper: SleepRecorder, fault: str
) -> None:
    inject(workers, fault, times=3)
    ctx = harness.context(stream=fault == "cut_stream")
    result = await harness.chat(ctx)
    assert answer_text(result) == "Echo: hello there"
    assert kinds(ctx) == [("cloudflare", FAULT_KIND[fault])] * 3 + [("openai", None)]
    assert ctx.provider == "openai" and ctx.provider_model == "gpt-4o-mini"
    expected = [2.0, 2.0] if fault == "429" else [0.125, 0.25]  # exponential: base * 2**n, jittered
    assert sleeper.delays == expected


@pytest.mark.parametrize("fault", list(FAULT_KIND))
async def test_all_fail(
    harness: Harness, workers: FakeWorkersAI, openai_fake: FakeOpenAI, sleeper: SleepRecorder, fault: str
) -> None:
    inject(workers, fault, times=3)
    inject(openai_fake, fault, times=3)
    ctx = harness.context(stream=fault == "cut_stream")
    with pytest.raises(UpstreamFailedError) as info:
        await harness.chat(ctx)
    error = info.value
    assert [(a.provider, a.error_kind) for a in error.attempts] == (
        [("cloudflare", FAULT_KIND[fault])] * 3 + [("openai", FAULT_KIND[fault])] * 3
    )
    assert all(a.latency_ms >= 0 and not a.ok for a in error.attempts)
    assert error.status == ALL_FAIL_STATUS.get(fault, 502)
    body = error.to_openai()["error"]
    assert len(body["attempts"]) == 6
    kind = FAULT_KIND[fault]
    assert f"cloudflare:{error.attempts[0].model} ({kind}), openai:{error.attempts[-1].model} ({kind})" in (
        error.message
    )
    if fault == "429":
        assert error.headers() == {"Retry-After": "2"}
        assert [a.status for a in error.attempts] == [429] * 6
    assert len(sleeper.delays) == 4  # two waits per target, none after the last try of a target


async def test_retry_after_longer_than_max_moves_to_next_target(
    harness: Harness, workers: FakeWorkersAI, sleeper: SleepRecorder
) -> None:
    workers.inject("429", times=1, retry_after="120")  # max_retry_after_s is 30
    ctx = harness.context()
    await harness.chat(ctx)
    assert kinds(ctx) == [("cloudflare", "rate_limit"), ("openai", None)]
    assert ctx.attempts[0].retry_after == 120.0
    assert sleeper.delays == []


async def test_retry_after_as_http_date(
    harness: Harness, workers: FakeWorkersAI, sleeper: SleepRecorder
) -> None:
    when = datetime.now(UTC) + timedelta(seconds=10)
    workers.inject("429", times=1, retry_after=format_datetime(when, usegmt=True))
    ctx = harness.context()
    await harness.chat(ctx)
    assert kinds(ctx) == [("cloudflare", "rate_limit"), ("cloudflare", None)]
    assert len(sleeper.delays) == 1 and 8.0 <= sleeper.delays[0] <= 10.0


async def test_auth_failure_falls_back_without_retry(
    harness: Harness, workers: FakeWorkersAI, sleeper: SleepRecorder
) -> None:
    workers.inject("401", times=1)
    ctx = harness.context()
    await harness.chat(ctx)
    assert kinds(ctx) == [("cloudflare", "auth"), ("openai", None)]
    assert sleeper.delays == []


async def test_client_error_stops_the_chain(
    harness: Harness, workers: FakeWorkersAI, sleeper: SleepRecorder
) -> None:
    workers.inject("400", times=1)
    ctx = harness.context()
    with pytest.raises(UpstreamFailedError) as info:
        await harness.chat(ctx)
    assert info.value.status == 400 and kinds(ctx) == [("cloudflare", "client")]
    assert sleeper.delays == []


async def test_stream_cut_after_first_token_ends_with_error_not_fallback(
    harness: Harness, workers: FakeWorkersAI, openai_fake: FakeOpenAI
) -> None:
    workers.inject("cut_stream", times=1, after=3)
    ctx = harness.context(stream=True)
    request = ChatRequest(
        model=ctx.requested_model, messages=[Message(role="user", content="a b c d e f")], stream=True
    )
    stream = await harness.executor(ctx, request)
    assert isinstance(stream, ChunkStream)
    received: list[str] = []
    with pytest.raises(UpstreamFailedError) as info:
        async for chunk in stream:
            received.append(chunk.text)
    assert "".join(received) == "Echo: a b"  # what arrived before the cut reached the caller
    assert info.value.last is not None and info.value.last.kind == "stream_cut"
    assert kinds(ctx) == [("cloudflare", "stream_cut")]
    assert model_count(openai_fake) == 0  # no fallback after the first token
    assert stream.error is info.value


def model_count(fake: FakeOpenAI) -> int:
    return len(fake.requests)


async def test_missing_credentials_are_skipped_and_named(
    workers: FakeWorkersAI, openai_fake: FakeOpenAI, sleeper: SleepRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = fake_settings(workers, openai_fake)
    monkeypatch.delenv("AIW_FAKE_CLOUDFLARE_API_TOKEN")
    h = Harness(settings, sleeper)
    ctx = h.context()
    result = await h.chat(ctx)  # Workers AI is unconfigured: skipped like a failure, OpenAI answers
    assert answer_text(result) == "Echo: hello there"
    assert kinds(ctx) == [("cloudflare", "not_configured"), ("openai", None)]
    monkeypatch.delenv("AIW_FAKE_OPENAI_API_KEY")
    with pytest.raises(ConfigurationError) as info:
        await h.chat(h.context())
    assert "set AIW_FAKE_CLOUDFLARE_API_TOKEN" in info.value.message
    assert "set AIW_FAKE_OPENAI_API_KEY" in info.value.message
    assert workers.requests == []
    await h.registry.aclose()


async def test_observer_skips_open_circuits_and_sees_every_attempt(
    harness: Harness, workers: FakeWorkersAI, sleeper: SleepRecorder
) -> None:
    seen: list[tuple[str, bool]] = []

    class Breaker:
        def allow(self, target, *, last_resort: bool = False) -> bool:
            return target.provider != "cloudflare"

        def record(self, target, attempt) -> None:
            seen.append((target.provider, attempt.ok))

        def settle(self, target, ok, error_kind=None) -> None:
            pass

        def retry_in(self, target) -> float | None:
            return None if self.allow(target) else 6.2

    harness.executor.observer = Breaker()
    ctx = harness.context()
    await harness.chat(ctx)
    assert kinds(ctx) == [("cloudflare", "circuit_open"), ("openai", None)]
    assert seen == [("openai", True)]
    assert workers.requests == []
    # With every circuit open, the error says so instead of naming the targets without a reason.
    Breaker.allow = lambda self, target, last_resort=False: False  # type: ignore[method-assign]
    with pytest.raises(UpstreamFailedError) as info:
        await harness.chat(harness.context())
    skipped = "(skipped: circuit open after repeated failures, see /health/providers)"
    assert info.value.message.count(skipped) == 2
    # Nothing was called: 503 with the time until a circuit lets a trial through, not a 502.
    assert info.value.status == 503 and info.value.headers() == {"Retry-After": "7"}


async def test_consumer_closing_a_stream_early_is_a_successful_attempt(harness: Harness) -> None:
    ctx = harness.context(stream=True)
    request = ChatRequest(
        model=ctx.requested_model, messages=[Message(role="user", content="a b c d")], stream=True
    )
    stream = await harness.executor(ctx, request)
    assert isinstance(stream, ChunkStream)
    await stream.__anext__()
    await stream.aclose()
    assert [(a.provider, a.ok) for a in ctx.attempts] == [("cloudflare", True)]


async def test_adapter_bug_is_a_retryable_bad_response_not_a_crash(
    workers: FakeWorkersAI, openai_fake: FakeOpenAI, sleeper: SleepRecorder
) -> None:
    from ai_workers.providers.base import Provider

    class Broken(Provider):
        kind = "broken"

        async def chat(self, model_id, request, options):
            raise KeyError("response")

        def stream_chat(self, model_id, request, options):
            async def gen():
                yield ChatChunk(id="x", model=model_id, choices=[])  # no token yet
                raise KeyError("delta")

            return gen()

    settings = fake_settings(
        workers,
        openai_fake,
        providers={"broken": {"type": "broken"}},
        models=[
            {
                "name": "buggy",
                "capability": "chat",
                "deployments": [{"provider": "broken", "id": "b-1"}],
                "fallbacks": ["gpt-4o-mini"],
            }
        ],
    )
    store = ConfigStore(settings)
    registry = ProviderRegistry(store, factories={"broken": Broken})
    executor = Executor(store, registry, sleep=sleeper, rand=lambda: 0.5)
    for stream in (False, True):
        ctx = RequestContext(settings, AppIdentity("tests"), Capability.CHAT, "buggy", stream=stream)
        _, ctx.targets = resolve_targets(settings, ctx.app, ctx.capability, "buggy")
        request = ChatRequest(
            model="buggy", messages=[Message(role="user", content="hi")], stream=stream or None
        )
        result = await executor(ctx, request)
        if isinstance(result, ChunkStream):
            assert "".join([c.text async for c in result]) == "Echo: hi"
        else:
            assert result.text == "Echo: hi"
        assert kinds(ctx) == [("broken", "bad_response")] * 3 + [("openai", None)]
    await registry.aclose()
