"""A learned complexity router: logistic regression over cheap instruction features, numpy-only.

Why: the hand-weighted ``HeuristicRouter`` agrees with the prompts it was tuned on but not with prompts
written independently (0.69 accuracy): it scores pasted material, reacts to hard-sounding vocabulary
and misses one-line maths. This router scores the *instruction* (``routing.instruction``) with a
multinomial logistic regression over hashed word/character n-grams and a few shape flags
(``routing.features``), trained on the blind training set by ``bench/train_router.py``, whose output
``ai_workers/data/router_model.npz`` ships in the package.

Tiers are ordinal, so the decision is on the expected tier index E = P(medium) + 2·P(complex), which
leans towards the dearer tier when the model is unsure between simple and complex. E is mapped
piecewise-linearly onto the heuristic router's score scale (the trained cut points land on the
default ``max_score`` values 1.5 and 4.0), so the configured tier thresholds and their per-app
recalibration (``routing.recalibration``) mean the same thing for both routers.

Speed: feature extraction is a few regex passes over the instruction plus memoised per-word hashes;
inference is a gather of ~100-300 rows of a (2^18, 3) float32 matrix and a sum. Together well under a
millisecond (``bench/bench_router.py``). No embedding model is needed at run time.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ai_workers.core.types import ChatRequest
from ai_workers.routing.complexity import DEFAULT_THRESHOLDS, HeuristicRouter, TierDecision, request_shape
from ai_workers.routing.features import extract, instruction_of, instruction_request, scale
from ai_workers.routing.instruction import InstructionSplit

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "router_model.npz"
TIERS = ("simple", "medium", "complex")
_TOP = 6.0  # score given to E = 2 (certainly complex)


class LearnedRouter:
    """Route by the trained model; ``thresholds`` are the tiers' ``max_score`` values on the score scale."""

    def __init__(
        self,
        weights: np.ndarray,
        bias: np.ndarray,
        cuts: Sequence[float],
        tiers: Sequence[str] = TIERS,
        thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    ) -> None:
        if len(tiers) != len(thresholds) + 1 or list(thresholds) != sorted(thresholds):
            raise ValueError("need one ascending threshold between each pair of tiers")
        if weights.ndim != 2 or weights.shape[1] != len(TIERS):
            raise ValueError("the model must have one weight column per tier")
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.cuts = (float(cuts[0]), float(cuts[1]))
        self.tiers = tuple(tiers)
        self.thresholds = tuple(thresholds)
        self._heuristic = HeuristicRouter()

    @classmethod
    def load(
        cls,
        path: Path = MODEL_PATH,
        tiers: Sequence[str] = TIERS,
        thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    ) -> LearnedRouter:
        weights, bias, cuts = _read(path)
        return cls(weights, bias, cuts, tiers, thresholds)

    @staticmethod
    def features(request: ChatRequest, heuristic: HeuristicRouter) -> list[int]:
        """Hashed features of the request, the heuristic cues of its instruction among them."""
        return LearnedRouter._features(request, heuristic)[0]

    @staticmethod
    def _features(
        request: ChatRequest, heuristic: HeuristicRouter
    ) -> tuple[list[int], InstructionSplit, TierDecision]:
        _, split = instruction_of(request)
        cues = heuristic.classify(instruction_request(request, split.instruction))
        return extract(request, split, cues), split, cues

    def probabilities(self, request: ChatRequest) -> tuple[np.ndarray, InstructionSplit, TierDecision]:
        """P(simple), P(medium), P(complex) for the request, its instruction split and heuristic cues."""
        indices, split, cues = self._features(request, self._heuristic)
        logits = self.weights[indices].sum(axis=0, dtype=np.float64) * scale(len(indices)) + self.bias
        logits -= logits.max()
        p = np.exp(logits)
        return p / p.sum(), split, cues

    def score(self, expected: float) -> float:
        """Map the expected tier index (0..2) onto the score scale: the cut points land on 1.5 and 4.0."""
        low, high = self.cuts
        first, second = DEFAULT_THRESHOLDS
        if expected < low:
            return first * expected / low
        if expected < high:
            return first + (second - first) * (expected - low) / (high - low)
        return second + (_TOP - second) * (expected - high) / max(2.0 - high, 1e-6)

    def classify(self, request: ChatRequest) -> TierDecision:
        p, split, cues = self.probabilities(request)
        expected = float(p[1] + 2 * p[2])
        score = self.score(expected)
        needs, input_tokens, output_tokens = request_shape(request)
        tier = self.tiers[-1]
        for name, bound in zip(self.tiers, self.thresholds, strict=False):
            if score < bound:
                tier = name
                break
        reasons = [f"learned p={p[0]:.2f}/{p[1]:.2f}/{p[2]:.2f}"]
        reasons.extend(cues.reasons)
        if split.payload_chars:
            reasons.append(f"payload {split.payload_chars} chars not scored")
        return TierDecision(
            tier=tier,
            score=round(score, 3),
            reasons=tuple(reasons),
            needs=needs,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
        )


@functools.lru_cache(maxsize=4)
def _read(path: Path) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """The model file, read once per process (every app's router shares the same weights)."""
    with np.load(path) as data:
        weights = data["weights"].astype(np.float32)
        bias = data["bias"].astype(np.float64)
        cuts = data["cuts"].astype(np.float64)
    if not (0 < cuts[0] < cuts[1] < 2) or not all(math.isfinite(float(c)) for c in cuts):
        raise ValueError(f"{path}: invalid cut points {cuts!r}")
    return weights, bias, (float(cuts[0]), float(cuts[1]))


def create_router(tiers: dict[str, Any]) -> LearnedRouter:
    """Factory for ``routing.router: learned`` (or ``ai_workers.routing.learned:create_router``)."""
    names = list(tiers)
    bounds = [t.max_score for t in tiers.values()][:-1]
    return LearnedRouter.load(MODEL_PATH, names, [float(b) for b in bounds if b is not None])
