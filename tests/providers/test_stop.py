"""Stop sequences applied by the gateway for Workers AI, whose API has no ``stop``.

The property test is the contract: however the answer is split into stream chunks, the streamed text is
the whole answer cut before its first stop string, exactly as the non-streamed answer is."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

from hypothesis import given, settings
from hypothesis import strategies as st

from ai_workers.core.types import (
    AssistantMessage,
    ChatChoice,
    ChatChunk,
    ChatResponse,
    ChunkChoice,
    Delta,
    Usage,
)
from ai_workers.providers.stop import cut_response, cut_stream, stop_strings


def expected(text: str, stops: list[str]) -> str:
    cuts = [text.find(s) for s in stops if s and s in text]
    return text[: min(cuts)] if cuts else text


async def chunks_of(pieces: list[str], *, finish: bool) -> AsyncIterator[ChatChunk]:
    yield ChatChunk(id="c", model="m", choices=[ChunkChoice(index=0, delta=Delta(role="assistant"))])
    for piece in pieces:
        yield ChatChunk(id="c", model="m", choices=[ChunkChoice(index=0, delta=Delta(content=piece))])
    if finish:
        yield ChatChunk(id="c", model="m", choices=[], usage=Usage(completion_tokens=len(pieces)))
        yield ChatChunk(
            id="c", model="m", choices=[ChunkChoice(index=0, delta=Delta(), finish_reason="stop")]
        )


async def collect(stream: AsyncIterator[ChatChunk]) -> list[ChatChunk]:
    return [chunk async for chunk in stream]


def streamed_text(chunks: list[ChatChunk]) -> str:
    return "".join(c.text for c in chunks)


alphabet = st.sampled_from("ab \nO:")


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet, max_size=40),
    cuts=st.lists(st.integers(min_value=0, max_value=40), max_size=8),
    stops=st.lists(st.text(alphabet, min_size=1, max_size=4), min_size=1, max_size=3),
    finish=st.booleans(),
)
def test_stream_is_cut_like_the_whole_answer_whatever_the_chunking(
    text: str, cuts: list[int], stops: list[str], finish: bool
) -> None:
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    out = asyncio.run(collect(cut_stream(chunks_of(pieces, finish=finish), stops)))
    assert streamed_text(out) == expected(text, stops)
    # The role comes first, and the stream says why it ended exactly once (when it ends on a stop,
    # or when the upstream said so).
    assert out[0].choices[0].delta.role == "assistant"
    reasons = [c.choices[0].finish_reason for c in out if c.choices and c.choices[0].finish_reason]
    stopped = expected(text, stops) != text
    assert reasons == (["stop"] if stopped or finish else [])

    whole = ChatResponse(
        model="m",
        choices=[ChatChoice(index=0, message=AssistantMessage(content=text), finish_reason="length")],
    )
    cut = cut_response(whole, stops)
    assert cut.choices[0].message.content == expected(text, stops)
    assert cut.choices[0].finish_reason == ("stop" if stopped else "length")


def test_a_stop_ends_the_upstream_stream() -> None:
    closed: list[bool] = []

    async def upstream() -> AsyncIterator[ChatChunk]:
        try:
            pieces = ["Thought: look it up\nObs", "ervation: made up", " more"]
            async for chunk in chunks_of(pieces, finish=True):
                yield chunk
        finally:
            closed.append(True)

    out = asyncio.run(collect(cut_stream(upstream(), ["Observation:"])))
    assert streamed_text(out) == "Thought: look it up\n"
    assert closed == [True]


def test_stop_strings_accepts_openai_forms() -> None:
    assert stop_strings(None) == ()
    assert stop_strings("END") == ("END",)
    assert stop_strings(["a", "", "b"]) == ("a", "b")
