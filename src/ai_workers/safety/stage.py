"""Safety stage (placeholder until the safety package lands): passes every request through."""

from __future__ import annotations

from typing import Any

from ai_workers.core.config import ConfigStore
from ai_workers.core.context import RequestContext
from ai_workers.core.pipeline import Handler, Result
from ai_workers.core.types import AnyRequest


class SafetyStage:
    name = "safety"

    def __init__(self, config: ConfigStore, executor: Any, usage: Any) -> None:
        self.config = config
        self.executor = executor
        self.usage = usage

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        return await call_next(ctx, request)
