"""Cheap features of a chat request for the learned router: hashed n-grams of the instruction + shape.

Why these: the tier of a prompt is mostly decided by its instruction ("translate", "list only",
"how many ways", "what's the chance", "why does this hang") and by the shape of the request (a pasted
document, a code block, a one-liner with several numbers). Word uni/bigrams catch the phrasing, character
4-grams inside words catch stems across languages and inflections ("calcula", "wahrsch"), and a handful
of structural flags carry the shape. The pasted payload (see ``routing.instruction``) contributes only
its size and kind, never its words, which is what keeps a clinic note's "assessment" out of the score.

Features are hashed (CRC-32, stable across processes, unlike ``hash()``) into ``DIMENSIONS`` buckets,
so the model file is a dense weight matrix and inference is one gather and a sum. The per-word
n-grams are memoised, since vocabulary repeats across requests; extracting the features of a typical
prompt takes tens of microseconds.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Sequence

import msgspec

from ai_workers.core.types import ChatRequest, Message
from ai_workers.routing.complexity import TierDecision
from ai_workers.routing.instruction import InstructionSplit, split_instruction

DIMENSIONS = 1 << 18
_MASK = DIMENSIONS - 1
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[?%=^+*/<>`$€£]")
_DIGITS = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_MATH = re.compile(r"\d\s*[-+*/^×÷=<>]\s*\d|[√∑∫π≤≥≠]|\^|\bmod\b|\bP\(")
_HEAD_CHARS = 2000  # an instruction is short; cap the text scanned when the split found no payload
_MAX_INSTRUCTION_TOKENS = 160


def _index(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) & _MASK


@functools.lru_cache(maxsize=65536)
def _word_features(word: str) -> tuple[int, ...]:
    """A word's own bucket and its character 4-grams (with boundary marks), memoised."""
    if _DIGITS.search(word):
        return (_index("w:<num>"),)
    out = [_index("w:" + word)]
    padded = f"<{word}>"
    if len(padded) > 4:
        out.extend(_index("c:" + padded[i : i + 4]) for i in range(len(padded) - 3))
    return tuple(out)


def _bucket(value: float, edges: Sequence[float]) -> int:
    for i, edge in enumerate(edges):
        if value < edge:
            return i
    return len(edges)


def _last_user(messages: Sequence[Message]) -> Message | None:
    for message in reversed(messages):
        if message.role == "user":
            return message
    return None


def instruction_of(request: ChatRequest) -> tuple[str, InstructionSplit]:
    """The last user message's text and its instruction/payload split."""
    last = _last_user(request.messages)
    text = last.text() if last is not None else ""
    return text, split_instruction(text)


def instruction_request(request: ChatRequest, instruction: str) -> ChatRequest:
    """The request with its last user message replaced by the instruction alone (for the heuristics)."""
    messages = list(request.messages)
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].role == "user":
            messages[i] = Message(role="user", content=instruction)
            break
    return msgspec.structs.replace(request, messages=messages)


def extract(
    request: ChatRequest, split: InstructionSplit | None = None, cues: TierDecision | None = None
) -> list[int]:
    """Bucket indices of the request's features (with repeats; each counts once per occurrence).

    ``cues``: the heuristic router's verdict on the instruction alone; its cue names and score band
    become features, so the model can lean on hand-written knowledge where the data is thin.
    """
    found = instruction_of(request)[1] if split is None else split
    instruction = found.instruction[:_HEAD_CHARS].lower()
    tokens = [m.group(0) for m in _TOKEN.finditer(instruction)][:_MAX_INSTRUCTION_TOKENS]

    out: list[int] = []
    previous = "<s>"
    for token in tokens:
        out.extend(_word_features(token))
        word = "<num>" if _DIGITS.search(token) else token
        out.append(_index(f"b:{previous} {word}"))
        previous = word
    out.append(_index(f"b:{previous} </s>"))
    if tokens:
        out.append(_index("f:" + tokens[0]))
        if len(tokens) > 1:
            out.append(_index(f"f2:{tokens[0]} {tokens[1]}"))

    # Shape: how long the ask is, how many numbers and operators it holds, what was pasted with it.
    numbers = len(_NUMBER.findall(instruction))
    shape = [
        f"len:{_bucket(len(tokens), (3, 6, 10, 16, 25, 40, 70))}",
        f"nums:{_bucket(numbers, (1, 2, 3, 5))}",
        f"payload:{_bucket(found.payload_chars, (1, 200, 800, 3000))}",
        f"sentences:{_bucket(instruction.count('.') + instruction.count('?'), (1, 2, 3, 5))}",
    ]
    if _MATH.search(instruction):
        shape.append("math-op")
    if found.code_blocks:
        shape.append("code-block")
    if found.quotes:
        shape.append("quoted")
    if found.document:
        shape.append("document")
    if "?" in instruction:
        shape.append("question")
    turns = sum(1 for m in request.messages if m.role in ("user", "assistant"))
    shape.append(f"turns:{_bucket(turns, (2, 4, 8, 12))}")
    if request.tools:
        shape.append("tools")
    if any(m.has_image() for m in request.messages):
        shape.append("image")
    if cues is not None:
        shape.extend("h:" + reason for reason in cues.reasons)
        shape.append(f"hs:{_bucket(cues.score, (0.0, 1.0, 1.5, 2.5, 4.0, 5.5))}")
    out.extend(_index("s:" + name) for name in shape)
    out.append(_index("bias"))
    return out


def scale(count: int) -> float:
    """The value of each feature occurrence: 1/sqrt(n) keeps long and short prompts comparable."""
    return 1.0 / math.sqrt(max(count, 1))
