"""The built-in ("local") reranker: reorders the fused candidates by evidence already at hand, with no
model forward pass, so it costs about a millisecond.

Why not a neural model: no cross-encoder ships its weights inside a PyPI package (the package index
was searched for bundled ms-marco/MiniLM cross-encoders; the rerank packages found all fetch weights
from a model hub at run time, which this project cannot rely on). The earlier stand-in re-encoded each
candidate and its sentences with the bi-encoder: on 2 CPU cores that is seconds per question, and for
the whole passage it only re-derives the dense score the store already holds.

Signals per candidate:
- dense: cosine of the question's vector and the chunk's stored vector, for every candidate (the
  dense list only scored its own hits; a chunk BM25 alone found had no semantic score);
- text: share of the question's terms found in the chunk's own text (not its headings), which favours
  the passage that states the answer over one that only sits under a matching heading.
``score = dense + TEXT_WEIGHT * text``; the service then fuses this ranking with the hybrid one
(``rag.rerank_weight``). Terms are the lexical index's (stemmed, stop words out, compound identifiers
split), so "serialize" matches "serializes" and "default factory" matches ``default_factory``.

Measured on bench/rag_eval.py (choices made on the tuning questions, checked on the held-out ones):
TEXT_WEIGHT 0.1-0.4 all beat plain hybrid on both sets (0.2 best on the tuning set); a heading-match
signal was tried and dropped: BM25 already sees the headings, and it cut held-out MRR@10 from 0.71 to
0.58.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ai_workers.rag.types import StoredChunk

LOCAL_MODEL = "local"
TEXT_WEIGHT = 0.2


def cosines(query_vector: Sequence[float], vectors: dict[int, list[float]]) -> dict[int, float]:
    """Cosine of the question's vector with each stored (unit) chunk vector, by chunk id."""
    import numpy as np  # here, not at import: chat-only servers never load it

    if not vectors:
        return {}
    query = np.asarray(query_vector, dtype=np.float32)
    query /= float(np.linalg.norm(query)) or 1.0
    ids = list(vectors)
    values = np.asarray([vectors[i] for i in ids], dtype=np.float32) @ query
    return dict(zip(ids, values.tolist(), strict=True))


def score(
    question_terms: set[str],
    dense: dict[int, float],
    chunks: list[StoredChunk],
    terms: Callable[[list[str]], list[set[str]]],
) -> list[float]:
    """One score per chunk (higher is better), in the order given. ``dense``: each chunk's cosine with
    the question (``cosines``); a chunk without one is scored on its terms alone."""
    texts = terms([c.text for c in chunks])
    scores: list[float] = []
    for chunk, text_terms in zip(chunks, texts, strict=True):
        text = len(question_terms & text_terms) / len(question_terms) if question_terms else 0.0
        scores.append(dense.get(chunk.id, 0.0) + TEXT_WEIGHT * text)
    return scores
