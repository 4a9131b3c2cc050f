"""A pipeline of just the cache stage in front of a counting fake model, for stage-level tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import msgspec

from ai_workers.cache.stage import CacheStage
from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import AIWorkersError
from ai_workers.core.pipeline import ChunkStream, Pipeline, Result
from ai_workers.core.types import (
    AnyRequest,
    AssistantMessage,
    Capability,
    ChatChoice,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    ChunkChoice,
    Delta,
    Embedding,
    EmbeddingRequest,
    EmbeddingResponse,
    Message,
    Usage,
)
from ai_workers.routing.targets import resolve_targets


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeModel:
    """Answers "answer #N to: <last message>" and counts calls; can stream or cut a stream."""

    def __init__(self) -> None:
        self.calls = 0
        self.cut_next_stream = False

    async def __call__(self, ctx: RequestContext, request: AnyRequest) -> Result:
        self.calls += 1
        # Answered by the primary target routing chose, as the executor reports it.
        primary = ctx.targets[0] if ctx.targets else None
        ctx.provider = primary.provider if primary else "fake"
        ctx.provider_model = primary.provider_model if primary else "fake-model"
        ctx.usage = Usage(prompt_tokens=10, completion_tokens=5, total_tokens=15)
        if isinstance(request, EmbeddingRequest):
            return EmbeddingResponse(
                model=request.model,
                data=[
                    Embedding(index=i, embedding=[float(self.calls), 1.0])
                    for i, _ in enumerate(request.texts())
                ],
            )
        assert isinstance(request, ChatRequest)
        text = f"answer #{self.calls} to: {request.messages[-1].text()}"
        if ctx.stream or request.stream:
            return ChunkStream(self._stream(text, cut=self._take_cut()))
        return ChatResponse(
            model=request.model,
            choices=[ChatChoice(index=0, message=AssistantMessage(content=text))],
            usage=Usage(prompt_tokens=10, completion_tokens=5, total_tokens=15),
        )

    def _take_cut(self) -> bool:
        cut, self.cut_next_stream = self.cut_next_stream, False
        return cut

    async def _stream(self, text: str, *, cut: bool) -> AsyncIterator[ChatChunk]:
        yield ChatChunk(id="c1", model="m", choices=[ChunkChoice(index=0, delta=Delta(role="assistant"))])
        for word in text.split(" "):
            yield ChatChunk(
                id="c1", model="m", choices=[ChunkChoice(index=0, delta=Delta(content=word + " "))]
            )
        if cut:
            raise ConnectionResetError("upstream went away")
        yield ChatChunk(
            id="c1", model="m", choices=[ChunkChoice(index=0, delta=Delta(), finish_reason="stop")]
        )


def settings(**data: Any) -> Settings:
    return msgspec.convert(data, Settings)


class Harness:
    def __init__(self, config: Settings | None = None, **stage_options: Any) -> None:
        self.store = ConfigStore(config or settings())
        self.clock = FakeClock()
        stage_options.setdefault("clock", self.clock)
        stage_options.setdefault("wall_clock", self.clock)
        self.stage = CacheStage(self.store, **stage_options)
        self.model = FakeModel()
        self.pipeline = Pipeline([self.stage], self.model)
        self.last: RequestContext | None = None

    def ctx(
        self,
        app: str = "app-a",
        capability: Capability = Capability.CHAT,
        model: str = "gpt-4o-mini",
        **kw: Any,
    ) -> RequestContext:
        """A context as the routing stage (which runs before the cache) leaves it: the target chain."""
        ctx = RequestContext(
            settings=self.store.current,
            app=AppIdentity(app),
            capability=capability,
            requested_model=model,
            **kw,
        )
        if "targets" not in kw:
            with contextlib.suppress(AIWorkersError):
                _, ctx.targets = resolve_targets(ctx.settings, ctx.app, capability, model)
        return ctx

    async def chat(
        self,
        text: str,
        *,
        app: str = "app-a",
        system: str | None = None,
        stream: bool = False,
        user: str | None = None,
        route: str | None = None,
        **params: Any,
    ) -> Any:
        messages = ([Message(role="system", content=system)] if system else []) + [
            Message(role="user", content=text)
        ]
        request = ChatRequest(
            model=params.pop("model", "gpt-4o-mini"), messages=messages, stream=stream or None, **params
        )
        ctx = self.ctx(app, model=request.model, stream=stream, user=user, route=route)
        self.last = ctx
        result = await self.pipeline.run(ctx, request)
        if isinstance(result, ChunkStream):
            chunks = [c async for c in result]
            await self.stage.flush()
            return chunks
        await self.stage.flush()
        return result

    async def embed(self, texts: list[str], *, app: str = "app-a") -> EmbeddingResponse:
        ctx = self.ctx(app, Capability.EMBEDDINGS, model="bge-m3")
        self.last = ctx
        result = await self.pipeline.run(ctx, EmbeddingRequest(model="bge-m3", input=texts))
        await self.stage.flush()
        assert isinstance(result, EmbeddingResponse)
        return result
