"""SSE sending without a server: chunks pass through, a client that leaves closes the upstream stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from ai_workers.core.errors import AIWorkersError, ProviderError
from ai_workers.core.pipeline import ChunkStream
from ai_workers.core.types import ChatChunk, ChunkChoice, Delta
from ai_workers.server.dispatch import ChunkEvents, first_chunk, send_sse
from ai_workers.server.routes.openai import _sse_chunk, render_openai_error


def chunk(text: str) -> ChatChunk:
    return ChatChunk(id="c", model="m", choices=[ChunkChoice(index=0, delta=Delta(content=text))])


class Client:
    """Records what the server sent; disconnects after ``leave_after`` body messages if set."""

    def __init__(self, leave_after: int | None = None) -> None:
        self.sent: list[dict[str, Any]] = []
        self.leave_after = leave_after
        self.left = asyncio.Event()

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)
        bodies = [m for m in self.sent if m["type"] == "http.response.body"]
        if self.leave_after is not None and len(bodies) >= self.leave_after:
            self.left.set()

    async def receive(self) -> dict[str, Any]:
        await self.left.wait()
        return {"type": "http.disconnect"}

    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")


async def test_client_disconnect_closes_the_upstream_stream() -> None:
    closed: list[BaseException | None] = []
    upstream_cancelled = asyncio.Event()

    async def endless() -> AsyncIterator[ChatChunk]:
        yield chunk("first")
        try:
            await asyncio.Event().wait()  # the model keeps "thinking"
            yield chunk("never")
        finally:
            upstream_cancelled.set()

    stream = ChunkStream(endless())
    stream.on_close(closed.append)
    first = await first_chunk(stream)
    assert first is not None
    client = Client(leave_after=1)
    await asyncio.wait_for(
        send_sse(
            client.send,
            client.receive,
            stream,
            first,
            [],
            ChunkEvents(_sse_chunk, render_openai_error),
        ),
        timeout=10,
    )
    assert b"first" in client.body()
    assert b"[DONE]" not in client.body()
    # Settled once, with the cancellation the usage recorder books as 499 "client went away".
    assert len(closed) == 1 and isinstance(closed[0], asyncio.CancelledError)
    assert upstream_cancelled.is_set()  # the upstream generator was closed, not left running


async def test_failure_after_first_chunk_is_an_error_event_without_done() -> None:
    async def breaks() -> AsyncIterator[ChatChunk]:
        yield chunk("partial")
        raise ProviderError("cut", provider="p", model="m", kind="stream_cut")

    stream = ChunkStream(breaks())
    first = await first_chunk(stream)
    assert first is not None
    client = Client()
    await send_sse(
        client.send,
        client.receive,
        stream,
        first,
        [],
        ChunkEvents(_sse_chunk, render_openai_error),
    )
    events = [e for e in client.body().split(b"\n\n") if e]
    assert events[0].startswith(b"data: {") and b"partial" in events[0]
    assert events[-1].startswith(b'data: {"error"') and b"stream_cut" in events[-1]
    assert b"[DONE]" not in client.body()
    assert client.sent[-1].get("more_body") is False


def test_error_renderer_shape() -> None:
    assert render_openai_error(AIWorkersError("boom")).startswith(b'{"error":{"message":"boom"')
