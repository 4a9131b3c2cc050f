"""BM25 over a collection's chunks with ``bm25s``, built in a worker thread and cached per version.

bm25s precomputes every (term, document) score into a sparse matrix at index time, so a query is a
handful of sparse row sums: about a millisecond at 10,000 chunks. The index is rebuilt only when the
store reports a new collection version (an ingest or delete happened).

Stemming (Snowball, via PyStemmer) is used when installed, so "serialize" finds "serializes".

Tokens: bm25s's word pattern, plus the parts of compound identifiers (``default_factory`` also indexes
``default`` and ``factory``; ``JSONDecoder`` also ``json`` and ``decoder``), so prose finds code names and
code names find prose. Stop words are a full English list with the question words in it: bm25s's own
33 words keep "how", "do", "what", which match every "How do I ...?" heading of an FAQ page and pulled
FAQ pages up for any question phrased that way.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from ai_workers.rag.stores.base import ChunkStore
from ai_workers.rag.types import Collection

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can cannot could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself let me more
    most my myself no nor not of off on once only or other ought our ours ourselves out over own same
    shall she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves""".split()  # noqa: SIM905
)
_COMPOUND = re.compile(r"\b(?=\w*(?:[a-z][A-Z]|[A-Za-z0-9]_[A-Za-z0-9]))\w+\b")
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def split_identifiers(text: str) -> str:
    """``text`` with each compound identifier followed by its parts (see the module docstring)."""

    def expand(match: re.Match[str]) -> str:
        word = match.group(0)
        parts = [p for chunk in word.split("_") for p in _CAMEL_PART.findall(chunk)]
        return word + " " + " ".join(parts) if len(parts) > 1 else word

    return _COMPOUND.sub(expand, text)


def _stemmer() -> Any:
    try:
        import Stemmer  # PyStemmer
    except ImportError:
        return None
    return Stemmer.Stemmer("english")


class _Index:
    __slots__ = ("doc_ids", "ids", "retriever", "version")

    def __init__(self, version: int, ids: list[int], doc_ids: list[str], retriever: Any) -> None:
        self.version, self.ids, self.doc_ids, self.retriever = version, ids, doc_ids, retriever


class LexicalIndex:
    """One BM25 index per collection of one store."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self._stemmer = _stemmer()
        self._indexes: dict[int, _Index] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def _tokenize(self, texts: list[str], *, ids: bool) -> Any:
        import bm25s

        return bm25s.tokenize(
            [split_identifiers(t) for t in texts],
            stopwords=list(STOPWORDS),
            stemmer=self._stemmer,
            show_progress=False,
            return_ids=ids,
        )

    def terms(self, texts: list[str]) -> list[set[str]]:
        """The distinct index terms of each text (what a query or a chunk is matched on)."""
        return [set(tokens) for tokens in self._tokenize(texts, ids=False)] if texts else []

    def _build(self, texts: list[str]) -> Any:
        import bm25s

        retriever = bm25s.BM25()
        if texts:
            retriever.index(self._tokenize(texts, ids=True), show_progress=False)
        return retriever

    async def _index(self, collection: Collection) -> _Index:
        version = await self.store.version(collection)
        index = self._indexes.get(collection.id)
        if index is not None and index.version == version:
            return index
        lock = self._locks.setdefault(collection.id, asyncio.Lock())
        async with lock:
            index = self._indexes.get(collection.id)
            if index is not None and index.version == version:
                return index
            ids, doc_ids, texts = await self.store.lexical_corpus(collection)
            retriever = await asyncio.to_thread(self._build, texts)
            index = _Index(version, ids, doc_ids, retriever)
            self._indexes[collection.id] = index
            return index

    async def search(
        self, collection: Collection, query: str, k: int, document_ids: list[str] | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` best chunks as (chunk id, BM25 score), best first; only positive scores."""
        import numpy as np  # here, not at import: chat-only servers never load it

        index = await self._index(collection)
        if not index.ids:
            return []
        tokens = self._tokenize([query], ids=False)[0]
        if not tokens:
            return []
        scores = np.asarray(index.retriever.get_scores(tokens), dtype=np.float32)
        if document_ids is not None:
            wanted = set(document_ids)
            mask = np.fromiter((d in wanted for d in index.doc_ids), dtype=bool, count=len(index.doc_ids))
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(index.ids[i], float(scores[i])) for i in top if scores[i] > 0]
