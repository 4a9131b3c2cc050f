"""Values the RAG package passes around: parsed documents, chunks, hits and answers.

Plain msgspec structs (no I/O) so the HTTP layer, the CLI's ``--json`` and the library return the same
shapes without a translation layer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec

# -- callables the service is given (wired to the gateway's own paths by rag.gateway_calls) -----------

Embed = Callable[[list[str], str], Awaitable[tuple[list[list[float]], float]]]
"""``await embed(texts, model) -> (unit vectors, cost_usd)``."""

Rerank = Callable[[str, list[str], str], Awaitable[tuple[list[float], float]]]
"""``await rerank(query, passages, model) -> (one relevance score per passage, cost_usd)``."""

Chat = Callable[[str, str, str], Awaitable[tuple[str, float, str | None]]]
"""``await chat(system_prompt, user_prompt, model) -> (answer text, cost_usd, provider that answered)``."""


# -- parsing and chunking -----------------------------------------------------------------------------


class Block(msgspec.Struct, frozen=True):
    """One structural unit of a document: a heading, a paragraph, a list item, a code block."""

    text: str
    headings: tuple[str, ...] = ()  # the heading path this block sits under
    page: int | None = None  # 1-based page for paged formats (PDF)
    is_heading: bool = False


class ParsedDocument(msgspec.Struct):
    source: str  # file name or path as the user gave it
    title: str
    blocks: list[Block]
    pages: int = 1
    kind: str = "text"  # text, markdown, html, pdf, docx


class Chunk(msgspec.Struct, frozen=True):
    text: str
    headings: tuple[str, ...]
    page: int | None
    page_end: int | None
    start: int  # character offsets into the document's extracted text
    end: int
    ordinal: int


# -- stores -------------------------------------------------------------------------------------------


class Collection(msgspec.Struct, frozen=True):
    id: int
    app: str
    name: str
    embedding_model: str
    dimensions: int
    version: int = 0


class DocumentInfo(msgspec.Struct, omit_defaults=True):
    id: str
    collection: str
    source: str
    title: str
    content_hash: str
    kind: str
    pages: int
    chunks: int
    bytes: int
    updated_at: float


class StoredChunk(msgspec.Struct, frozen=True):
    id: int
    document_id: str
    source: str
    title: str
    text: str
    headings: tuple[str, ...]
    page: int | None
    page_end: int | None
    start: int
    end: int


# -- results ------------------------------------------------------------------------------------------


class IngestItem(msgspec.Struct, omit_defaults=True):
    """What happened to one file: ``added``, ``replaced``, ``skipped`` (unchanged) or ``failed``."""

    source: str
    status: str
    document_id: str | None = None
    chunks: int = 0
    pages: int = 0
    error: str | None = None


class StepCost(msgspec.Struct, omit_defaults=True):
    ms: float
    cost_usd: float = 0.0
    model: str | None = None
    detail: str | None = None
    provider: str | None = None


class IngestReport(msgspec.Struct):
    collection: str
    items: list[IngestItem]
    steps: dict[str, StepCost]

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)


class Source(msgspec.Struct, omit_defaults=True):
    """One ranked passage. ``n`` is the number the answer cites it by ([n])."""

    n: int
    chunk_id: int
    document_id: str
    source: str
    title: str
    headings: list[str]
    page: int | None
    text: str
    score: float  # the final ranking score (rerank score when reranked, else fused RRF score)
    scores: dict[str, float]  # per signal: bm25, dense, rrf, rerank


class Citation(msgspec.Struct, omit_defaults=True):
    n: int
    source: str
    title: str
    heading: str
    page: int | None
    document_id: str


class Answer(msgspec.Struct, omit_defaults=True):
    """A query's result. ``cost``/``latency`` repeat ``cost_usd``/``latency_ms`` under the names the
    migration plan's API document and load test read; ``provider`` is where the answer ran (``local``
    for an extractive answer or none, computed in-process)."""

    question: str
    collection: str
    answer: str
    found: bool  # False: the documents do not contain the answer (the answer says so)
    mode: str  # "generative" or "extractive"
    citations: list[Citation]
    sources: list[Source]
    steps: dict[str, StepCost]
    # No defaults: omit_defaults would drop a $0 cost from the JSON, and clients read these fields.
    cost_usd: float
    latency_ms: float
    provider: str
    cost: float
    latency: float
    confidence: float | None = None
    note: str | None = None
