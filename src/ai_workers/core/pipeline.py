"""The request pipeline: an ordered list of stages around one terminal handler.

Each stage is a small component with one job (budget check, PHI safety, cache, routing, usage record)
and the signature ``await stage(ctx, request, call_next)``. A stage may answer without calling the next
one (a cache hit, a blocked prompt), change the request on its way in (redaction), and change the
result on its way out (restoring redactions, recording usage). Streams are results too: a
``ChunkStream`` that stages wrap to see every chunk, so stream-aware stages need no special path.

The chain is composed once when the pipeline is built, not per request.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Protocol

from ai_workers.core.context import RequestContext
from ai_workers.core.types import AnyRequest, AnyResponse, Capability, ChatChunk


class ChunkStream:
    """An async iterator of chat chunks that can be closed early and wrapped by stages.

    ``on_close`` callbacks run exactly once, when the stream is exhausted, fails or is closed by the
    client, so a recorder or budget stage settles a stream whichever way it ends.
    """

    def __init__(self, source: AsyncIterator[ChatChunk]) -> None:
        self._source = source
        self._closed = False
        self._on_close: list[Callable[[BaseException | None], Awaitable[None] | None]] = []
        self.error: BaseException | None = None

    def __aiter__(self) -> ChunkStream:
        return self

    async def __anext__(self) -> ChatChunk:
        if self._closed:
            raise StopAsyncIteration
        try:
            return await self._source.__anext__()
        except StopAsyncIteration:
            await self._finish(None)
            raise
        except BaseException as exc:
            self.error = exc
            await self._finish(exc)
            raise

    def on_close(self, callback: Callable[[BaseException | None], Awaitable[None] | None]) -> None:
        self._on_close.append(callback)

    async def _finish(self, error: BaseException | None) -> None:
        if self._closed:
            return
        self._closed = True
        for callback in self._on_close:
            result = callback(error)
            if result is not None:
                await result

    async def aclose(self) -> None:
        """Close early (client went away): the upstream is closed and callbacks see no error."""
        if self._closed:
            return
        aclose = getattr(self._source, "aclose", None)
        if aclose is not None:
            # Closing a broken upstream must not mask the caller's path.
            with contextlib.suppress(Exception):
                await aclose()
        await self._finish(None)

    def map(self, fn: Callable[[AsyncIterator[ChatChunk]], AsyncIterator[ChatChunk]]) -> ChunkStream:
        """Wrap the chunk source (e.g. to restore redactions), keeping this stream's callbacks."""
        self._source = fn(self._source)
        return self


Result = AnyResponse | ChunkStream
Handler = Callable[[RequestContext, AnyRequest], Awaitable[Result]]

# A request a stage makes on its own behalf (Llama Guard scoring, cache/RAG embeddings): it runs through
# the whole pipeline as a child of ``parent`` (same app and user, its own usage record, marked
# ``ctx.internal = True`` so stages can skip work that would recurse, e.g. re-scanning).
SubCall = Callable[["RequestContext", "Capability", AnyRequest], Awaitable[Result]]


class Stage(Protocol):
    """A pipeline component. ``name`` appears in logs and the architecture doc."""

    name: str

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result: ...


class Pipeline:
    def __init__(self, stages: Sequence[Stage], terminal: Handler) -> None:
        self.stages = list(stages)
        self.terminal = terminal
        self._entry = self._compose()

    def _compose(self) -> Handler:
        handler = self.terminal
        for stage in reversed(self.stages):
            handler = _bind(stage, handler)
        return handler

    async def run(self, ctx: RequestContext, request: AnyRequest) -> Result:
        return await self._entry(ctx, request)


def _bind(stage: Stage, call_next: Handler) -> Handler:
    # A plain function handing back the stage's own coroutine, not an ``async def`` awaiting it: one
    # coroutine object, frame and await hop fewer per stage and request, with the same order, results
    # and exceptions (the stage's coroutine is awaited by whoever awaits the handler).
    def handler(ctx: RequestContext, request: AnyRequest) -> Awaitable[Result]:
        return stage(ctx, request, call_next)

    return handler
