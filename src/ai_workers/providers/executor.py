"""The pipeline's terminal handler: call the targets in order with retries, fall back, report attempts.

Resilience rules:
- Each call gets the retry config's timeouts (a provider's own ``timeout_s`` wins, see providers.http).
- Only transient failures are retried (``ProviderError.retryable``: 429, 5xx, connection errors,
  timeouts, malformed bodies), with exponential backoff and FULL jitter (``rand() * min(cap, base *
  2**n)``, AWS architecture blog "Exponential Backoff and Jitter"), so a crowd of clients does not retry
  in lock-step. A ``Retry-After`` is honoured exactly; one longer than ``max_retry_after_s`` moves on to
  the next target instead of waiting.
- Upstream 401/403 (our credential is wrong) moves on to the next target without retrying; any other
  4xx is the caller's request and stops the chain (retrying or falling back would fail the same way).
- A target whose provider has no credential is skipped like a failure; if no target was configured the
  error names the environment variables to set.
- A stream falls back only before its first token: after that the caller has seen text, so a failure
  ends the stream with an error (the server turns it into an SSE error event).

``sleep`` and ``rand`` are injected so tests check backoff without sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ai_workers.core.config import ConfigStore, RetryConfig
from ai_workers.core.context import RequestContext, Target
from ai_workers.core.errors import (
    AIWorkersError,
    ConfigurationError,
    ProviderError,
    UnsupportedCapabilityError,
    UpstreamFailedError,
)
from ai_workers.core.pipeline import ChunkStream, Result
from ai_workers.core.types import (
    AnyRequest,
    AnyResponse,
    Attempt,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    EmbeddingResponse,
    ModerationRequest,
    RerankRequest,
    RerankResponse,
    SafetyRequest,
    SafetyVerdict,
    SpeechRequest,
    SpeechResponse,
    TranscriptionRequest,
    TranscriptionResponse,
    Usage,
)
from ai_workers.providers.base import CallOptions, Provider
from ai_workers.providers.http import estimate_tokens
from ai_workers.providers.registry import ProviderRegistry

log = logging.getLogger("ai_workers.executor")

T = TypeVar("T")

# A stream cut before its first token is as transient as a dropped connection: retry it too.
RETRYABLE = ProviderError.RETRYABLE | {"stream_cut"}


class AttemptObserver(Protocol):
    """Provider health (circuit breakers) plugs in here; every call must be cheap and synchronous."""

    def allow(self, target: Target, *, last_resort: bool = False) -> bool:
        """May this target be tried now? ``last_resort``: the request has no other target left."""
        ...

    def record(self, target: Target, attempt: Attempt) -> None:
        """Every try, as it finishes."""
        ...

    def settle(self, target: Target, ok: bool, error_kind: str | None = None) -> None:
        """The request's verdict on the target after its retries (what a circuit breaker counts)."""
        ...

    def retry_in(self, target: Target) -> float | None:
        """Seconds until a skipped target may be tried again (None: it may be tried now)."""
        ...


@dataclass(slots=True)
class _Opened:
    """A stream whose first token has arrived: the source and the chunks read so far."""

    source: AsyncIterator[ChatChunk]
    head: list[ChatChunk]
    ended: bool


class _Chain:
    """What went wrong so far across the fallback chain."""

    __slots__ = ("called", "last", "unconfigured")

    def __init__(self) -> None:
        self.called = False
        self.last: ProviderError | None = None
        self.unconfigured: list[str] = []


class Executor:
    def __init__(
        self,
        config: ConfigStore,
        registry: ProviderRegistry,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        observer: AttemptObserver | None = None,
    ) -> None:
        self.config = config
        self.registry = registry
        self.sleep = sleep
        self.rand = rand
        self.observer = observer

    # -- entry ----------------------------------------------------------------------------------------

    async def __call__(self, ctx: RequestContext, request: AnyRequest) -> Result:
        if not ctx.targets:
            raise ConfigurationError(
                f"no enabled provider serves the model '{ctx.logical_model or ctx.requested_model}'"
            )
        if isinstance(request, ChatRequest) and (ctx.stream or request.stream):
            return await self._stream(ctx, request)
        return await self._call(ctx, request)

    # -- shared steps ---------------------------------------------------------------------------------

    def _options(self, ctx: RequestContext, retry: RetryConfig) -> CallOptions:
        return CallOptions(
            timeout_s=retry.timeout_s, connect_timeout_s=retry.connect_timeout_s, request_id=ctx.request_id
        )

    def _provider(
        self, ctx: RequestContext, target: Target, chain: _Chain, *, last_resort: bool
    ) -> Provider | None:
        """The target's provider, or None (recorded as a skipped attempt) if it cannot be called now."""
        try:
            provider = self.registry.get(target.provider)
            provider.check_configured()
        except ConfigurationError as exc:
            chain.unconfigured.append(exc.message)
            ctx.attempts.append(_skipped(target, "not_configured"))
            return None
        if self.observer is not None and not self.observer.allow(target, last_resort=last_resort):
            ctx.attempts.append(_skipped(target, "circuit_open"))
            return None
        return provider

    def _failed(self, ctx: RequestContext, target: Target, started: float, exc: ProviderError) -> None:
        attempt = Attempt(
            provider=target.provider,
            model=target.provider_model,
            status=exc.upstream_status,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            ok=False,
            error_kind=exc.kind,
            retry_after=exc.retry_after,
            # Only our own summary: an upstream message could echo the prompt (PHI).
            message=_summary(exc),
        )
        ctx.attempts.append(attempt)
        if self.observer is not None:
            self.observer.record(target, attempt)

    def _succeeded(self, ctx: RequestContext, target: Target, started: float) -> None:
        attempt = Attempt(
            provider=target.provider,
            model=target.provider_model,
            status=200,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            ok=True,
        )
        ctx.attempts.append(attempt)
        if self.observer is not None:
            self.observer.record(target, attempt)

    def _settle(self, target: Target, ok: bool, error_kind: str | None = None) -> None:
        if self.observer is not None:
            self.observer.settle(target, ok, error_kind)

    def _chose(self, ctx: RequestContext, target: Target) -> None:
        ctx.provider = target.provider
        ctx.provider_model = target.provider_model

    def _backoff(self, retry: RetryConfig, attempt_no: int, exc: ProviderError) -> float | None:
        """Seconds to wait before retrying the same target, or None to move on to the next one."""
        if exc.kind not in RETRYABLE or attempt_no >= retry.max_attempts:
            return None
        if exc.retry_after is not None:
            return exc.retry_after if exc.retry_after <= retry.max_retry_after_s else None
        cap: float = min(retry.max_delay_s, retry.base_delay_s * 2.0 ** (attempt_no - 1))
        return self.rand() * cap

    def _give_up(self, ctx: RequestContext, chain: _Chain) -> AIWorkersError:
        if not chain.called and chain.unconfigured:
            return ConfigurationError(
                f"cannot serve '{ctx.logical_model or ctx.requested_model}': "
                + "; ".join(dict.fromkeys(chain.unconfigured))
            )
        # Each target with how its last try ended, so the caller can tell a timeout from a target
        # skipped by its open circuit (error kinds are our own words: no upstream text, no PHI).
        outcomes: dict[str, str] = {}
        for a in ctx.attempts:
            kind = a.error_kind or "failed"
            outcomes[f"{a.provider}:{a.model}"] = _OUTCOMES.get(kind, kind)
        tried = ", ".join(f"{target} ({outcome})" for target, outcome in outcomes.items())
        model = ctx.logical_model or ctx.requested_model
        unavailable_for: float | None = None
        if not chain.called and self.observer is not None:
            # No upstream was called: every target sat behind an open circuit. That is a 503 with the
            # time until the first one lets a trial through, so clients back off instead of hammering.
            waits = [self.observer.retry_in(t) for t in ctx.targets]
            if waits and all(w is not None for w in waits):
                unavailable_for = min(w for w in waits if w is not None)
        if unavailable_for is not None:
            summary = f"no provider can be tried for '{model}' right now: {tried}"
        elif chain.last is not None and chain.last.kind == "client":
            # The upstream refused the request itself (context too long, a bad parameter): its own
            # words tell the caller what to fix. They go back to the caller who sent the request, never
            # to logs or records (those keep the error kind only); the upstream saw redacted text.
            summary = f"the provider rejected the request for '{model}' ({tried}): {chain.last}"
        else:
            summary = f"every provider failed for '{model}' after retries: {tried}"
        return UpstreamFailedError(
            summary,
            attempts=list(ctx.attempts),
            last=chain.last,
            unavailable_for=unavailable_for,
        )

    # -- the chain: targets in order, retries per target ----------------------------------------------

    async def _run_chain(
        self, ctx: RequestContext, once: Callable[[Provider, Target, CallOptions], Awaitable[T]]
    ) -> tuple[Target, float, T]:
        """``once`` against each target with retries until one succeeds: (target, its start time, result).

        The time spent here (tries and backoff) is the request's wait on upstreams: ``ctx.overhead_ms``
        is the rest."""
        entered = time.perf_counter()
        try:
            return await self._try_targets(ctx, once)
        finally:
            ctx.upstream_wait_ms += (time.perf_counter() - entered) * 1000.0

    async def _try_targets(
        self, ctx: RequestContext, once: Callable[[Provider, Target, CallOptions], Awaitable[T]]
    ) -> tuple[Target, float, T]:
        retry = ctx.settings.retry
        options = self._options(ctx, retry)
        chain = _Chain()
        last = ctx.targets[-1]
        for target in ctx.targets:
            provider = self._provider(ctx, target, chain, last_resort=target is last)
            if provider is None:
                continue
            # The target's verdict for the circuit breaker: given here when the target is left behind
            # (or the request stops on it); on success the caller gives it once the answer is complete.
            verdict: str | None = "cancelled"
            try:
                for attempt_no in range(1, retry.max_attempts + 1):
                    chain.called = True
                    verdict = "cancelled"  # until this try ends: an abandoned try says nothing
                    started = time.perf_counter()
                    try:
                        result = await once(provider, target, options)
                    except UnsupportedCapabilityError:
                        verdict = "unsupported"
                        if len(ctx.targets) == 1:
                            raise
                        ctx.attempts.append(_skipped(target, "unsupported"))
                        break
                    except ProviderError as exc:
                        error = exc
                    except AIWorkersError:
                        raise
                    except Exception as exc:  # an adapter bug must not crash the server: bad upstream
                        log.exception("provider %s raised unexpectedly", target.provider)
                        error = ProviderError(
                            f"{target.provider}: unexpected adapter error {type(exc).__name__}",
                            provider=target.provider,
                            model=target.provider_model,
                            kind="bad_response",
                        )
                    else:
                        verdict = None
                        self._chose(ctx, target)
                        return target, started, result
                    self._failed(ctx, target, started, error)
                    chain.last = error
                    verdict = error.kind
                    if error.kind == "client":
                        raise self._give_up(ctx, chain) from error
                    delay = self._backoff(retry, attempt_no, error)
                    if delay is None:
                        break
                    verdict = "cancelled"  # abandoned during the backoff: not a verdict on the target
                    await self.sleep(delay)
            finally:
                if verdict is not None:
                    self._settle(target, False, verdict)
        raise self._give_up(ctx, chain) from chain.last

    async def _call(self, ctx: RequestContext, request: AnyRequest) -> AnyResponse:
        # Hands back the adapter's own coroutine (no wrapper coroutine per try); ``_try_targets`` awaits it.
        def once(provider: Provider, target: Target, options: CallOptions) -> Awaitable[AnyResponse]:
            return _invoke(provider, target.provider_model, request, options)

        target, started, response = await self._run_chain(ctx, once)
        self._succeeded(ctx, target, started)
        self._settle(target, True)
        _settle(ctx, response)
        return response

    async def _stream(self, ctx: RequestContext, request: ChatRequest) -> ChunkStream:
        async def once(provider: Provider, target: Target, options: CallOptions) -> _Opened:
            source = provider.stream_chat(target.provider_model, request, options)
            head: list[ChatChunk] = []
            try:
                # Read up to the first token: until then a failure may still retry or fall back.
                while True:
                    try:
                        chunk = await source.__anext__()
                    except StopAsyncIteration:
                        return _Opened(source, head, ended=True)
                    head.append(chunk)
                    if _has_output(chunk):
                        return _Opened(source, head, ended=False)
            except BaseException:
                await _close(source)
                raise

        target, started, opened = await self._run_chain(ctx, once)
        ctx.first_token_at = time.perf_counter()
        include_usage = bool(request.stream_options and request.stream_options.include_usage)
        return ChunkStream(self._relay(ctx, target, started, request, opened, include_usage))

    async def _relay(
        self,
        ctx: RequestContext,
        target: Target,
        started: float,
        request: ChatRequest,
        opened: _Opened,
        include_usage: bool,
    ) -> AsyncIterator[ChatChunk]:
        """Yield the stream to the caller, tracking usage; a mid-stream failure ends it with an error."""
        source, ended = opened.source, opened.ended
        text: list[str] = []
        last: ChatChunk | None = None
        got_usage = False
        ok = False
        error: ProviderError | None = None
        try:
            pending: list[ChatChunk] = opened.head
            while True:
                for chunk in pending:
                    if chunk.usage is not None:
                        ctx.usage = chunk.usage
                        got_usage = True
                        if not chunk.choices and not include_usage:
                            continue
                        if not include_usage:
                            chunk.usage = None
                    text.append(chunk.text)
                    last = chunk
                    yield chunk
                if ended:
                    break
                try:
                    pending = [await source.__anext__()]
                except StopAsyncIteration:
                    ended = True
                    pending = []
            if include_usage and not got_usage and last is not None:
                # The caller asked for usage and the upstream sent none (a server that ignores
                # include_usage, a stream ended at a stop sequence): send the estimate the record keeps.
                ctx.usage = _estimated_usage(request, text)
                got_usage = True
                yield ChatChunk(id=last.id, model=last.model, choices=[], usage=ctx.usage)
            ok = True
        except GeneratorExit:
            ok = True  # the consumer closed the stream early; the upstream did nothing wrong
            raise
        except ProviderError as exc:
            error = exc
        except Exception as exc:  # an adapter bug mid-stream: end the stream with an error, not a crash
            log.exception("stream from provider %s raised unexpectedly", target.provider)
            error = ProviderError(
                f"{target.provider}: unexpected adapter error {type(exc).__name__}",
                provider=target.provider,
                model=target.provider_model,
                kind="bad_response",
            )
        finally:
            await _close(source)
            if not got_usage:
                # The server sent no usage chunk (some OpenAI-compatible servers ignore include_usage).
                ctx.usage = _estimated_usage(request, text)
            if ok:
                self._succeeded(ctx, target, started)
                self._settle(target, True)
            elif error is None:  # cancelled: not the upstream's fault, so the observer is not told
                self._settle(target, False, "cancelled")
                ctx.attempts.append(
                    Attempt(
                        provider=target.provider,
                        model=target.provider_model,
                        status=None,
                        latency_ms=(time.perf_counter() - started) * 1000.0,
                        ok=False,
                        error_kind="cancelled",
                    )
                )
        if error is not None:
            self._failed(ctx, target, started, error)
            self._settle(target, False, error.kind)
            raise UpstreamFailedError(
                f"the stream from {target.provider} broke off after the first token ({error.kind})",
                attempts=list(ctx.attempts),
                last=error,
            ) from error


# ---------------------------------------------------------------------------------------------------


def _invoke(
    provider: Provider, model_id: str, request: AnyRequest, options: CallOptions
) -> Awaitable[AnyResponse]:
    """The adapter call for this kind of request (its coroutine, for the caller to await)."""
    if isinstance(request, ChatRequest):
        return provider.chat(model_id, request, options)
    if isinstance(request, EmbeddingRequest):
        return provider.embed(model_id, request, options)
    if isinstance(request, RerankRequest):
        return provider.rerank(model_id, request, options)
    if isinstance(request, TranscriptionRequest):
        return provider.transcribe(model_id, request, options)
    if isinstance(request, SpeechRequest):
        return provider.speak(model_id, request, options)
    if isinstance(request, SafetyRequest):
        return provider.classify_safety(model_id, request, options)
    if isinstance(request, ModerationRequest):
        return provider.moderate(model_id, request, options)
    raise UnsupportedCapabilityError(f"no provider call for {type(request).__name__}")


def _settle(ctx: RequestContext, response: AnyResponse) -> None:
    """Copy what usage pricing needs from the response: tokens and priced units (minutes, characters)."""
    if isinstance(response, ChatResponse | EmbeddingResponse | RerankResponse):
        ctx.usage = response.usage
    elif isinstance(response, SafetyVerdict | TranscriptionResponse):
        if response.usage is not None:
            ctx.usage = response.usage
        if isinstance(response, TranscriptionResponse) and response.duration is not None:
            ctx.units["audio_minutes"] = response.duration / 60.0
    elif isinstance(response, SpeechResponse):
        ctx.units["characters"] = float(response.characters)
        if response.duration_seconds is not None:
            ctx.units["audio_minutes"] = response.duration_seconds / 60.0


def _estimated_usage(request: ChatRequest, completion_texts: list[str]) -> Usage:
    prompt = estimate_tokens(m.text() for m in request.messages)
    completion = estimate_tokens(completion_texts)
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)


def _has_output(chunk: ChatChunk) -> bool:
    return any(c.delta.content or c.delta.tool_calls or c.finish_reason for c in chunk.choices)


_OUTCOMES = {
    "circuit_open": "skipped: circuit open after repeated failures, see /health/providers",
    "not_configured": "not configured",
}


def _skipped(target: Target, kind: str) -> Attempt:
    return Attempt(
        provider=target.provider,
        model=target.provider_model,
        status=None,
        latency_ms=0.0,
        ok=False,
        error_kind=kind,
    )


def _summary(exc: ProviderError) -> str:
    parts = [exc.kind]
    if exc.upstream_status is not None:
        parts.append(f"HTTP {exc.upstream_status}")
    if exc.upstream_code is not None:
        parts.append(f"code {exc.upstream_code}")
    return " ".join(parts)


async def _close(source: AsyncIterator[ChatChunk] | None) -> None:
    aclose = getattr(source, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(Exception):  # a broken upstream must not mask the real error
            await aclose()
