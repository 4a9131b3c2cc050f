"""Redaction that round-trips: typed placeholders out, originals back in (also across stream chunks).

A ``Vault`` lives for one request (in ``ctx.state``, never recorded). Because an app resends the whole
conversation each turn, numbering the identifiers in message order gives the same placeholder to the
same value in every message and every turn: ``John Smith`` is ``[NAME_1]`` wherever he appears.

The stream restorer buffers only a possible placeholder *prefix* (an unmatched ``[`` followed by
placeholder characters, at most ``MAX_PLACEHOLDER`` long); all other text is passed on immediately.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence

import msgspec

from ai_workers.core.types import ChatChunk, ChunkChoice, Delta, ToolCall
from ai_workers.safety.phi.spans import Span

PLACEHOLDER = re.compile(r"\[([A-Z][A-Z_]*?)_(\d{1,4})\]")
_PLACEHOLDER_SPLIT = re.compile(r"(\[[A-Z][A-Z_]*?_\d{1,4}\])")  # the same matches, one group
# The longest placeholder text we can emit, e.g. "[HEALTH_PLAN_9999]".
MAX_PLACEHOLDER = 20
_PARTIAL = re.compile(r"\[[A-Z_]*\d{0,4}\Z")


def _normalise(value: str) -> str:
    return " ".join(value.split()).casefold()


class Vault:
    """Placeholder <-> original mapping for one conversation."""

    def __init__(self) -> None:
        self._by_value: dict[tuple[str, str], str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._by_placeholder)

    def placeholder(self, kind: str, value: str) -> str:
        key = (kind, _normalise(value))
        found = self._by_value.get(key)
        if found is not None:
            return found
        n = self._counts.get(kind, 0) + 1
        self._counts[kind] = n
        token = f"[{kind}_{n}]"
        self._by_value[key] = token
        self._by_placeholder[token] = value
        return token

    def redact(self, text: str, spans: Sequence[Span]) -> str:
        """``text`` with each span replaced by its placeholder (spans sorted, non-overlapping)."""
        if not spans:
            return text
        parts: list[str] = []
        pos = 0
        for span in spans:
            parts.append(text[pos : span.start])
            parts.append(self.placeholder(span.type, text[span.start : span.end]))
            pos = span.end
        parts.append(text[pos:])
        return "".join(parts)

    def original(self, placeholder: str) -> str | None:
        return self._by_placeholder.get(placeholder)

    def restore(self, text: str) -> str:
        """Originals back in place of every placeholder this vault issued (others are left alone)."""
        if not self._by_placeholder or "[" not in text:
            return text
        # A split (placeholders at the odd indexes) and one lookup each: half the time of a ``sub``
        # that calls back into Python for every placeholder.
        parts = _PLACEHOLDER_SPLIT.split(text)
        originals = self._by_placeholder.get
        parts[1::2] = [originals(p, p) for p in parts[1::2]]
        return "".join(parts)


class StreamRestorer:
    """Restores placeholders in a text stream whose chunk boundaries may split a placeholder."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._held = ""

    def feed(self, piece: str) -> str:
        """The text that can be emitted now; a possible placeholder prefix at the end is held back."""
        text = self._held + piece
        self._held = ""
        cut = text.rfind("[")
        if cut != -1 and len(text) - cut < MAX_PLACEHOLDER and _PARTIAL.match(text, cut):
            self._held = text[cut:]
            text = text[:cut]
        return self.vault.restore(text)

    def flush(self) -> str:
        """What is still held at the end of the stream (an unfinished bracket is returned as is)."""
        held, self._held = self._held, ""
        return self.vault.restore(held)


def restore_tool_calls(calls: list[ToolCall] | None, vault: Vault) -> list[ToolCall] | None:
    """New tool calls with the vault's originals in their arguments (the given ones are left alone)."""
    if not calls:
        return calls
    out = []
    for call in calls:
        fn = call.function
        if fn is not None and fn.arguments:
            call = msgspec.structs.replace(
                call, function=msgspec.structs.replace(fn, arguments=vault.restore(fn.arguments))
            )
        out.append(call)
    return out


async def restore_stream(source: AsyncIterator[ChatChunk], vault: Vault) -> AsyncIterator[ChatChunk]:
    """Wrap a chat chunk stream so each choice's text has its placeholders restored.

    Each restored chunk is a new object: the chunks from ``source`` keep their placeholders, because
    stages inside this one may still hold them (the cache stage stores the redacted answer) and the
    originals belong to this request only.
    """
    restorers: dict[int, StreamRestorer] = {}
    last: ChatChunk | None = None
    async for chunk in source:
        last = chunk
        choices = []
        for choice in chunk.choices:
            restorer = restorers.get(choice.index)
            if restorer is None:
                restorer = restorers[choice.index] = StreamRestorer(vault)
            delta = choice.delta
            content = restorer.feed(delta.content) if delta.content else delta.content
            if choice.finish_reason is not None:
                tail = restorer.flush()
                if tail:
                    content = (content or "") + tail
            if content != delta.content or delta.tool_calls:
                delta = msgspec.structs.replace(
                    delta, content=content, tool_calls=restore_tool_calls(delta.tool_calls, vault)
                )
                choice = msgspec.structs.replace(choice, delta=delta)
            choices.append(choice)
        yield msgspec.structs.replace(chunk, choices=choices)
    # Upstream ended without a finish_reason on some choice: emit what is still held.
    tails = [(index, r.flush()) for index, r in restorers.items()]
    tails = [(index, t) for index, t in tails if t]
    if tails and last is not None:
        yield ChatChunk(
            id=last.id,
            model=last.model,
            created=last.created,
            choices=[ChunkChoice(index=i, delta=Delta(content=t)) for i, t in tails],
        )
