"""Separate what the user asks from the material pasted for it.

"List only the allergies" followed by a 400-word clinic note is an easy request: the note's numbers,
headings and "assessment" say nothing about how hard the task is. The router therefore scores the
*instruction* and only counts the *payload* (code blocks, quoted text, pasted documents, transcripts,
tables) for context length and cost.

The split is structural, not linguistic, so it works the same in every language:

* fenced code blocks (```` ``` ````) are payload;
* quoted spans of three or more words (``"..."``, ``'...'``, ``“...”``, ``«...»``) are payload: a
  sentence to translate that mentions "strategy" and "risk analysis" is material, not the task;
* a message of several blank-line separated paragraphs keeps its short leading (and trailing)
  paragraphs as the instruction and treats the long middle as the pasted document; lines that look like
  a table, log or key-value dump (``|``, tabs, ``key: value``) are payload wherever they are.

Everything is linear-time string work (a few C-level splits and one regex), well under 0.1 ms for a
prompt of a few thousand characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An instruction paragraph is short; a pasted document's paragraphs usually are not.
_INSTRUCTION_WORDS = 60
_QUOTE = re.compile(
    r"\"([^\"\n]{12,})\"|“([^”]{12,})”|«([^»]{12,})»|„([^“”]{12,})[“”]|(?<![a-z])'([^'\n]{12,}?)'(?![a-z])",
    re.IGNORECASE,
)
_FENCE = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_PARAGRAPH = re.compile(r"\n\s*\n")
# "Patient: ...", "From: ...", "Agent: ...": a labelled line opens pasted material, not an instruction.
_LABEL = re.compile(r"^\s*[^\W\d][\w .'/-]{0,24}:[ \t]+\S")
QUOTE_MARK = " qqquote "  # stands in for removed quoted material: "translate <quote>" is a feature
CODE_MARK = " qqcode "
DOC_MARK = " qqdoc "


@dataclass(frozen=True, slots=True)
class InstructionSplit:
    """The instruction text to score, and what was set aside as payload (sizes only)."""

    instruction: str
    payload_chars: int = 0
    code_blocks: int = 0
    quotes: int = 0
    document: bool = False

    @property
    def has_payload(self) -> bool:
        return self.payload_chars > 0


def _words(text: str) -> int:
    """Size in words; for data without spaces (CSV, logs) about six characters count as one word."""
    return max(len(text.split()), len(text) // 6)


def _looks_like_data(paragraph: str) -> bool:
    """A table, log, list of readings or key-value dump: several lines, most with separators."""
    lines = [line for line in paragraph.splitlines() if line.strip()]
    if len(lines) < 3:
        return False
    marked = sum(
        1 for line in lines if "|" in line or "\t" in line or re.match(r"^\s*[\w .()/-]{1,30}:\s", line)
    )
    return marked >= 0.6 * len(lines)


def split_instruction(text: str) -> InstructionSplit:
    """Split one user message into its instruction and its payload (see the module docstring)."""
    payload = 0
    code_blocks = 0
    quotes = 0
    document = False

    if "```" in text:

        def _code(match: re.Match[str]) -> str:
            nonlocal payload, code_blocks
            payload += len(match.group(0))
            code_blocks += 1
            return CODE_MARK

        text = _FENCE.sub(_code, text)

    paragraphs = [p for p in _PARAGRAPH.split(text) if p.strip()]
    if len(paragraphs) > 1 and _words(text) > _INSTRUCTION_WORDS:
        # The ask is the opening paragraph when it is short ("Translate this notice to French."), and/or
        # a short closing one ("Which of these is overdue?"); everything else is the pasted material.
        keep: list[str] = []
        first, last = paragraphs[0], paragraphs[-1]
        head = _words(first) <= _INSTRUCTION_WORDS and not _looks_like_data(first) and not _LABEL.match(first)
        tail = (
            _words(last) <= _INSTRUCTION_WORDS // 2
            and not _looks_like_data(last)
            and not _LABEL.match(last)
            and (len(paragraphs) > 2 or not head)
        )
        if head:
            keep.append(first)
        if tail:
            keep.append(last)
        if not keep:
            # Material first and no short closing line, or "Fix the typos: <text>": the first sentence
            # (up to a colon) is the ask.
            cut = re.search(r"[.?!:]\s", first)
            keep = [first[: cut.end()] if cut and cut.end() < 400 else first[:200]]
        payload += len(text) - sum(len(k) for k in keep)
        document = True
        text = "\n\n".join(keep) + DOC_MARK
    elif len(paragraphs) == 1 and _words(text) > 2 * _INSTRUCTION_WORDS:
        # One long paragraph: an ask followed by a colon and the material ("Fix the typos: ...").
        colon = text.find(":", 0, 300)
        if colon > 0:
            payload += len(text) - colon - 1
            document = True
            text = text[: colon + 1] + DOC_MARK

    if '"' in text or "'" in text or "“" in text or "«" in text or "„" in text:

        def _quote(match: re.Match[str]) -> str:
            nonlocal payload, quotes
            inner = next(g for g in match.groups() if g is not None)
            if len(inner.split()) < 3:
                return match.group(0)
            payload += len(inner)
            quotes += 1
            return QUOTE_MARK

        text = _QUOTE.sub(_quote, text)

    return InstructionSplit(
        instruction=text.strip(),
        payload_chars=max(payload, 0),
        code_blocks=code_blocks,
        quotes=quotes,
        document=document,
    )
