"""Raw ASGI plumbing for the hot routes: read a bounded body, send a complete response.

The hot routes (chat, embeddings, Workers AI run) are plain ASGI callables instead of Starlette
request/response endpoints: they skip building a ``Request``, a ``Response`` object and the header
mutation machinery, which is a measurable share of a sub-millisecond budget (see bench/). Everything
else uses ordinary Starlette endpoints.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from ai_workers.core.context import RequestContext
from ai_workers.core.errors import InvalidRequestError, PayloadTooLargeError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
RawHeaders = list[tuple[bytes, bytes]]

JSON_HEADER = (b"content-type", b"application/json")
SSE_HEADERS: RawHeaders = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]


# The report headers every answer may carry (listed for CORS so browser code can read them).
EXPOSED_HEADERS = (
    b"x-request-id",
    b"x-ai-workers-overhead-ms",
    b"x-ai-workers-provider",
    b"x-ai-workers-model",
    b"x-ai-workers-cost-usd",
    b"x-ai-workers-cache",
    b"x-ai-workers-cache-similarity",
    b"x-ai-workers-cache-key",
    b"x-ai-workers-tier",
    b"x-ai-workers-attempts",
    b"x-ai-workers-safety",
    b"x-ai-workers-safety-categories",
    b"x-ai-workers-phi-types",
    b"x-ai-workers-phi-redactions",
)


class ClientDisconnected(Exception):
    """The client went away before its request body arrived."""


def content_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                raise InvalidRequestError("Content-Length is not a number") from None
    return None


async def read_body(scope: Scope, receive: Receive, max_bytes: int) -> bytes:
    """The whole request body, refusing more than ``max_bytes`` (413) before reading it if declared."""
    declared = content_length(scope["headers"])
    if declared is not None and declared > max_bytes:
        raise too_large(declared, max_bytes)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > max_bytes:
                raise too_large(size, max_bytes)
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def too_large(size: int, max_bytes: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"The request body ({size} bytes) is larger than this server accepts ({max_bytes} bytes).",
        code="body_too_large",
    )


async def send_bytes(send: Send, status: int, body: bytes, headers: RawHeaders) -> None:
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def started_at(scope: Scope) -> float:
    """When the server began on this request (set by the outer middleware), for the overhead figure."""
    started: float | None = scope.get("aiw.t0")
    return started if started is not None else time.perf_counter()


def overhead_ms(ctx: RequestContext, started: float) -> float:
    """Gateway time minus time spent waiting on upstreams (for a stream: until its first token, the
    executor's ``ctx.upstream_wait_ms``): what the gateway itself added."""
    total = (time.perf_counter() - started) * 1000.0
    return max(0.0, total - ctx.upstream_wait_ms)


def context_headers(ctx: RequestContext, started: float) -> RawHeaders:
    """x-request-id, x-ai-workers-overhead-ms and where the request went / what it cost."""
    overhead = overhead_ms(ctx, started)
    ctx.overhead_ms = overhead
    headers: RawHeaders = [
        (b"x-request-id", ctx.request_id.encode()),
        (b"x-ai-workers-overhead-ms", f"{overhead:.3f}".encode()),
    ]
    if ctx.provider:
        headers.append((b"x-ai-workers-provider", ctx.provider.encode()))
    if ctx.provider_model:
        headers.append((b"x-ai-workers-model", ctx.provider_model.encode("utf-8", "replace")))
    if ctx.cost_usd is not None:
        headers.append((b"x-ai-workers-cost-usd", f"{ctx.cost_usd:.8f}".encode()))
    if ctx.cache:
        headers.append((b"x-ai-workers-cache", ctx.cache.encode()))
    # Which entry answered (a key holds app, model and a digest, never prompt text) and, for a semantic
    # hit, how close it was: so a wrong hit can be found and purged with `ai-workers cache clear --key`.
    if ctx.cache_similarity is not None:
        headers.append((b"x-ai-workers-cache-similarity", f"{ctx.cache_similarity:.4f}".encode()))
    if ctx.cache_key and ctx.cache in ("hit", "semantic_hit"):
        headers.append((b"x-ai-workers-cache-key", ctx.cache_key.encode("utf-8", "replace")))
    if ctx.tier:
        headers.append((b"x-ai-workers-tier", ctx.tier.encode()))
    if ctx.attempts:
        headers.append((b"x-ai-workers-attempts", str(len(ctx.attempts)).encode()))
    # The safety indicator an app can show without parsing the body (types and counts, never values).
    # For a stream these are the prompt's: its answer can only be flagged in the record, at the end.
    if ctx.safety:
        headers.append((b"x-ai-workers-safety", ctx.safety.encode()))
    if ctx.safety_categories:
        headers.append((b"x-ai-workers-safety-categories", ",".join(ctx.safety_categories).encode()))
    if ctx.phi_types:
        headers.append((b"x-ai-workers-phi-types", ",".join(ctx.phi_types).encode()))
        headers.append((b"x-ai-workers-phi-redactions", str(ctx.phi_redactions).encode()))
    return headers
