"""Routing stage: decide which model serves the request and in which order to try its targets.

In order:

1. An app pin (``apps.<name>.routing.model``) replaces whatever was requested; a concrete model name in
   the request is itself a pin. Pinned requests skip tiering.
2. ``model: "auto"`` (``routing.auto_models``) on a chat request asks the router for a tier, and the
   tier's model is chosen by catalog price (``routing.tiers``), preferring Workers AI while today's free
   neurons last.
3. A matching traffic split (``routing.splits``) may swap the model for its arm's, sticky per user.
4. The model's deployments and fallback chain become ``ctx.targets``; the executor tries them in order,
   asking the health monitor (``self.health``) first, so an open circuit is skipped at once.

``ctx.tier``, ``ctx.route_reason`` and ``ctx.arm`` record the decision; they travel with the response
and into the usage record. Nothing here blocks: the parsed config is cached per Settings object.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from prometheus_client import Counter

from ai_workers.core.background import cancel_and_wait
from ai_workers.core.catalog import ModelSpec
from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.context import RequestContext, Target
from ai_workers.core.errors import ConfigurationError
from ai_workers.core.metrics import LabelChildren
from ai_workers.core.pipeline import Handler, Result
from ai_workers.core.types import AnyRequest, Capability, ChatRequest
from ai_workers.routing.complexity import HeuristicRouter, Router, TierDecision
from ai_workers.routing.config import AppRoutingConfig, RoutingConfig, SplitConfig, TierConfig
from ai_workers.routing.health import HealthMonitor
from ai_workers.routing.neurons import FreeNeurons, FreeNeuronTracker, NeuronPool, UsagePoolView
from ai_workers.routing.quality import SessionSource
from ai_workers.routing.recalibrate import Proposal, apply_thresholds, recalibrate
from ai_workers.routing.split import SplitRequest, find_split, pick_arm
from ai_workers.routing.targets import model_allowed, resolve_targets
from ai_workers.routing.tiers import choose_model

log = logging.getLogger("ai_workers.routing")

ROUTED = Counter(
    "aiw_routed_requests_total", "Requests routed, by tier (or 'pinned') and model", ["tier", "model"]
)
_ROUTED_CHILDREN = LabelChildren(ROUTED, deferred=True)
_RESOLVED_MAX = 4096  # distinct (app, key allow-list, capability, model) kept per settings snapshot
SPLIT_ARMS = Counter("aiw_split_arm_requests_total", "Requests per traffic-split arm", ["split", "arm"])


class UsageSeam(Protocol):
    """What routing reads from the usage service (``usage.service.UsageService``): today's free-neuron
    pool, the database feedback recalibration queries, and its per-request listeners."""

    @property
    def free_neurons(self) -> NeuronPool: ...
    @property
    def database(self) -> SessionSource: ...
    def add_listener(self, listener: Callable[[RequestContext], None]) -> None: ...


@dataclass(frozen=True, slots=True)
class AppRouting:
    """The global routing section merged with one app's overrides: what a request of that app uses."""

    config: RoutingConfig
    pin: str | None
    tiers: dict[str, TierConfig]
    prefer_free_neurons: bool
    splits: list[SplitConfig]
    auto_models: frozenset[str]


def build_router(spec: str, tiers: dict[str, TierConfig]) -> Router:
    """``learned`` (the default), ``heuristic``, or ``package.module:factory`` for a custom router.

    ``learned`` is the trained instruction classifier (``routing.learned``), which also reports the
    hand-written cues of the instruction as its reasons; ``heuristic`` is the cue scorer alone.
    """
    names = list(tiers)
    bounds = [b for b in [t.max_score for t in tiers.values()][:-1] if b is not None]
    if spec == "heuristic":
        return HeuristicRouter(names, bounds)
    if spec == "learned":
        from ai_workers.routing.learned import create_router

        return create_router(tiers)
    module_name, _, attr = spec.partition(":")
    factory = getattr(importlib.import_module(module_name), attr or "create_router")
    router: Router = factory(tiers)
    return router


class RoutingStage:
    name = "route"

    def __init__(
        self,
        config: ConfigStore,
        registry: Any,
        *,
        health: HealthMonitor | None = None,
        usage: UsageSeam | None = None,
        neurons: FreeNeurons | None = None,
    ) -> None:
        self.config = config
        self.registry = registry
        self.usage = usage
        self.health = health or HealthMonitor(config, registry=registry)
        # Free neurons: the usage service's pool (authoritative, shared), else our own count.
        self.neurons: FreeNeurons
        if neurons is not None:
            self.neurons = neurons
        elif usage is not None:
            self.neurons = UsagePoolView(usage.free_neurons)
        else:
            self.neurons = FreeNeuronTracker(config.current.catalog.free_neurons_per_day)
        self._settings: Settings | None = None
        self._apps: dict[str, AppRouting] = {}
        # resolve_targets' answers for this settings snapshot: a pure function of the snapshot, the app
        # (name and key allow-list), capability and model, and a tenth of the stage's per-request work.
        self._resolved: dict[tuple[object, ...], tuple[ModelSpec, tuple[Target, ...]]] = {}
        self._routers: dict[tuple[str, tuple[tuple[str, float | None], ...]], Router] = {}
        self._last_good: RoutingConfig = RoutingConfig()
        self._listening = False
        # Feedback recalibration: the latest proposals, and the thresholds applied per app (only used
        # while routing.recalibration.apply is true).
        self.proposals: list[Proposal] = []
        self.recalibrated: dict[str, dict[str, float]] = {}
        self._recalibration_task: asyncio.Task[None] | None = None

    # -- lifecycle ------------------------------------------------------------------------------------

    async def start(self) -> None:
        usage = self.usage
        if isinstance(self.neurons, FreeNeuronTracker) and usage is not None and not self._listening:
            usage.add_listener(self.neurons.observe)
            self._listening = True
        self.health.start()
        if usage is not None and self._recalibration_task is None:
            self._recalibration_task = asyncio.create_task(self._recalibration_loop())

    async def stop(self) -> None:
        if self._recalibration_task is not None:
            await cancel_and_wait(self._recalibration_task)
            self._recalibration_task = None
        await self.health.stop()

    # -- feedback recalibration -----------------------------------------------------------------------

    async def _recalibration_loop(self) -> None:
        while True:
            interval = self._config_section().recalibration.interval_s
            await asyncio.sleep(interval if interval > 0 else 3600.0)
            if interval <= 0:
                continue
            try:
                await self.recalibrate_now()
            except Exception as exc:  # a report query must never take routing down
                log.warning("routing recalibration failed: %s", exc)

    def _config_section(self) -> RoutingConfig:
        try:
            return self.config.current.section("routing", RoutingConfig)
        except Exception:
            return self._last_good

    async def recalibrate_now(self, database: Any = None) -> list[Proposal]:
        """Compute threshold proposals from recent thumbs per tier; log them; apply them if enabled."""
        db = database if database is not None else (self.usage.database if self.usage else None)
        if db is None:
            return []
        settings = self.config.current
        apply = self._config_section().recalibration.apply
        proposals = await recalibrate(db, settings, current=self.recalibrated)
        for proposal in proposals:
            if apply:
                self.recalibrated.setdefault(proposal.app, {})[proposal.tier] = proposal.proposed
                proposal.applied = True
            log.warning(
                "routing recalibration %s: %s",
                "applied" if apply else "proposed (set routing.recalibration.apply to apply)",
                proposal.describe(),
            )
        self.proposals = proposals
        if apply and proposals:
            self._settings = None  # rebuild the per-app tier tables on the next request
        return proposals

    # -- config ---------------------------------------------------------------------------------------

    def app_routing(self, settings: Settings, app: str) -> AppRouting:
        if settings is not self._settings:
            self._settings = settings
            self._apps = {}
            self._resolved = {}
        cached = self._apps.get(app)
        if cached is None:
            cached = self._apps[app] = self._merge(settings, app)
        return cached

    def _merge(self, settings: Settings, app: str) -> AppRouting:
        try:
            cfg = settings.section("routing", RoutingConfig)
            self._last_good = cfg
        except Exception as exc:
            # Keep serving with the last good routing section rather than failing every request.
            log.error("invalid routing config, keeping the previous one: %s", exc)
            cfg = self._last_good
        try:
            app_cfg = settings.app_section(app, "routing", AppRoutingConfig)
        except Exception as exc:
            raise ConfigurationError(f"invalid routing config for app '{app}': {exc}") from exc
        tiers = app_cfg.tiers if app_cfg.tiers is not None else cfg.tiers
        if cfg.recalibration.apply and self.recalibrated.get(app):
            tiers = apply_thresholds(tiers, self.recalibrated[app])
        return AppRouting(
            config=cfg,
            pin=app_cfg.model,
            tiers=tiers,
            prefer_free_neurons=(
                app_cfg.prefer_free_neurons
                if app_cfg.prefer_free_neurons is not None
                else cfg.prefer_free_neurons
            ),
            splits=[*app_cfg.splits, *cfg.splits],
            auto_models=frozenset(cfg.auto_models),
        )

    def router_for(self, routing: AppRouting) -> Router:
        key = (routing.config.router, tuple((n, t.max_score) for n, t in routing.tiers.items()))
        router = self._routers.get(key)
        if router is None:
            try:
                router = build_router(routing.config.router, routing.tiers)
            except Exception as exc:
                log.error("routing.router %r could not be loaded: %s", routing.config.router, exc)
                raise ConfigurationError(
                    f"routing.router '{routing.config.router}' could not be loaded ({type(exc).__name__})",
                    code="router_unavailable",
                ) from exc
            self._routers[key] = router
        return router

    # -- the stage ------------------------------------------------------------------------------------

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        if not ctx.targets:
            self.route(ctx, request)
        return await call_next(ctx, request)

    def route(self, ctx: RequestContext, request: AnyRequest) -> None:
        """Set ctx.targets, ctx.logical_model, ctx.tier, ctx.route_reason and ctx.arm."""
        settings = ctx.settings
        routing = self.app_routing(settings, ctx.app.name)
        model = ctx.requested_model
        reasons: list[str] = []
        decision: TierDecision | None = None
        is_chat = ctx.capability is Capability.CHAT and isinstance(request, ChatRequest)

        if routing.pin and is_chat:
            model = routing.pin
            reasons.append(f"pinned by app config to {model}")
        elif model in routing.auto_models:
            if not is_chat:
                raise ConfigurationError(
                    f"model '{model}' (automatic routing) is only available for chat requests"
                )
            assert isinstance(request, ChatRequest)
            decision = self.router_for(routing).classify(request)
            tier = routing.tiers[decision.tier]
            free = None
            if routing.prefer_free_neurons:
                free = self.neurons.remaining() - routing.config.free_neuron_reserve
                free = free if free > 0 else None
            choice = choose_model(settings, ctx.app, decision.tier, tier, decision, free_neurons=free)
            model = choice.spec.name
            ctx.tier = decision.tier
            reasons.append(f"auto {decision.explain()} -> {model}: {choice.reason}")
        else:
            reasons.append("requested")

        split = None
        # Splits are for callers' traffic; a stage's own requests (guard, embeddings) are never split.
        if routing.splits and not ctx.internal:
            logical = settings.catalog.find(model)
            split = find_split(
                routing.splits,
                SplitRequest(
                    app=ctx.app.name,
                    model=ctx.requested_model,
                    logical_model=logical.name if logical is not None else None,
                    tier=ctx.tier,
                    route=ctx.route,
                ),
            )
        if split is not None:
            sticky = ctx.user or getattr(request, "user", None) or ctx.request_id
            arm = pick_arm(split, sticky)
            arm_model = arm.model or model
            spec = settings.catalog.find(arm_model)
            if spec is None or spec.capability != ctx.capability:
                pass  # the arms serve another kind of request (a chat split seeing an embeddings call)
            elif not model_allowed(settings, ctx.app, spec):
                log.warning(
                    "split %s arm %s: app %s may not use %s; split ignored",
                    split.name,
                    arm.name,
                    ctx.app.name,
                    arm_model,
                )
            else:
                model = arm_model
                ctx.arm = f"{split.name}:{arm.name}"[:60]
                reasons.append(f"split {split.name} arm {arm.name}")
                SPLIT_ARMS.labels(split.name, arm.name).inc()

        key = (ctx.app.name, ctx.app.allowed_models, ctx.capability, model)
        resolved = self._resolved.get(key)
        if resolved is None:
            spec, targets = resolve_targets(settings, ctx.app, ctx.capability, model)
            if len(self._resolved) < _RESOLVED_MAX:
                self._resolved[key] = (spec, tuple(targets))
            ctx.targets = targets
        else:
            spec = resolved[0]
            ctx.targets = list(resolved[1])  # the request's own list (stages narrow it)
        ctx.logical_model = spec.name
        if is_chat:
            _ROUTED_CHILDREN(ctx.tier or "pinned", spec.name).inc()
        ctx.route_reason = "; ".join(reasons)[:300]
