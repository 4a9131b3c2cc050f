"""Usage service (placeholder until the usage package lands): no records, no budgets."""

from __future__ import annotations

from typing import Any

from ai_workers.core.config import ConfigStore
from ai_workers.core.context import RequestContext
from ai_workers.core.pipeline import Handler, Result
from ai_workers.core.types import AnyRequest


class _PassStage:
    def __init__(self, name: str) -> None:
        self.name = name

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        return await call_next(ctx, request)


class UsageService:
    def __init__(self, config: ConfigStore, **options: Any) -> None:
        self.config = config
        self.record_stage = _PassStage("usage")
        self.budget_stage = _PassStage("budget")

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
