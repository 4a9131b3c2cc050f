"""A complete chat answer as an OpenAI-style chunk stream.

Two places have a whole answer where the caller asked for a stream: a cache hit, and an
OpenAI-compatible server that ignores ``stream: true`` and answers with a plain completion (some
llama.cpp and Ollama builds, and proxies in front of them do). Both replay it the way a live stream
looks: the role, the content in word-aligned pieces, tool calls, the finish reason, then usage.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import msgspec

from ai_workers.core.types import ChatChunk, ChatResponse, ChunkChoice, Delta, Usage

_PIECE = re.compile(r"\S+\s*|\s+")
_PIECE_CHARS = 24


def _pieces(text: str) -> list[str]:
    """Split text into word-aligned pieces of about ``_PIECE_CHARS`` characters, like token chunks."""
    out: list[str] = []
    current = ""
    for match in _PIECE.finditer(text):
        current += match.group(0)
        if len(current) >= _PIECE_CHARS:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


async def replay_chunks(response: ChatResponse, *, include_usage: bool) -> AsyncIterator[ChatChunk]:
    """``response`` as chunks; with ``include_usage``, a last choice-less chunk carries the usage."""

    def chunk(choices: list[ChunkChoice], usage: Usage | None = None) -> ChatChunk:
        return ChatChunk(
            id=response.id, created=response.created, model=response.model, choices=choices, usage=usage
        )

    for choice in response.choices:
        message = choice.message
        # Log probabilities are per answer token; a replay has no tokens, so they travel whole, once.
        opening = Delta(role="assistant", content="")
        yield chunk([ChunkChoice(index=choice.index, delta=opening, logprobs=choice.logprobs)])
        for piece in _pieces(message.content or ""):
            yield chunk([ChunkChoice(index=choice.index, delta=Delta(content=piece))])
        if message.tool_calls:
            calls = [
                msgspec.structs.replace(call, index=i if call.index is None else call.index)
                for i, call in enumerate(message.tool_calls)
            ]
            yield chunk([ChunkChoice(index=choice.index, delta=Delta(tool_calls=calls))])
        yield chunk([ChunkChoice(index=choice.index, delta=Delta(), finish_reason=choice.finish_reason)])
    if include_usage:
        yield chunk([], usage=response.usage)
