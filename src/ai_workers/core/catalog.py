"""The model catalog: logical model names mapped to provider deployments, capabilities and prices.

The catalog is data (``ai_workers/data/catalog.yaml``) merged with the operator's ``models:`` and
``aliases:`` from config, so adding a model or alias never needs a code change. Lookups accept a
logical name, an alias, or a provider's own id (``@cf/meta/...``), because apps switching from Workers AI
keep sending Cloudflare ids.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
import yaml

from ai_workers.core.errors import ModelNotFoundError, UnsupportedCapabilityError
from ai_workers.core.types import Capability

QUALITY_ORDER = {"simple": 0, "medium": 1, "complex": 2}

# How many units each price is quoted per.
PRICE_SCALE = {
    "input_tokens": 1_000_000,
    "output_tokens": 1_000_000,
    "characters": 1_000_000,
    "audio_minutes": 1,
    "images": 1,
    "requests": 1,
}


class Rate(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """A price for one unit: in Cloudflare neurons or in dollars (exactly one is set)."""

    neurons: float | None = None
    usd: float | None = None


class Deployment(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """One place a logical model runs: a configured provider instance and that provider's model id."""

    provider: str
    id: str
    price: dict[str, Rate] = msgspec.field(default_factory=dict)


class ModelSpec(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    name: str
    capability: Capability
    deployments: list[Deployment]
    features: list[str] = msgspec.field(default_factory=list)
    context_length: int | None = None
    dimensions: int | None = None
    quality: str | None = None
    fallbacks: list[str] | None = None
    description: str | None = None
    # False: callable by name (or provider id) but never picked by ``model: auto`` tier routing, so
    # listing a model for apps that call it by id does not change what auto routing chooses.
    auto_routing: bool = True

    def supports(self, feature: str) -> bool:
        return feature in self.features

    @property
    def quality_rank(self) -> int:
        return QUALITY_ORDER.get(self.quality or "simple", 0)


class CatalogFile(msgspec.Struct, forbid_unknown_fields=True):
    models: list[ModelSpec] = msgspec.field(default_factory=list)
    aliases: dict[str, str] = msgspec.field(default_factory=dict)
    fallbacks: dict[str, list[str]] = msgspec.field(default_factory=dict)
    neuron_price_usd: float = 0.000011
    free_neurons_per_day: float = 10_000


def load_builtin_catalog_data() -> dict[str, Any]:
    text = importlib.resources.files("ai_workers.data").joinpath("catalog.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


class ModelCatalog:
    """Immutable view of all known models; rebuilt (cheaply) when config changes."""

    def __init__(
        self,
        models: Iterable[ModelSpec],
        *,
        aliases: Mapping[str, str] | None = None,
        fallbacks: Mapping[str, list[str]] | None = None,
        neuron_price_usd: float = 0.000011,
        free_neurons_per_day: float = 10_000,
    ) -> None:
        self.neuron_price_usd = neuron_price_usd
        self.free_neurons_per_day = free_neurons_per_day
        self._models: dict[str, ModelSpec] = {}
        for spec in models:
            self._models[spec.name] = spec
        self._aliases = dict(aliases or {})
        self._fallbacks = {k: list(v) for k, v in (fallbacks or {}).items()}
        self._by_provider_id: dict[str, str] = {}
        for spec in self._models.values():
            for dep in spec.deployments:
                self._by_provider_id.setdefault(dep.id, spec.name)
        for alias, target in self._aliases.items():
            if target not in self._models:
                raise ValueError(f"alias {alias!r} points at unknown model {target!r}")

    @classmethod
    def from_data(cls, *layers: Mapping[str, Any]) -> ModelCatalog:
        """Merge catalog layers (builtin first, operator's config last); later models replace earlier."""
        models: dict[str, ModelSpec] = {}
        aliases: dict[str, str] = {}
        fallbacks: dict[str, list[str]] = {}
        neuron_price, free_neurons = 0.000011, 10_000.0
        for layer in layers:
            parsed = msgspec.convert(dict(layer), CatalogFile)
            for spec in parsed.models:
                models[spec.name] = spec
            aliases.update(parsed.aliases)
            fallbacks.update(parsed.fallbacks)
            if "neuron_price_usd" in layer:
                neuron_price = parsed.neuron_price_usd
            if "free_neurons_per_day" in layer:
                free_neurons = parsed.free_neurons_per_day
        return cls(
            models.values(),
            aliases=aliases,
            fallbacks=fallbacks,
            neuron_price_usd=neuron_price,
            free_neurons_per_day=free_neurons,
        )

    @classmethod
    def builtin(cls) -> ModelCatalog:
        return cls.from_data(load_builtin_catalog_data())

    # -- lookups ------------------------------------------------------------------------------------

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.find(name) is not None

    def __iter__(self) -> Iterable[ModelSpec]:
        return iter(self._models.values())

    def all(self) -> list[ModelSpec]:
        return list(self._models.values())

    @property
    def aliases(self) -> dict[str, str]:
        return dict(self._aliases)

    def find(self, name: str) -> ModelSpec | None:
        """A model by logical name, alias or provider id; None when unknown."""
        spec = self._models.get(name)
        if spec is not None:
            return spec
        target = self._aliases.get(name)
        if target is not None:
            return self._models[target]
        logical = self._by_provider_id.get(name)
        return self._models.get(logical) if logical is not None else None

    def get(self, name: str, capability: Capability | None = None) -> ModelSpec:
        """Like ``find`` but raises the errors a caller should see (404 unknown, 400 wrong capability)."""
        spec = self.find(name)
        if spec is None:
            raise ModelNotFoundError(
                f"The model '{name}' does not exist in the catalog. See GET /v1/models for the list.",
                param="model",
            )
        if capability is not None and spec.capability != capability:
            raise UnsupportedCapabilityError(
                f"The model '{spec.name}' is a {spec.capability.value} model and cannot serve "
                f"{capability.value} requests.",
                param="model",
            )
        return spec

    def by_capability(self, capability: Capability) -> list[ModelSpec]:
        return [m for m in self._models.values() if m.capability == capability]

    def fallbacks_for(self, name: str) -> list[str]:
        """The model's own fallback chain, else the catalog/config default for it."""
        spec = self.get(name)
        if spec.fallbacks is not None:
            return list(spec.fallbacks)
        return list(self._fallbacks.get(spec.name, []))

    # -- prices -------------------------------------------------------------------------------------

    def rate_usd(self, rate: Rate) -> float:
        """Dollars per quoted unit, converting neurons at the catalog's neuron price."""
        if rate.usd is not None:
            return rate.usd
        if rate.neurons is not None:
            return rate.neurons * self.neuron_price_usd
        return 0.0

    def blended_price_per_m_tokens(self, spec: ModelSpec, *, output_share: float = 0.25) -> float:
        """A single $/M tokens figure for comparing chat models (input/output mixed by share)."""
        best: float | None = None
        for dep in spec.deployments:
            inp = self.rate_usd(dep.price.get("input_tokens", Rate()))
            out = self.rate_usd(dep.price.get("output_tokens", Rate()))
            price = inp * (1 - output_share) + out * output_share
            best = price if best is None else min(best, price)
        return best or 0.0
