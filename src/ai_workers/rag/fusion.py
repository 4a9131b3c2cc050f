"""Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009).

RRF adds ``weight / (k + rank)`` over the ranked lists a document appears in. It needs no score
calibration between BM25 (unbounded) and cosine similarity ([-1, 1]), which is why it is the usual
way to fuse lexical and dense retrieval; ``k = 60`` is the paper's constant.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def rrf(
    rankings: Sequence[Sequence[K]], *, k: int = 60, weights: Sequence[float] | None = None
) -> dict[K, float]:
    """Fused score per item, from lists ordered best first."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores
