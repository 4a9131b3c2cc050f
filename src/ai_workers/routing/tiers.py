"""Pick the model for a tier by catalog price, not by provider.

A tier names a minimum catalog ``quality``. Every chat model at or above it that has the features the
request needs (vision for images, tools, JSON mode), a long enough context, an enabled provider and the
app's permission is a candidate; the cheapest for this request's estimated input and output tokens
wins. Workers AI is not always the cheap side (its 70B model costs more per token than gpt-4o-mini;
its 8B fp8-fast model is far cheaper), which is why prices decide. While today's free Workers AI
neurons last, neuron-priced deployments count as free, so Workers AI wins ties it would otherwise lose.

A tier may fix its model (``tiers.complex.model: gpt-4o``); a fixed model that cannot serve the
request (no vision for an image, not allowed for the app) falls back to the price-based choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from ai_workers.core.catalog import PRICE_SCALE, QUALITY_ORDER, Deployment, ModelSpec, Rate
from ai_workers.core.config import Settings
from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import UnsupportedCapabilityError
from ai_workers.core.types import Capability
from ai_workers.routing.complexity import TierDecision
from ai_workers.routing.config import TierConfig, tier_quality
from ai_workers.routing.targets import model_allowed

_NO_RATE = Rate()


@dataclass(frozen=True, slots=True)
class ModelChoice:
    spec: ModelSpec
    cost_usd: float  # estimated list price of this request on the chosen deployment
    free: bool  # covered by today's free Workers AI neurons
    reason: str


def is_free_eligible(settings: Settings, dep: Deployment) -> bool:
    """A Workers AI deployment billed in neurons, which the daily free allocation covers."""
    provider = settings.providers.get(dep.provider)
    if provider is None or provider.type != "cloudflare":
        return False
    rates = [dep.price.get("input_tokens"), dep.price.get("output_tokens")]
    return any(r is not None and r.neurons is not None for r in rates)


def estimate(
    settings: Settings, dep: Deployment, input_tokens: int, output_tokens: int
) -> tuple[float, float]:
    """(USD, neurons) this deployment would charge for the estimated tokens."""
    catalog = settings.catalog
    usd = neurons = 0.0
    for unit, count in (("input_tokens", input_tokens), ("output_tokens", output_tokens)):
        rate = dep.price.get(unit, _NO_RATE)
        scaled = count / PRICE_SCALE[unit]
        usd += catalog.rate_usd(rate) * scaled
        if rate.neurons is not None:
            neurons += rate.neurons * scaled
    return usd, neurons


def _usable(settings: Settings, app: AppIdentity, spec: ModelSpec, decision: TierDecision) -> str | None:
    """Why the model cannot serve this request, or None when it can."""
    if spec.capability != Capability.CHAT:
        return "not a chat model"
    missing = [need for need in sorted(decision.needs) if not spec.supports(need)]
    if missing:
        return f"no {'/'.join(missing)}"
    if spec.context_length is not None and spec.context_length < decision.input_tokens + min(
        decision.output_tokens, 1024
    ):
        return "context too short"
    if not model_allowed(settings, app, spec):
        return "not allowed for the app"
    return None


def _price(
    settings: Settings, spec: ModelSpec, decision: TierDecision, free_neurons: float | None
) -> tuple[float, float, bool] | None:
    """(effective cost, list cost, free) of the model's cheapest enabled deployment, None if none is."""
    best: tuple[float, float, bool] | None = None
    for dep in spec.deployments:
        provider = settings.providers.get(dep.provider)
        if provider is None or not provider.enabled:
            continue
        usd, neurons = estimate(settings, dep, decision.input_tokens, decision.output_tokens)
        free = free_neurons is not None and is_free_eligible(settings, dep) and neurons <= free_neurons
        candidate = (0.0 if free else usd, usd, free)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return best


def choose_model(
    settings: Settings,
    app: AppIdentity,
    tier_name: str,
    tier: TierConfig,
    decision: TierDecision,
    *,
    free_neurons: float | None,
) -> ModelChoice:
    """The model for this tier and request. ``free_neurons``: neurons left today, None to ignore them."""
    catalog = settings.catalog
    note = ""
    if tier.model:
        spec = catalog.get(tier.model, Capability.CHAT)
        why_not = _usable(settings, app, spec, decision)
        priced = _price(settings, spec, decision, None) if why_not is None else None
        if priced is not None:
            return ModelChoice(spec, priced[1], False, f"tier {tier_name} model")
        note = f"; tier model {spec.name} skipped: {why_not or 'provider disabled'}"

    wanted = QUALITY_ORDER[tier_quality(tier_name, tier)]
    # Cheapest at the tier's quality; if nothing qualifies, the next quality up, then down.
    ranks = sorted(set(QUALITY_ORDER.values()), key=lambda r: (r < wanted, abs(r - wanted)))
    chat_models = catalog.by_capability(Capability.CHAT)
    for rank in ranks:
        best: tuple[float, float, bool, str, ModelSpec] | None = None
        for spec in chat_models:
            if (
                not spec.auto_routing
                or spec.quality_rank < rank
                or (rank < wanted and spec.quality_rank != rank)
            ):
                continue
            if _usable(settings, app, spec, decision) is not None:
                continue
            priced = _price(settings, spec, decision, free_neurons)
            if priced is None:
                continue
            key = (*priced, spec.name, spec)
            if best is None or key[:2] < best[:2] or (key[:2] == best[:2] and key[3] < best[3]):
                best = key
        if best is not None:
            _, usd, free, _, spec = best
            how = "free neurons" if free else "cheapest capable"
            if rank != wanted:
                how += f" (no {tier_quality(tier_name, tier)} model fits; quality {spec.quality})"
            return ModelChoice(spec, usd, free, how + note)
    needs = ", ".join(sorted(decision.needs)) or "chat"
    raise UnsupportedCapabilityError(
        f"No model the app '{app.name}' may use can serve this request ({needs}, "
        f"~{decision.input_tokens} input tokens).",
        param="model",
    )
