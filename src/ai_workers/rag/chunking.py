"""Split a parsed document into chunks that follow its structure, to a token budget, with overlap.

Rules, in order: a chunk never spans two sections (a heading starts a new chunk, so a citation's heading
is exact) nor two pages of a paged format (so a citation's page is exact); paragraphs are packed whole
while they fit; a paragraph larger than the budget is split at sentence ends, and a sentence larger
than the budget at word boundaries. Consecutive chunks of one section (and page) share ``overlap``
tokens of trailing sentences so an answer straddling a cut is still found.

Tokens are estimated as characters / 4 (the usual English ratio for WordPiece/BPE vocabularies) instead
of running the embedding model's tokenizer: chunking then costs microseconds, and the budget's default
(200) leaves head-room under the 256-token limit of all-MiniLM-L6-v2.
"""

from __future__ import annotations

import re

from ai_workers.rag.types import Block, Chunk, ParsedDocument

CHARS_PER_TOKEN = 4
BLOCK_SEPARATOR = "\n\n"
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=\S)")


def estimate_tokens(text: str) -> int:
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def document_text(doc: ParsedDocument) -> str:
    """The text character offsets refer to: blocks joined by blank lines."""
    return BLOCK_SEPARATOR.join(block.text for block in doc.blocks)


def _split_long(text: str, budget_chars: int) -> list[str]:
    """Sentences (or word runs for an over-long sentence), each within the budget."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) <= budget_chars:
            pieces.append(sentence)
            continue
        words = sentence.split(" ")
        current = ""
        for word in words:
            if current and len(current) + 1 + len(word) > budget_chars:
                pieces.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        if current:
            pieces.append(current)
    return [p for p in pieces if p.strip()]


class _Piece:
    __slots__ = ("end", "page", "start", "text")

    def __init__(self, text: str, start: int, end: int, page: int | None) -> None:
        self.text, self.start, self.end, self.page = text, start, end, page


def chunk_document(doc: ParsedDocument, *, max_tokens: int = 200, overlap_tokens: int = 40) -> list[Chunk]:
    budget = max(16, max_tokens) * CHARS_PER_TOKEN
    overlap = max(0, min(overlap_tokens, max_tokens // 2)) * CHARS_PER_TOKEN
    chunks: list[Chunk] = []

    # Group blocks into sections (same heading path), tracking each block's offset in document_text().
    sections: list[tuple[tuple[str, ...], list[tuple[Block, int]]]] = []
    offset = 0
    for block in doc.blocks:
        if block.is_heading or not sections or sections[-1][0] != block.headings:
            sections.append((block.headings, []))
        if not block.is_heading:
            sections[-1][1].append((block, offset))
        offset += len(block.text) + len(BLOCK_SEPARATOR)

    for headings, blocks in sections:
        pieces: list[_Piece] = []
        for block, start in blocks:
            if len(block.text) <= budget:
                pieces.append(_Piece(block.text, start, start + len(block.text), block.page))
                continue
            cursor = start
            for part in _split_long(block.text, budget):
                found = block.text.find(part, cursor - start)
                doc_offset = start + found if found >= 0 else cursor
                pieces.append(_Piece(part, doc_offset, doc_offset + len(part), block.page))
                cursor = doc_offset + len(part)
        current: list[_Piece] = []
        size = 0
        for piece in pieces:
            new_page = bool(current) and piece.page != current[-1].page
            if current and (new_page or size + len(piece.text) + 2 > budget):
                chunks.append(_make_chunk(current, headings, len(chunks)))
                # Carry trailing pieces (whole sentences or paragraphs) up to the overlap budget.
                carried: list[_Piece] = []
                carried_size = 0
                for prev in reversed(current):
                    if carried_size + len(prev.text) > overlap:
                        break
                    carried.insert(0, prev)
                    carried_size += len(prev.text) + 2
                if new_page or carried_size + len(piece.text) + 2 > budget:
                    carried, carried_size = [], 0
                current, size = carried, carried_size
            current.append(piece)
            size += len(piece.text) + 2
        if current:
            chunks.append(_make_chunk(current, headings, len(chunks)))
    return chunks


def _make_chunk(pieces: list[_Piece], headings: tuple[str, ...], ordinal: int) -> Chunk:
    pages = [p.page for p in pieces if p.page is not None]
    return Chunk(
        text="\n\n".join(p.text for p in pieces),
        headings=headings,
        page=pages[0] if pages else None,
        page_end=pages[-1] if pages else None,
        start=pieces[0].start,
        end=pieces[-1].end,
        ordinal=ordinal,
    )


def indexed_text(title: str, headings: tuple[str, ...] | list[str], text: str) -> str:
    """What BM25 and the embedding model see: the chunk with its title and heading path in front.

    Headings carry most of a passage's topic (a paragraph under "json.dumps" rarely repeats the name),
    so prefixing them lifts both lexical and dense recall.
    """
    path = [title, *[h for h in headings if h != title]]
    return " > ".join(path) + "\n" + text
