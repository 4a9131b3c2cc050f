"""Stop sequences for providers whose API has none (Workers AI's ``/ai/run`` takes no ``stop``).

OpenAI's ``stop`` ends the answer before the first occurrence of any of the strings, which are not
returned. Dropping the parameter would silently change answers (a few-shot prompt runs on into the
next example; an agent loop reads a made-up "Observation:"), so the gateway applies it to the text
itself: a whole answer is cut at the earliest stop string; a stream holds back just enough characters
to see a stop string split across chunks, and ends at the first one it finds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from ai_workers.core.types import ChatChunk, ChatResponse, ChunkChoice, Delta


def stop_strings(stop: str | list[str] | None) -> tuple[str, ...]:
    """The request's stop strings, without empty ones (which OpenAI ignores too)."""
    if stop is None:
        return ()
    return tuple(s for s in ([stop] if isinstance(stop, str) else stop) if s)


def _first_stop(text: str, stops: Sequence[str]) -> int:
    """Where the earliest stop string starts in ``text``, or -1."""
    found = [i for i in (text.find(s) for s in stops) if i != -1]
    return min(found) if found else -1


def cut_response(response: ChatResponse, stops: Sequence[str]) -> ChatResponse:
    """``response`` with each choice's text cut before its first stop string (finish reason "stop")."""
    for choice in response.choices:
        content = choice.message.content
        if not content:
            continue
        at = _first_stop(content, stops)
        if at != -1:
            choice.message.content = content[:at]
            choice.finish_reason = "stop"
    return response


def _unfinished_start(text: str, stops: Sequence[str], hold: int) -> int:
    """Where the earliest stop string may start that runs past the end of ``text`` (its start is a
    proper prefix of it), or -1: text from there on cannot be sent until the next chunk says."""
    for start in range(max(len(text) - hold, 0), len(text)):
        tail = text[start:]
        if any(len(s) > len(tail) and s.startswith(tail) for s in stops):
            return start
    return -1


async def cut_stream(chunks: AsyncIterator[ChatChunk], stops: Sequence[str]) -> AsyncIterator[ChatChunk]:
    """``chunks`` (one choice) ending before the first stop string, even one split across chunks.

    Text that may be the start of a stop string is held back until the next chunk shows whether it is;
    a complete stop string ends the stream only if no earlier-starting one is still unfinished (OpenAI
    cuts at the earliest start). On a stop the upstream stream is closed and a final chunk says "stop".
    """
    hold = max(len(s) for s in stops) - 1
    pending = ""
    last: ChatChunk | None = None
    try:
        async for chunk in chunks:
            last = chunk
            choice = chunk.choices[0] if chunk.choices else None
            if choice is None or (choice.delta.content is None and choice.finish_reason is None):
                yield chunk  # usage-only chunks, a role or tool-call delta without text
                continue
            text = pending + (choice.delta.content or "")
            final = choice.finish_reason is not None  # nothing more can complete a stop string
            at = _first_stop(text, stops)
            unfinished = -1 if final else _unfinished_start(text, stops, hold)
            if at != -1 and (unfinished == -1 or at <= unfinished):
                if at:
                    choice.delta.content = text[:at]
                    choice.finish_reason = None
                    yield chunk
                yield _stop_chunk(chunk, choice.index)
                return
            if final:
                choice.delta.content, pending = text or None, ""
                yield chunk
                continue
            keep = unfinished if unfinished != -1 else len(text)
            pending = text[keep:]
            choice.delta.content = text[:keep] or None
            if keep or choice.delta.role or choice.delta.tool_calls:
                yield chunk
        if pending and last is not None:  # a stream that ended without a finish chunk
            at = _first_stop(pending, stops)
            text = pending if at == -1 else pending[:at]
            if text:
                yield ChatChunk(
                    id=last.id, model=last.model, choices=[ChunkChoice(index=0, delta=Delta(content=text))]
                )
            if at != -1:
                yield _stop_chunk(last, 0)
    finally:
        aclose = getattr(chunks, "aclose", None)
        if aclose is not None:
            await aclose()


def _stop_chunk(like: ChatChunk, index: int) -> ChatChunk:
    return ChatChunk(
        id=like.id, model=like.model, choices=[ChunkChoice(index=index, delta=Delta(), finish_reason="stop")]
    )
