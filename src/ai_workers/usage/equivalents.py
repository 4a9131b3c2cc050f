"""What the same traffic would have cost on OpenAI: each capability's OpenAI equivalent, and the
largest opportunities to spend less. Pure functions over catalog prices (no database), so the savings
report, the CLI and ``/api/savings`` all price the traffic the same way.

Equivalents (the plan's "all-OpenAI" comparison):

* chat: the baseline chat model (``gpt-4o`` unless the caller names another), token for token;
* embeddings: ``text-embedding-3-small``, the same input tokens;
* speech-to-text: ``whisper-1``, the same audio minutes;
* text-to-speech: ``tts-1``, the same characters (a record without a character count is converted from
  its audio minutes at ``SPEECH_CHARS_PER_MINUTE``);
* rerank: OpenAI has no rerank endpoint. The stated equivalent is embedding the query and every
  candidate document with ``text-embedding-3-small`` (the same input tokens): the cheapest way to rank
  passages with OpenAI alone. It is a floor, not a like-for-like model; the report says so.

Safety (Llama Guard) and moderation are not compared: OpenAI's moderation endpoint is free, and the
gateway runs these checks for its own policy, not as the app's traffic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ai_workers.core.catalog import QUALITY_ORDER, ModelCatalog, ModelSpec
from ai_workers.core.types import Capability, Usage
from ai_workers.usage.pricing import SPEECH_CHARS_PER_MINUTE, price, usd_for_tokens

EQUIVALENTS: dict[str, str] = {
    Capability.EMBEDDINGS.value: "text-embedding-3-small",
    Capability.TRANSCRIPTION.value: "whisper-1",
    Capability.SPEECH.value: "tts-1",
    Capability.RERANK.value: "text-embedding-3-small",
}
EQUIVALENT_NOTES = {
    Capability.RERANK.value: "OpenAI has no rerank API: priced as embedding the query and documents "
    "with text-embedding-3-small (same input tokens), a floor rather than a like-for-like model",
    Capability.SPEECH.value: "tts-1 per character (records without a character count: "
    f"{SPEECH_CHARS_PER_MINUTE} characters per audio minute)",
}
MONTH_DAYS = 30
YEAR_DAYS = 365


def equivalent_model(capability: str, baseline: ModelSpec) -> str | None:
    """The OpenAI model this capability's traffic is priced on, or None when it is not compared."""
    if capability == Capability.CHAT.value:
        return baseline.name
    return EQUIVALENTS.get(capability)


def equivalent_usd(
    catalog: ModelCatalog,
    spec: ModelSpec,
    input_tokens: float,
    output_tokens: float,
    units: Mapping[str, float],
) -> float:
    """The equivalent model's list price for this traffic (its cheapest deployment)."""
    if spec.capability == Capability.SPEECH and "characters" not in units:
        units = {**units, "characters": units.get("audio_minutes", 0.0) * SPEECH_CHARS_PER_MINUTE}
    if spec.capability in (Capability.CHAT, Capability.EMBEDDINGS):
        return usd_for_tokens(catalog, spec, input_tokens, output_tokens)
    usage = Usage(prompt_tokens=int(input_tokens), completion_tokens=int(output_tokens))
    costs = [price(catalog, deployment, usage, units)[0] for deployment in spec.deployments]
    return min(costs, default=0.0)


@dataclass(slots=True)
class ChatGroup:
    """One app's chat traffic on one model at one routing tier (None: the model was named)."""

    app: str
    tier: str | None
    model: str
    requests: int
    input_tokens: int
    output_tokens: int
    cost_usd: float


@dataclass(slots=True)
class Opportunity:
    app: str
    tier: str | None
    model: str
    alternative: str
    requests: int
    current_usd: float
    alternative_usd: float
    saved_usd: float

    def text(self) -> str:
        traffic = f"{self.tier}-tier traffic" if self.tier else "traffic"
        return (
            f"app {self.app}: {traffic} on {self.model} ({self.requests} requests) cost "
            f"${self.current_usd:.6f}; the same tokens on {self.alternative} (quality "
            f"{'meets' if self.tier else 'at least'} that tier) would cost ${self.alternative_usd:.6f}, "
            f"${self.saved_usd:.6f} less"
        )


def opportunities(catalog: ModelCatalog, groups: list[ChatGroup], limit: int = 3) -> list[Opportunity]:
    """The ``limit`` largest savings from moving one app's chat traffic (per tier) to the cheapest
    routable model whose quality serves that tier (a named model's own quality when no tier was
    routed). Alternatives are priced at list price; current traffic at what it was billed."""
    candidates = [s for s in catalog.by_capability(Capability.CHAT) if s.auto_routing]
    found: list[Opportunity] = []
    for group in groups:
        if group.requests == 0 or (group.input_tokens + group.output_tokens) == 0:
            continue
        spec = catalog.find(group.model)
        need = QUALITY_ORDER.get(group.tier or "", spec.quality_rank if spec is not None else 0)
        best: tuple[float, str] | None = None
        for other in candidates:
            if other.name == group.model or other.quality_rank < need:
                continue
            usd = usd_for_tokens(catalog, other, group.input_tokens, group.output_tokens)
            if best is None or usd < best[0]:
                best = (usd, other.name)
        if best is None or best[0] >= group.cost_usd:
            continue
        found.append(
            Opportunity(
                app=group.app,
                tier=group.tier,
                model=group.model,
                alternative=best[1],
                requests=group.requests,
                current_usd=round(group.cost_usd, 9),
                alternative_usd=round(best[0], 9),
                saved_usd=round(group.cost_usd - best[0], 9),
            )
        )
    found.sort(key=lambda o: o.saved_usd, reverse=True)
    return found[:limit]


def route_kind(route: str | None) -> str:
    """The savings report's route column: ``rag`` (RAG ingest and queries), ``batch`` (batch routes),
    ``internal`` (the gateway's own calls: warm-ups, guard checks) or ``api`` (apps calling the OpenAI
    or Workers AI routes: chat, embeddings, audio, and the library client)."""
    if not route:
        return "api"
    if route == "rag":
        return "rag"
    if "batch" in route:
        return "batch"
    if route.startswith("internal") or route == "cache-warm":
        return "internal"
    return "api"
