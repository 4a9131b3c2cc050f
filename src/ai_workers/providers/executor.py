"""Executor (placeholder until the providers package lands)."""

from __future__ import annotations

from typing import Any

from ai_workers.core.config import ConfigStore
from ai_workers.core.context import RequestContext
from ai_workers.core.pipeline import Result
from ai_workers.core.types import AnyRequest
from ai_workers.providers.registry import ProviderRegistry


class Executor:
    def __init__(self, config: ConfigStore, registry: ProviderRegistry, **options: Any) -> None:
        self.config = config
        self.registry = registry

    async def __call__(self, ctx: RequestContext, request: AnyRequest) -> Result:
        raise NotImplementedError
