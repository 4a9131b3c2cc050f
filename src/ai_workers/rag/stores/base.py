"""The interface every chunk store implements (``factory.open_store`` picks one from a URL).

A store keeps collections (scoped by app: the app name is part of every lookup, so one app can never
name another's collection), documents (with a content hash for skip-if-unchanged) and chunks with their
vectors. It answers dense nearest-neighbour queries itself (numpy in-process, or pgvector's HNSW) and
hands the lexical index the chunk texts it needs (``lexical_corpus``), versioned so caches know when to
rebuild.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ai_workers.rag.types import Collection, DocumentInfo, StoredChunk


@dataclass(slots=True, frozen=True)
class NewChunk:
    text: str
    indexed_text: str
    headings: tuple[str, ...]
    page: int | None
    page_end: int | None
    start: int
    end: int
    vector: list[float]


class ChunkStore(abc.ABC):
    @abc.abstractmethod
    async def open(self) -> None:
        """Create tables if needed."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def get_collection(self, app: str, name: str) -> Collection | None: ...

    @abc.abstractmethod
    async def create_collection(
        self, app: str, name: str, embedding_model: str, dimensions: int
    ) -> Collection:
        """Create the collection, or return the existing one (the caller checks its model)."""

    @abc.abstractmethod
    async def list_collections(self, app: str) -> list[Collection]: ...

    @abc.abstractmethod
    async def embedding_models(self) -> list[str]:
        """The embedding models of every collection, all apps together (to load them at start)."""

    @abc.abstractmethod
    async def drop_collection(self, collection: Collection) -> None: ...

    @abc.abstractmethod
    async def find_document(self, collection: Collection, source: str) -> DocumentInfo | None: ...

    @abc.abstractmethod
    async def put_document(self, collection: Collection, info: DocumentInfo, chunks: list[NewChunk]) -> None:
        """Insert the document, atomically replacing any document with the same source."""

    @abc.abstractmethod
    async def list_documents(self, collection: Collection) -> list[DocumentInfo]: ...

    @abc.abstractmethod
    async def delete_document(self, collection: Collection, document_id: str) -> bool: ...

    @abc.abstractmethod
    async def version(self, collection: Collection) -> int:
        """A number that changes whenever the collection's chunks change (cache key for indexes)."""

    @abc.abstractmethod
    async def dense_search(
        self, collection: Collection, vector: list[float], k: int, document_ids: list[str] | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` nearest chunks as (chunk id, cosine similarity), best first."""

    @abc.abstractmethod
    async def lexical_corpus(self, collection: Collection) -> tuple[list[int], list[str], list[str]]:
        """Every chunk's (ids, document ids, indexed texts), for building the BM25 index."""

    @abc.abstractmethod
    async def get_chunks(self, ids: list[int]) -> dict[int, StoredChunk]: ...

    async def vectors(self, collection: Collection, ids: list[int]) -> dict[int, list[float]]:
        """The stored (unit) vectors of these chunks, for reranking candidates that BM25 alone found
        without embedding their text again. A store that cannot answer returns {} (the local reranker
        then scores those candidates by their terms alone)."""
        return {}


def stored_chunk(row: Sequence[Any]) -> StoredChunk:
    """A ``StoredChunk`` from a ``get_chunks`` row, which both stores select in the same column order
    (id, document id, source, title, text, headings JSON, page, page end, start, end offsets)."""
    return StoredChunk(
        id=row[0],
        document_id=row[1],
        source=row[2],
        title=row[3],
        text=row[4],
        headings=tuple(json.loads(row[5])),
        page=row[6],
        page_end=row[7],
        start=row[8],
        end=row[9],
    )
