"""Routing stage: decides ``ctx.targets`` (placeholder: plain resolution, no tiers, splits or health)."""

from __future__ import annotations

from typing import Any

from ai_workers.core.config import ConfigStore
from ai_workers.core.context import RequestContext
from ai_workers.core.pipeline import Handler, Result
from ai_workers.core.types import AnyRequest
from ai_workers.routing.targets import resolve_targets


class RoutingStage:
    name = "route"

    def __init__(self, config: ConfigStore, registry: Any, executor: Any) -> None:
        self.config = config
        self.registry = registry
        self.executor = executor

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        if not ctx.targets:
            spec, ctx.targets = resolve_targets(ctx.settings, ctx.app, ctx.capability, ctx.requested_model)
            ctx.logical_model = spec.name
        return await call_next(ctx, request)
