"""Redaction round trips exactly, including streams cut at arbitrary chunk boundaries (hypothesis)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

from hypothesis import given, settings
from hypothesis import strategies as st

from ai_workers.core.types import ChatChunk, ChunkChoice, Delta
from ai_workers.safety.phi import detect
from ai_workers.safety.redaction import StreamRestorer, Vault, restore_stream

TEXT = (
    "Patient: Maria Garcia, DOB 02/11/1958, MRN: 5531209. Seen by Dr. Okafor at Mercy General Hospital "
    "on March 3, 2024. Lives at 42 Elm Street, Springfield, IL 62704; phone (217) 555-0199. "
    "A1c 8.1, metformin 1000 mg BID. Maria Garcia agrees with the plan."
)


def test_redact_then_restore_is_exact() -> None:
    vault = Vault()
    spans = detect(TEXT)
    redacted = vault.redact(TEXT, spans)
    assert "Maria" not in redacted and "5531209" not in redacted and "(217)" not in redacted
    assert redacted.count("[NAME_1]") == 2  # the same person, the same placeholder
    assert "metformin 1000 mg BID" in redacted
    assert vault.restore(redacted) == TEXT


def test_restore_leaves_unknown_placeholders_and_brackets_alone() -> None:
    vault = Vault()
    vault.placeholder("NAME", "Ann Lee")
    assert (
        vault.restore("[NAME_1] and [NAME_9] and [see note] and [")
        == "Ann Lee and [NAME_9] and [see note] and ["
    )


def _stream(pieces: list[str]) -> AsyncIterator[ChatChunk]:
    async def gen() -> AsyncIterator[ChatChunk]:
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            yield ChatChunk(
                id="c",
                model="m",
                choices=[
                    ChunkChoice(index=0, delta=Delta(content=piece), finish_reason="stop" if last else None)
                ],
            )

    return gen()


async def _collect(pieces: list[str], vault: Vault) -> tuple[str, list[str]]:
    out: list[str] = []
    async for chunk in restore_stream(_stream(pieces), vault):
        out.append(chunk.text)
    return "".join(out), out


@settings(max_examples=300, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=40))
def test_stream_restores_exactly_for_any_chunk_boundaries(cuts: list[int]) -> None:
    vault = Vault()
    redacted = vault.redact(TEXT, detect(TEXT))
    points = sorted({c % (len(redacted) + 1) for c in cuts} | {0, len(redacted)})
    pieces = [redacted[a:b] for a, b in itertools.pairwise(points)] or [""]
    restored, _ = asyncio.run(_collect(pieces, vault))
    assert restored == TEXT


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab [ ]_NAME1DT")), max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=10),
)
def test_text_without_placeholders_passes_through_unchanged(text: str, cuts: list[int]) -> None:
    vault = Vault()  # issued nothing: every bracket is literal text
    points = sorted({c % (len(text) + 1) for c in cuts} | {0, len(text)})
    pieces = [text[a:b] for a, b in itertools.pairwise(points)] or [""]
    restored, _ = asyncio.run(_collect(pieces, vault))
    assert restored == text


def test_only_a_possible_placeholder_prefix_is_held_back() -> None:
    vault = Vault()
    vault.placeholder("NAME", "Ann Lee")
    r = StreamRestorer(vault)
    assert r.feed("Hello ") == "Hello "  # nothing delayed
    assert r.feed("dear [NA") == "dear "  # only "[NA" held
    assert r.feed("ME_1], how") == "Ann Lee, how"
    assert r.feed(" are you [see") == " are you [see"  # lowercase: not a placeholder, not held
    assert r.feed(" [") == " "
    assert r.flush() == "["


def test_restored_stream_chunks_are_new_objects_and_the_source_keeps_its_placeholders() -> None:
    """The cache stage (inside the safety stage) may hold the chunks it passed on: restoring one
    request's originals must never write them into those shared objects."""
    from ai_workers.core.types import FunctionCall, ToolCall

    vault = Vault()
    redacted = vault.redact("Call Ann Lee", detect("Call Ann Lee"))
    source = [
        ChatChunk(id="c", model="m", choices=[ChunkChoice(index=0, delta=Delta(content=redacted))]),
        ChatChunk(
            id="c",
            model="m",
            choices=[
                ChunkChoice(
                    index=0,
                    delta=Delta(tool_calls=[ToolCall(index=0, function=FunctionCall(arguments=redacted))]),
                    finish_reason="stop",
                )
            ],
        ),
    ]

    async def gen() -> AsyncIterator[ChatChunk]:
        for item in source:
            yield item

    async def run() -> list[ChatChunk]:
        return [c async for c in restore_stream(gen(), vault)]

    out = asyncio.run(run())
    assert out[0].text == "Call Ann Lee"
    calls = out[1].choices[0].delta.tool_calls
    assert calls is not None and calls[0].function is not None
    assert calls[0].function.arguments == "Call Ann Lee"
    assert source[0].text == redacted  # untouched
    kept = source[1].choices[0].delta.tool_calls
    assert kept is not None and kept[0].function is not None and kept[0].function.arguments == redacted
