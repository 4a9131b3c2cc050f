"""A stand-in for a learned router (e.g. a RouteLLM-style embedding classifier) loaded from config."""

from __future__ import annotations

from typing import Any

from ai_workers.core.types import ChatRequest
from ai_workers.routing.complexity import TierDecision


class LengthRouter:
    """Everything over 20 characters is 'complex': trivially different from the heuristic."""

    def __init__(self, tiers: dict[str, Any]) -> None:
        self.tiers = list(tiers)

    def classify(self, request: ChatRequest) -> TierDecision:
        text = request.messages[-1].text()
        tier = self.tiers[-1] if len(text) > 20 else self.tiers[0]
        return TierDecision(
            tier=tier, score=float(len(text)), reasons=("length model",), input_tokens=len(text)
        )


def create_router(tiers: dict[str, Any]) -> LengthRouter:
    return LengthRouter(tiers)
