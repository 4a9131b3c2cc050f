"""What a request cost, from the catalog's prices, and what a request *will* cost at most (budgets).

Prices are per unit (see ``catalog.yaml``): Workers AI quotes neurons, which become dollars at the
catalog's ``neuron_price_usd``; OpenAI and others quote dollars. A request's priced units are its
tokens (``usage``) plus the executor's ``ctx.units`` (audio_minutes, characters, images, requests).

The free daily neuron allocation is account state, not a price, so it lives in ``FreeNeuronPool``:
the part of a request's neurons that still fits in today's allocation costs $0. Usage records keep
both figures: ``list_cost_usd`` (before the allocation) and ``cost_usd`` (billed, after it). Budgets
are charged the billed cost, because that is what the company pays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ai_workers.core.catalog import PRICE_SCALE, Deployment, ModelCatalog, ModelSpec, Rate
from ai_workers.core.types import (
    AnyRequest,
    Capability,
    ChatRequest,
    EmbeddingRequest,
    ModerationRequest,
    RerankRequest,
    SafetyRequest,
    SpeechRequest,
    TranscriptionRequest,
    Usage,
)

CHARS_PER_TOKEN = 4  # English prose's average; denser text (digits, short words, CJK) has more tokens
DEFAULT_OUTPUT_TOKENS = 1024  # reserved for chat requests that set no max_tokens
SPEECH_CHARS_PER_MINUTE = 750  # ~12.5 characters per second of synthesized speech
AUDIO_BYTES_PER_MINUTE = 16_000 * 60  # 128 kbit/s: over-estimates minutes for WAV, fair for MP3


def priced_units(usage: Usage, units: Mapping[str, float]) -> dict[str, float]:
    """Every quantity a price may apply to, keyed like catalog prices."""
    quantities = {"input_tokens": float(usage.prompt_tokens), "output_tokens": float(usage.completion_tokens)}
    for name, value in units.items():
        quantities[name] = float(value)
    return quantities


def price(
    catalog: ModelCatalog, deployment: Deployment, usage: Usage, units: Mapping[str, float]
) -> tuple[float, float | None]:
    """List price of one call: ``(usd, neurons)``; neurons is None for dollar-priced deployments.

    Neurons reported by the provider (``usage.neurons``) win over the catalog's computed figure, since
    they are what Cloudflare bills.
    """
    quantities = priced_units(usage, units)
    usd = 0.0
    neurons = 0.0
    neuron_priced = False
    for unit, rate in deployment.price.items():
        amount = quantities.get(unit, 1.0 if unit == "requests" else 0.0)
        if not amount:
            continue
        scale = PRICE_SCALE.get(unit, 1)
        if rate.neurons is not None:
            neuron_priced = True
            neurons += rate.neurons * amount / scale
        elif rate.usd is not None:
            usd += rate.usd * amount / scale
    if usage.neurons is not None:
        neurons, neuron_priced = float(usage.neurons), True
    if not neuron_priced:
        return usd, None
    return usd + neurons * catalog.neuron_price_usd, neurons


class FreeNeuronPool:
    """Today's share of the account's free neurons (resets 00:00 UTC), tracked in this process.

    ``charge`` returns how many of a request's neurons were free. With Redis, the service adds other
    processes' use to ``used`` periodically (``absorb``), so the pool is shared up to that lag.
    """

    def __init__(self, free_per_day: float) -> None:
        self.free_per_day = free_per_day
        self.day: dt.date | None = None
        self.used = 0.0
        self.unsynced = 0.0  # neurons charged here and not yet pushed to the shared counter

    def _roll(self, today: dt.date) -> None:
        if today != self.day:
            self.day, self.used, self.unsynced = today, 0.0, 0.0

    def charge(self, neurons: float, today: dt.date) -> float:
        self._roll(today)
        left = max(0.0, self.free_per_day - self.used)
        self.used += neurons
        self.unsynced += neurons
        return min(neurons, left)

    def absorb(self, total_used_today: float, today: dt.date) -> None:
        """Adopt the shared total (which includes what this process pushed)."""
        self._roll(today)
        self.used = max(self.used, total_used_today + self.unsynced)


# ---------------------------------------------------------------------------------------------------
# Estimates for budget reservations: never below what the request can plausibly cost.


class _UnitRates:
    """Dollars per single unit, the maximum over a set of deployments (so fallbacks are covered)."""

    __slots__ = ("rates",)

    def __init__(self) -> None:
        self.rates: dict[str, float] = {}

    def absorb(self, catalog: ModelCatalog, deployment: Deployment) -> None:
        for unit, rate in deployment.price.items():
            per_unit = catalog.rate_usd(rate) / PRICE_SCALE.get(unit, 1)
            if per_unit > self.rates.get(unit, 0.0):
                self.rates[unit] = per_unit


class CostEstimator:
    """Estimates a request's maximum cost before it runs. One per catalog; caches per model."""

    def __init__(self, catalog: ModelCatalog, *, default_output_tokens: int = DEFAULT_OUTPUT_TOKENS) -> None:
        self.catalog = catalog
        self.default_output_tokens = default_output_tokens
        self._rates: dict[tuple[str, Capability], _UnitRates] = {}

    def rates_for(self, model: str, capability: Capability) -> _UnitRates:
        key = (model, capability)
        found = self._rates.get(key)
        if found is None:
            found = self._rates[key] = self._build(model, capability)
        return found

    def _build(self, model: str, capability: Capability) -> _UnitRates:
        rates = _UnitRates()
        spec = self.catalog.find(model) if model else None
        specs: list[ModelSpec]
        if spec is None:
            # "auto" or an unknown name: routing will pick; reserve for the priciest candidate.
            candidates = self.catalog.by_capability(capability)
            specs = [s for s in candidates if s.auto_routing] or candidates
        else:
            specs = [spec]
            for name in self.catalog.fallbacks_for(spec.name):
                fallback = self.catalog.find(name)
                if fallback is not None:
                    specs.append(fallback)
        for candidate in specs:
            for deployment in candidate.deployments:
                rates.absorb(self.catalog, deployment)
        return rates

    def estimate(self, model: str, capability: Capability, request: AnyRequest) -> float:
        quantities = estimate_units(request, self.default_output_tokens)
        rates = self.rates_for(model, capability).rates
        total = 0.0
        for unit, per_unit in rates.items():
            total += per_unit * quantities.get(unit, 1.0 if unit == "requests" else 0.0)
        return total


def _text_tokens(chars: int) -> float:
    return chars / CHARS_PER_TOKEN + 1


def estimate_units(
    request: AnyRequest, default_output_tokens: int = DEFAULT_OUTPUT_TOKENS
) -> dict[str, float]:
    """A cheap guess of the units a request will be billed for (no tokenizer): output at its upper
    bound, input at ``CHARS_PER_TOKEN`` (see usage.budgets on what an under-estimate costs)."""
    if isinstance(request, ChatRequest):
        chars = 0
        for message in request.messages:
            content = message.content
            if isinstance(content, str):
                chars += len(content)
            elif content:
                for part in content:
                    chars += len(part.text or "") + (3000 if part.image_url is not None else 0)
            chars += 16  # role and framing tokens
        limit = request.output_limit()
        n = request.n or 1
        return {
            "input_tokens": _text_tokens(chars),
            "output_tokens": float(limit or default_output_tokens) * n,
        }
    if isinstance(request, EmbeddingRequest | ModerationRequest):
        return {"input_tokens": sum(_text_tokens(len(t)) for t in request.texts())}
    if isinstance(request, RerankRequest):
        return {"input_tokens": sum(_text_tokens(len(request.query) + len(d)) for d in request.documents)}
    if isinstance(request, SafetyRequest):
        chars = sum(len(m.content) if isinstance(m.content, str) else 200 for m in request.messages)
        return {"input_tokens": _text_tokens(chars), "output_tokens": 10.0}
    if isinstance(request, SpeechRequest):
        chars = len(request.input)
        return {"characters": float(chars), "audio_minutes": chars / SPEECH_CHARS_PER_MINUTE + 0.05}
    if isinstance(request, TranscriptionRequest):
        return {"audio_minutes": len(request.audio) / AUDIO_BYTES_PER_MINUTE + 0.05}
    return {}


def usd_for_tokens(
    catalog: ModelCatalog, spec: ModelSpec, input_tokens: float, output_tokens: float
) -> float:
    """The model's cheapest deployment's price for these tokens (savings baselines)."""
    best: float | None = None
    for deployment in spec.deployments:
        inp = catalog.rate_usd(deployment.price.get("input_tokens", Rate())) * input_tokens / 1_000_000
        out = catalog.rate_usd(deployment.price.get("output_tokens", Rate())) * output_tokens / 1_000_000
        best = inp + out if best is None else min(best, inp + out)
    return best or 0.0
