"""Run one decoded API request through the gateway and send the answer (JSON or SSE).

Shared by the OpenAI- and Workers-AI-shaped routes, which differ only in how they decode requests and
render results: both authenticate, rate-limit, build the context, run the pipeline, and report where
the request went in headers. Errors become the route's error format (``render_error``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from ai_workers.core.background import cancel_and_wait
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import AIWorkersError
from ai_workers.core.pipeline import ChunkStream, Result
from ai_workers.core.types import AnyRequest, Capability, ChatChunk
from ai_workers.db.engine import Database
from ai_workers.gateway import Gateway
from ai_workers.server.auth import USER_HEADER, Authenticator, header_value
from ai_workers.server.http import (
    JSON_HEADER,
    SSE_HEADERS,
    ClientDisconnected,
    RawHeaders,
    Receive,
    Scope,
    Send,
    context_headers,
    overhead_ms,
    read_body,
    send_bytes,
    started_at,
)
from ai_workers.server.limits import RateLimiter
from ai_workers.server.metrics import MetricsListener
from ai_workers.server.responses import too_deep_error, validation_error

log = logging.getLogger("ai_workers.server")

# How a route renders an error body (OpenAI JSON or the Cloudflare envelope); status and headers come
# from the exception.
ErrorRenderer = Callable[[AIWorkersError], bytes]


@dataclass(slots=True)
class Services:
    """What the handlers need from ``app.state``, fetched once per request."""

    gateway: Gateway
    auth: Authenticator
    limits: RateLimiter
    metrics: MetricsListener
    database: Database

    @classmethod
    def of(cls, scope: Scope) -> Services:
        services: Services = scope["app"].state.services
        return services

    @property
    def max_body_bytes(self) -> int:
        return self.gateway.config.current.server.max_body_bytes


async def execute(
    services: Services,
    scope: Scope,
    identity: AppIdentity,
    capability: Capability,
    model: str,
    request: AnyRequest,
    *,
    user: str | None,
    stream: bool = False,
    route: str,
) -> tuple[RequestContext, Result]:
    """Rate-limit, build the context (timed from when the server got the request) and run the pipeline.

    The context is attached to the scope before the run so an error path can still report its id.
    """
    gateway = services.gateway
    settings = gateway.config.current
    # A key's own model list is checked by the routing stage (``routing.targets.check_model_allowed``),
    # which runs before the cache, so cached answers are covered too.
    tokens = services.auth.tokens if identity.token_id is not None else None
    if tokens is not None:  # a browser token: its own user, and its spend cap
        user = identity.user
        tokens.check_cap_of(identity)
    await services.limits.check(settings, identity)
    ctx = gateway.context(identity, capability, model, user=user, stream=stream, route=route)
    ctx.started = started_at(scope)
    override = header_value(scope["headers"], b"x-ai-workers-override")
    if override:
        # A one-request admin override of a PHI/safety block; the safety stage checks and consumes it.
        ctx.override_id = override.strip()
    scope["aiw.ctx"] = ctx
    result = await gateway.run(ctx, request)
    if isinstance(result, ChunkStream):  # its tokens are known when it ends
        result.on_close(lambda _error: charge_tokens(services, ctx))
    if tokens is not None:
        token_id = identity.token_id or ""
        if isinstance(result, ChunkStream):
            result.on_close(lambda _error: tokens.charge(token_id, ctx))
        else:
            tokens.charge(token_id, ctx)
    return ctx, result


async def charge_tokens(services: Services, ctx: RequestContext) -> None:
    """Charge the request's real token count to the key's tokens-per-minute bucket (after answering)."""
    await services.limits.charge_tokens(ctx.settings, ctx.app, ctx.usage.total_tokens)


def settle(services: Services, ctx: RequestContext, started: float) -> RawHeaders:
    """Before the answer leaves: record the overhead and build the report headers."""
    headers = context_headers(ctx, started)
    if ctx.overhead_ms is not None:
        services.metrics.observe_overhead(ctx.route or "", ctx.overhead_ms)
    return headers


async def send_error(
    send: Send, scope: Scope, exc: AIWorkersError, render: ErrorRenderer, *, started: float | None = None
) -> None:
    headers: RawHeaders = [JSON_HEADER]
    headers += [(k.lower().encode(), v.encode()) for k, v in exc.headers().items()]
    ctx: RequestContext | None = scope.get("aiw.ctx")
    if ctx is not None:
        headers.append((b"x-request-id", ctx.request_id.encode()))
        if started is not None:
            headers.append((b"x-ai-workers-overhead-ms", f"{overhead_ms(ctx, started):.3f}".encode()))
    await send_bytes(send, exc.status, render(exc), headers)


def as_api_error(exc: Exception) -> AIWorkersError | None:
    if isinstance(exc, AIWorkersError):
        return exc
    if isinstance(exc, msgspec.DecodeError):
        return validation_error(exc)
    if isinstance(exc, RecursionError):
        return too_deep_error()
    return None


# -- streams -----------------------------------------------------------------------------------------

ChunkEncoder = Callable[[ChatChunk], bytes]


class StreamEvents:
    """The SSE bytes of one streamed answer: what opens it, each chunk, what closes it, a failure.

    ``ChunkEvents`` is the chat-completions shape every route uses by default; an API whose events
    carry state across the stream (the Responses API's item ids and sequence numbers) gives its
    ``Call`` a subclass instance of its own.
    """

    def opening(self) -> bytes:
        return b""

    def chunk(self, chunk: ChatChunk) -> bytes:
        raise NotImplementedError

    def closing(self) -> bytes:
        raise NotImplementedError

    def failed(self, error: AIWorkersError) -> bytes:
        """Sent instead of ``closing``, so the client sees the stream failed rather than a short answer."""
        raise NotImplementedError


class ChunkEvents(StreamEvents):
    """A ``data:`` line per chunk in the route's own chunk shape, then ``[DONE]``; a failure is an
    error event in the route's error shape, with no ``[DONE]`` after it."""

    def __init__(self, encode_chunk: ChunkEncoder, render_error: ErrorRenderer) -> None:
        self.encode_chunk = encode_chunk
        self.render_error = render_error

    def chunk(self, chunk: ChatChunk) -> bytes:
        return self.encode_chunk(chunk)

    def closing(self) -> bytes:
        return b"data: [DONE]\n\n"

    def failed(self, error: AIWorkersError) -> bytes:
        return b"data: " + self.render_error(error) + b"\n\n"


async def send_sse(
    send: Send,
    receive: Receive,
    stream: ChunkStream,
    first: ChatChunk,
    headers: RawHeaders,
    events: StreamEvents,
) -> None:
    """Send SSE events as chunks arrive. A failure after the first chunk is sent as an error event
    (``events.failed``), so the client sees the stream failed rather than a short answer. A client
    that disconnects closes the upstream stream (and settles its record)."""
    await send({"type": "http.response.start", "status": 200, "headers": [*SSE_HEADERS, *headers]})

    async def pump() -> None:
        body = events.opening() + events.chunk(first)
        await send({"type": "http.response.body", "body": body, "more_body": True})
        try:
            async for chunk in stream:
                await send({"type": "http.response.body", "body": events.chunk(chunk), "more_body": True})
        except Exception as exc:
            error = as_api_error(exc)
            if error is None:
                log.error("stream failed", exc_info=exc)
                error = AIWorkersError("The stream failed: internal error")
            await send({"type": "http.response.body", "body": events.failed(error), "more_body": False})
            return
        await send({"type": "http.response.body", "body": events.closing(), "more_body": False})

    async def wait_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    pump_task = asyncio.ensure_future(pump())
    watch_task = asyncio.ensure_future(wait_disconnect())
    try:
        await asyncio.wait((pump_task, watch_task), return_when=asyncio.FIRST_COMPLETED)
    finally:
        await cancel_and_wait(pump_task, watch_task)
        await stream.aclose()  # no-op when it already finished
    if pump_task.done() and not pump_task.cancelled() and pump_task.exception() is not None:
        raise pump_task.exception()  # type: ignore[misc]


async def first_chunk(stream: ChunkStream) -> ChatChunk | None:
    """Pull the first chunk before answering, so a stream that fails at once gets a proper HTTP error
    status instead of a 200 with an error event."""
    try:
        return await stream.__anext__()
    except StopAsyncIteration:
        return None


# -- the hot endpoints' common flow ---------------------------------------------------------------------

Renderer = Callable[[Any, RequestContext], tuple[bytes, bytes]]  # (result, ctx) -> (body, content type)


@dataclass(slots=True)
class Call:
    """What a route decoded from one request: what to run and how to render the answer."""

    capability: Capability
    model: str
    request: AnyRequest
    render: Renderer
    user: str | None = None
    stream: bool = False
    events: StreamEvents | None = None  # a streamed answer's SSE shape, when not the route's default


class ApiEndpoint:
    """A raw ASGI endpoint: subclasses turn the body into a ``Call`` in their API's shape; this runs
    it (authenticate, read the bounded body, pipeline) and answers as JSON or SSE, or with the route's
    error format."""

    route: str
    encode_chunk: ChunkEncoder
    render_error: ErrorRenderer

    def decode(self, services: Services, scope: Scope, body: bytes) -> Call:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services = Services.of(scope)
        started = scope.get("aiw.t0") or time.perf_counter()
        try:
            identity = services.auth.identify(
                scope["headers"], scope.get("client"), scope.get("aiw.credentials")
            )
            body = await read_body(scope, receive, services.max_body_bytes)
            call = self.decode(services, scope, body)
            user = header_value(scope["headers"], USER_HEADER) or call.user
            ctx, result = await execute(
                services, scope, identity, call.capability, call.model, call.request,
                user=user, stream=call.stream, route=self.route,
            )  # fmt: skip
            if isinstance(result, ChunkStream):
                events = call.events or ChunkEvents(self.encode_chunk, self.render_error)
                first = await first_chunk(result)
                headers = settle(services, ctx, started)
                if first is None:
                    await send_bytes(send, 200, events.opening() + events.closing(), headers)
                    return
                await send_sse(send, receive, result, first, headers, events)
                return
            body_out, content_type = call.render(result, ctx)
            headers = settle(services, ctx, started)
            headers.append((b"content-type", content_type))
            await send_bytes(send, 200, body_out, headers)
            await charge_tokens(services, ctx)
        except ClientDisconnected:
            return
        except Exception as exc:
            error = as_api_error(exc)
            if error is None:
                raise
            await send_error(send, scope, error, self.render_error, started=started)
