"""The gateway engine: config, providers and the request pipeline, shared by the library and the server.

This is the composition root, the one module that imports every concern and wires them together in
the order of the request flow (see docs/ARCHITECTURE.md):

    usage record -> overhead -> budget -> route -> PHI/content safety -> cache -> provider call
    (retries, fallback)

Routing runs before safety and cache because both depend on where the request will go: the PHI policy
redacts unless every target in the chain is trusted with PHI, and the cache key names the model that
will answer (see cache/stage.py). Routing only computes locally, so nothing leaves before the safety
stage has scanned it, and the cache only ever sees redacted text.

Authentication happens before this, in the HTTP layer (or is fixed by the library's ``app=``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from ai_workers.cache.stage import CacheStage
from ai_workers.core.config import ConfigStore, Settings, load_settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.overhead import OverheadStage
from ai_workers.core.pipeline import ChunkStream, Pipeline, Result
from ai_workers.core.types import AnyRequest, Capability, ChatChunk, ChatResponse
from ai_workers.providers.executor import Executor
from ai_workers.providers.registry import ProviderRegistry
from ai_workers.rag.gateway_calls import RagRuntime
from ai_workers.routing.health import HealthMonitor
from ai_workers.routing.stage import RoutingStage
from ai_workers.safety.config import SafetyConfig
from ai_workers.safety.phi.spans import Span
from ai_workers.safety.stage import SafetyStage
from ai_workers.safety.user_ids import UserIds
from ai_workers.usage.alert_monitor import AlertMonitor
from ai_workers.usage.service import UsageService

log = logging.getLogger("ai_workers.gateway")


async def _renamed(chunks: AsyncIterator[ChatChunk], response_id: str) -> AsyncIterator[ChatChunk]:
    async for chunk in chunks:
        chunk.id = response_id
        yield chunk


class Gateway:
    """Owns the long-lived parts (config store, provider clients, usage writer) and runs requests."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        config_path: str | Path | None = None,
        registry: ProviderRegistry | None = None,
        **options: Any,
    ) -> None:
        settings = settings or load_settings(config_path)
        self.config = ConfigStore(settings, path=config_path)
        self.registry = registry or ProviderRegistry(self.config)
        self.usage = UsageService(self.config, **options.pop("usage_options", {}))
        # Provider health: the executor asks it before each try (circuit breakers) and reports each try.
        self.health = HealthMonitor(self.config, registry=self.registry)
        executor_options = {"observer": self.health, **options.pop("executor_options", {})}
        self.executor = Executor(self.config, self.registry, **executor_options)
        self.routing = RoutingStage(self.config, self.registry, health=self.health, usage=self.usage)
        self.cache = CacheStage(self.config, subcall=self.subcall, **options.pop("cache_options", {}))
        self.safety = SafetyStage(
            self.config, audit=self.usage.audit, database=self.usage.database, subcall=self.subcall
        )
        self.pipeline = Pipeline(
            [
                self.usage.record_stage,
                OverheadStage(),  # sets ctx.overhead_ms before the record stage writes it
                self.usage.budget_stage,
                self.routing,
                self.safety,
                self.cache,
            ],
            self.executor,
        )
        # RAG (ingest + retrieval + answers): its model calls run through this gateway's own pipeline.
        self.rag = RagRuntime(self)
        # End-user ids holding an identifier (a patient's email...) become pseudonyms before any stage.
        self.user_ids = UserIds(self._detect_phi, lambda: self.config.current.resolved_data_dir())
        self.usage.budgets.user_key = self.user_ids.recordable
        # Circuit open / provider down, free neurons at 80% and 100%, error-rate spikes (alert history).
        self.alert_monitor = AlertMonitor(
            self.usage.alert_hub, circuits=self.health.snapshot, neurons=self.usage.free_neurons
        )
        self.usage.add_listener(self.alert_monitor.observe)
        self._started = False

    @property
    def settings(self) -> Settings:
        return self.config.current

    async def start(self) -> None:
        """Open the database, start background tasks (record writer, config watch, health probes)."""
        if self._started:
            return
        self._started = True
        self.config.start()
        await self.usage.start()
        await self.cache.start()
        await self.routing.start()
        self.safety.warm()
        self.alert_monitor.start()
        # Apps that declare phi_policy: off are audited now and at every config reload.
        self.safety.declare(self.config.current)
        self.config.subscribe(self.safety.declare)

    async def aclose(self) -> None:
        """Stop accepting background work, flush records, close upstream connections."""
        if not self._started:
            await self.rag.aclose()
            await self.registry.aclose()
            return
        self._started = False
        await self.alert_monitor.stop()
        await self.routing.stop()
        await self.rag.aclose()
        await self.cache.stop()
        await self.usage.stop()
        await self.config.stop()
        await self.registry.aclose()

    async def __aenter__(self) -> Gateway:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def context(
        self,
        app: AppIdentity,
        capability: Capability,
        model: str,
        *,
        user: str | None = None,
        stream: bool = False,
        route: str | None = None,
        request_id: str | None = None,
    ) -> RequestContext:
        ctx = RequestContext(
            settings=self.config.current,
            app=app,
            capability=capability,
            requested_model=model,
            user=self.user_ids.recordable(user) if user else None,
            stream=stream,
            route=route,
        )
        if request_id:
            ctx.request_id = request_id
        return ctx

    def _detect_phi(self, text: str) -> list[Span]:
        return self.safety.detector(self.config.current.section("safety", SafetyConfig)).detect(text)

    async def run(self, ctx: RequestContext, request: AnyRequest) -> Result:
        """Send one request through the whole pipeline.

        A chat answer's id becomes ``chatcmpl-<request id>`` (also on every stream chunk), so the id an
        OpenAI SDK user holds is the one ``POST /v1/feedback`` and the usage records know.
        """
        sent_user = getattr(request, "user", None)
        if sent_user:
            # The request's own ``user`` field goes upstream (OpenAI uses it for abuse monitoring): the
            # same pseudonym as the records, never a patient's email or phone number.
            request.user = self.user_ids.recordable(sent_user)  # type: ignore[union-attr]
        result = await self.pipeline.run(ctx, request)
        response_id = f"chatcmpl-{ctx.request_id}"
        if isinstance(result, ChatResponse):
            result.id = response_id
        elif isinstance(result, ChunkStream):
            result.map(lambda chunks: _renamed(chunks, response_id))
        return result

    async def subcall(self, parent: RequestContext, capability: Capability, request: AnyRequest) -> Result:
        """A stage's own request (see core.pipeline.SubCall): recorded and costed like any other."""
        model = getattr(request, "model", None) or ""
        ctx = self.context(parent.app, capability, model, user=parent.user, route="internal")
        ctx.internal = True
        ctx.parent_request_id = parent.request_id
        return await self.pipeline.run(ctx, request)
