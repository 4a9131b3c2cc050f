"""The ``routing:`` config section (global and per app), typed.

Example::

    routing:
      tiers:                                   # ordered easiest first; the last has no max_score
        simple:  {max_score: 1.5, model: llama-3.1-8b-instruct-fp8-fast}
        medium:  {max_score: 4.0}              # no model: the cheapest capable one by catalog price
        complex: {model: gpt-4o}
      prefer_free_neurons: true                # Workers AI models cost 0 while the daily free neurons last
      splits:
        - name: chat-provider
          match: {app: triage, model: gpt-4o-mini}
          arms:
            - {name: workers, model: llama-3.3-70b-instruct-fp8-fast, weight: 10}
            - {name: openai, model: gpt-4o-mini, weight: 90}
      health: {failure_threshold: 5, cooldown_s: 30, probe_interval_s: 0}
      recalibration: {apply: false, target_satisfaction: 0.8}   # thumbs per tier -> proposed thresholds
    apps:
      billing:
        routing: {model: gpt-4o-mini}          # pin: even "auto" requests go to this model

Sections are parsed once per Settings object (a reload builds a new one), so a weight change in the
YAML file applies to the next request after the one-second reload poll.
"""

from __future__ import annotations

import msgspec

from ai_workers.core.catalog import QUALITY_ORDER


class TierConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    max_score: float | None = None  # scores below this land in the tier; None on the hardest tier
    model: str | None = None  # fixed model; None: cheapest capable model by catalog price
    quality: str | None = None  # minimum catalog quality; defaults to the tier's name when it is one


def default_tiers() -> dict[str, TierConfig]:
    return {
        "simple": TierConfig(max_score=1.5, model="llama-3.1-8b-instruct-fp8-fast"),
        "medium": TierConfig(max_score=4.0),
        "complex": TierConfig(model="gpt-4o"),
    }


class SplitArm(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    name: str
    model: str | None = None  # None: keep the model the request was routed to (a control arm)
    weight: float = 1.0


class SplitMatch(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """Which requests a split applies to; every given field must match (lists match any member)."""

    app: str | list[str] | None = None
    model: str | list[str] | None = None  # the requested model ("auto" included) or its catalog name
    tier: str | list[str] | None = None
    route: str | list[str] | None = None


class SplitConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    name: str
    arms: list[SplitArm]
    match: SplitMatch = msgspec.field(default_factory=SplitMatch)
    enabled: bool = True


class HealthConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``routing.health``: circuit breakers per provider + model (see routing/health.py).

    A circuit counts *requests*, not tries: a request that a retry on the same target rescued is a
    success, one that left the target after its retries (or could not be served) is a failure.
    """

    failure_threshold: int = 5  # no longer used (circuits open on a failure rate); kept so configs load
    error_rate_threshold: float = 0.5  # open when this share of requests failed over the window,
    min_requests: int = 20  # once the window holds at least this many requests
    window_s: float = 30.0
    cooldown_s: float = 10.0  # open -> half-open after this long; doubles on each failed trial round
    max_cooldown_s: float = 120.0
    half_open_trials: int = 3  # trial requests let through at once when half-open; this many successes close
    # An open circuit on the last target a request has (no fallback left) still lets this share of
    # such requests through, so a model with no fallback is throttled, never cut off.
    last_resort_share: float = 0.2
    trial_timeout_s: float = 120.0  # a trial that never reports back frees its slot after this
    shared: bool = True  # with a top-level redis_url, publish open/close to the other processes
    latency_alpha: float = 0.2  # EWMA weight of the newest latency sample
    probe_interval_s: float = 0.0  # active probes: 0 disables them
    probe_timeout_s: float = 10.0
    probe_models: list[str] = msgspec.field(default_factory=list)  # empty: every target seen in traffic


class RecalibrationConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``routing.recalibration``: tier thresholds per app from thumbs per tier (``routing.recalibrate``).

    Proposals are always computed, logged and shown in ``ai-workers report quality``; they change
    routing only with ``apply: true``.
    """

    apply: bool = False  # the operator's switch: False = propose and log only
    interval_s: float = 3600.0  # how often the gateway recomputes proposals; 0 = never (report only)
    window_days: float = 7.0  # the traffic and feedback a proposal is based on
    min_rated: int = 20  # ratings a tier (or its edge) needs before it counts
    target_satisfaction: float = 0.8  # below this a tier's boundary moves down (more goes up a tier)
    raise_satisfaction: float = 0.95  # at or above this near the boundary, it moves up (saves cost)
    step: float = 0.25  # one move, in router score units
    max_shift: float = 1.5  # never further than this from the configured max_score

    def __post_init__(self) -> None:
        if self.step <= 0 or self.max_shift < 0 or self.min_rated < 1:
            raise ValueError("routing.recalibration: step > 0, max_shift >= 0 and min_rated >= 1")
        if not 0 <= self.target_satisfaction <= self.raise_satisfaction <= 1:
            raise ValueError("routing.recalibration: 0 <= target_satisfaction <= raise_satisfaction <= 1")


class RoutingConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """The global ``routing:`` section."""

    router: str = "learned"  # "learned", "heuristic" or "module.path:factory" returning a Router
    auto_models: list[str] = msgspec.field(default_factory=lambda: ["auto"])
    tiers: dict[str, TierConfig] = msgspec.field(default_factory=default_tiers)
    prefer_free_neurons: bool = True
    free_neuron_reserve: float = 0.0  # stop preferring Workers AI when fewer free neurons than this remain
    splits: list[SplitConfig] = msgspec.field(default_factory=list)
    health: HealthConfig = msgspec.field(default_factory=HealthConfig)
    recalibration: RecalibrationConfig = msgspec.field(default_factory=RecalibrationConfig)

    def __post_init__(self) -> None:
        validate_tiers(self.tiers)
        validate_splits(self.splits)


class AppRoutingConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``apps.<name>.routing``: overrides of the global section for one app."""

    model: str | None = None  # pin every request (auto included) to this model
    tiers: dict[str, TierConfig] | None = None  # replaces the global tier table
    prefer_free_neurons: bool | None = None
    splits: list[SplitConfig] = msgspec.field(default_factory=list)  # tried before the global splits

    def __post_init__(self) -> None:
        if self.tiers is not None:
            validate_tiers(self.tiers)
        validate_splits(self.splits)


def validate_tiers(tiers: dict[str, TierConfig]) -> None:
    if not tiers:
        raise ValueError("routing.tiers must name at least one tier")
    names = list(tiers)
    bounds = [tiers[n].max_score for n in names[:-1]]
    if any(b is None for b in bounds):
        raise ValueError("every tier but the last needs max_score")
    if bounds != sorted(bounds):  # type: ignore[type-var]
        raise ValueError("routing.tiers max_score must increase from the first tier to the last")
    for name, tier in tiers.items():
        quality = tier.quality or (name if name in QUALITY_ORDER else None)
        if quality is None:
            raise ValueError(f"routing tier '{name}' needs quality: simple, medium or complex")
        if quality not in QUALITY_ORDER:
            raise ValueError(f"routing tier '{name}': unknown quality '{quality}'")


def validate_splits(splits: list[SplitConfig]) -> None:
    for split in splits:
        if not split.arms:
            raise ValueError(f"split '{split.name}' has no arms")
        if any(arm.weight < 0 for arm in split.arms) or sum(arm.weight for arm in split.arms) <= 0:
            raise ValueError(f"split '{split.name}': weights must be >= 0 and not all 0")


def tier_quality(name: str, tier: TierConfig) -> str:
    return tier.quality or (name if name in QUALITY_ORDER else "complex")
