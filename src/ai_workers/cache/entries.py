"""What a cache entry holds, and the conversions between answers, entries and streams.

An entry is the provider's answer (as msgpack, without the gateway's per-request ``x_ai_workers``
block) plus who answered it. Streams are stored as the equivalent non-streamed answer, assembled from
the chunks once the stream completed, and replayed as chunks on a streamed hit.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

import msgspec

from ai_workers.core.pipeline import ChunkStream
from ai_workers.core.replay import replay_chunks
from ai_workers.core.types import (
    AssistantMessage,
    ChatChoice,
    ChatChunk,
    ChatResponse,
    EmbeddingResponse,
    FunctionCall,
    ToolCall,
    Usage,
    new_id,
)


class CachedAnswer(msgspec.Struct, array_like=True, frozen=True):
    kind: str  # "chat", "rag" or "embeddings"
    body: bytes  # msgpack-encoded ChatResponse / EmbeddingResponse
    model: str  # the logical model that answered
    provider: str | None = None
    provider_model: str | None = None
    stored_at: float = 0.0


_entry_encoder = msgspec.msgpack.Encoder()
_entry_decoder = msgspec.msgpack.Decoder(CachedAnswer)
_chat_decoder = msgspec.msgpack.Decoder(ChatResponse)
_embedding_decoder = msgspec.msgpack.Decoder(EmbeddingResponse)
_chunk_decoder = msgspec.msgpack.Decoder(ChatChunk)


def encode_answer(
    kind: str,
    response: ChatResponse | EmbeddingResponse,
    *,
    model: str,
    provider: str | None,
    provider_model: str | None,
) -> bytes:
    body = msgspec.structs.replace(response, x_ai_workers=None)
    return _entry_encoder.encode(
        CachedAnswer(
            kind=kind,
            body=_entry_encoder.encode(body),
            model=model,
            provider=provider,
            provider_model=provider_model,
            stored_at=time.time(),
        )
    )


def decode_entry(raw: bytes) -> CachedAnswer:
    return _entry_decoder.decode(raw)


def decode_response(entry: CachedAnswer) -> ChatResponse | EmbeddingResponse:
    """A fresh response object for this request: new id and timestamp, the cached content."""
    if entry.kind == "embeddings":
        return _embedding_decoder.decode(entry.body)
    response = _chat_decoder.decode(entry.body)
    return msgspec.structs.replace(response, id=new_id("chatcmpl"), created=int(time.time()))


# ---------------------------------------------------------------------------------------------------
# Streams


def replay_stream(response: ChatResponse, *, include_usage: bool) -> ChunkStream:
    """A cached answer as an OpenAI-style chunk stream: role, content pieces, tool calls, finish."""
    return ChunkStream(replay_chunks(response, include_usage=include_usage))


class StreamRecorder:
    """Collects a stream's chunks so that a *completed* stream can be stored as one answer.

    A stream counts as complete only when the upstream ended normally and every choice sent a
    ``finish_reason`` other than ``error``: a stream cut mid-answer, failed, or closed early by the
    client is never stored.

    Each chunk is recorded as an immutable snapshot (its msgpack bytes) at the moment it passes. The
    recorder runs inside the safety stage, so what passes it is the redacted answer; the chunk objects
    themselves travel on to the stages outside (the safety stage restores the caller's PHI), and a
    reference kept here would let what is stored change after it was recorded.
    """

    def __init__(self) -> None:
        self._snapshots: list[bytes] = []
        self.exhausted = False

    def wrap(self, source: AsyncIterator[ChatChunk]) -> AsyncIterator[ChatChunk]:
        async def recorded() -> AsyncIterator[ChatChunk]:
            async for item in source:
                self._snapshots.append(_entry_encoder.encode(item))
                yield item
            self.exhausted = True

        return recorded()

    @property
    def chunks(self) -> list[ChatChunk]:
        """The chunks as they were when they passed the recorder (fresh objects on every call)."""
        return [_chunk_decoder.decode(raw) for raw in self._snapshots]

    def assemble(self) -> ChatResponse | None:
        if not self.exhausted or not self._snapshots:
            return None
        return assemble_chunks(self.chunks)


def assemble_chunks(chunks: Sequence[ChatChunk]) -> ChatResponse | None:
    """The non-streamed answer equivalent to a complete stream, or None if it did not finish."""
    texts: dict[int, list[str]] = {}
    finish: dict[int, str | None] = {}
    calls: dict[int, dict[int, ToolCall]] = {}
    logprobs: dict[int, dict[str, list[Any]]] = {}
    usage: Usage | None = None
    for item in chunks:
        if item.usage is not None:
            usage = item.usage
        for choice in item.choices:
            texts.setdefault(choice.index, [])
            if choice.delta.content:
                texts[choice.index].append(choice.delta.content)
            if choice.logprobs:  # each chunk carries its own tokens' entries: join them in order
                merged = logprobs.setdefault(choice.index, {})
                for part, entries in choice.logprobs.items():
                    if isinstance(entries, list):
                        merged.setdefault(part, []).extend(entries)
            for i, call in enumerate(choice.delta.tool_calls or []):
                slot = calls.setdefault(choice.index, {})
                index = call.index if call.index is not None else i
                known = slot.get(index)
                if known is None:
                    slot[index] = ToolCall(
                        id=call.id,
                        type=call.type,
                        function=FunctionCall(
                            name=call.function.name if call.function else None,
                            arguments=(call.function.arguments or "") if call.function else "",
                        ),
                    )
                elif call.function is not None:
                    fn = known.function or FunctionCall(arguments="")
                    slot[index] = msgspec.structs.replace(
                        known,
                        id=known.id or call.id,
                        function=FunctionCall(
                            name=fn.name or call.function.name,
                            arguments=(fn.arguments or "") + (call.function.arguments or ""),
                        ),
                    )
            if choice.finish_reason is not None:
                finish[choice.index] = choice.finish_reason
    if not texts or any(finish.get(i) in (None, "error") for i in texts):
        return None
    first = chunks[0]
    choices = [
        ChatChoice(
            index=i,
            message=AssistantMessage(
                content="".join(texts[i]) if texts[i] or i not in calls else None,
                tool_calls=[calls[i][k] for k in sorted(calls[i])] if i in calls else None,
            ),
            finish_reason=finish[i],
            logprobs=dict(logprobs[i]) if i in logprobs else None,
        )
        for i in sorted(texts)
    ]
    return ChatResponse(
        id=first.id, created=first.created, model=first.model, choices=choices, usage=usage or Usage()
    )
