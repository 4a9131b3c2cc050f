"""Cache stage (placeholder until the cache package lands): passes every request through."""

from __future__ import annotations

from typing import Any

from ai_workers.core.config import ConfigStore
from ai_workers.core.context import RequestContext
from ai_workers.core.pipeline import Handler, Result
from ai_workers.core.types import AnyRequest


class CacheStage:
    name = "cache"

    def __init__(self, config: ConfigStore, executor: Any) -> None:
        self.config = config
        self.executor = executor

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        ctx.cache = "skip"
        return await call_next(ctx, request)
