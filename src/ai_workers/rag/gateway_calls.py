"""Binds the RAG service's model callables to the gateway's own pipeline, per calling app.

Every embedding, rerank and chat call of a RAG ingest or query runs through ``gateway.run`` as the
calling app, so it is budgeted, PHI-checked, cached, routed, retried, costed and recorded like any
other request, and its cost comes back from the finished request context into the RAG step timings.

The exception is the ``local`` reranker: it makes no model call at all (``rag.rerank`` scores the
candidates from their stored vectors and terms inside the service), so it needs no callable here.

``RagRuntime`` holds what is shared across requests (the store and its BM25 cache); ``service(app)``
is cheap and returns a RagService bound to that app's callables and config. The gateway is typed by a
Protocol so this package does not import ``ai_workers.gateway``.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Protocol

import msgspec

from ai_workers.core.background import cancel_and_wait
from ai_workers.core.config import ConfigStore
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import AIWorkersError, ConfigurationError, InvalidRequestError
from ai_workers.core.types import (
    Capability,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    EmbeddingResponse,
    Message,
    RerankRequest,
    RerankResponse,
)
from ai_workers.rag.config import RagAppConfig, RagConfig
from ai_workers.rag.lexical import LexicalIndex
from ai_workers.rag.rerank import LOCAL_MODEL
from ai_workers.rag.service import RagService
from ai_workers.rag.stores.base import ChunkStore
from ai_workers.rag.stores.factory import open_store
from ai_workers.rag.types import Chat, Embed, Rerank
from ai_workers.routing.targets import resolve_targets

WORKERS_AI_RERANK = "bge-reranker-base"
log = logging.getLogger("ai_workers.rag")


class GatewayLike(Protocol):
    config: ConfigStore
    registry: Any

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
    ) -> RequestContext: ...

    async def run(self, ctx: RequestContext, request: Any) -> Any: ...


PROVIDER_CHOICES = ("cloudflare", "openai", "auto")
IN_PROCESS = "local"  # provider type whose models run inside the gateway: no data leaves the machine


def pin_provider(ctx: RequestContext, provider: str | None) -> None:
    """Send this call only to ``provider``'s deployments (``options.provider`` of a RAG query).

    The targets are set before the pipeline runs, so the routing stage keeps them and the safety stage
    judges trust on exactly these targets: the app's PHI policy and model allow-list still apply (an
    untrusted provider of a redact app still gets redacted text). A model served in-process (provider
    type ``local``) stays where it is whatever provider is asked for; nothing leaves the machine. A
    model the provider does not serve is a 400 naming both, not a silent call elsewhere.
    """
    if provider is None or provider == "auto":
        return
    settings = ctx.settings
    spec, targets = resolve_targets(settings, ctx.app, ctx.capability, ctx.requested_model)
    local = [
        t for t in targets if (p := settings.providers.get(t.provider)) is not None and p.type == IN_PROCESS
    ]
    chosen = [t for t in targets if t.provider == provider] or local
    if not chosen:
        raise InvalidRequestError(
            f"options.provider: the {ctx.capability.value} model '{spec.name}' is not served by "
            f"'{provider}' (use provider auto, or a collection embedded with a model '{provider}' serves)",
            param="options.provider",
        )
    ctx.targets = chosen
    ctx.logical_model = spec.name
    ctx.route_reason = f"options.provider {provider}"


def gateway_embed(
    gateway: GatewayLike, app: AppIdentity, user: str | None = None, provider: str | None = None
) -> Embed:
    async def embed(texts: list[str], model: str) -> tuple[list[list[float]], float]:
        ctx = gateway.context(app, Capability.EMBEDDINGS, model, user=user, route="rag")
        pin_provider(ctx, provider)
        response = await gateway.run(ctx, EmbeddingRequest(model=model, input=texts))
        if not isinstance(response, EmbeddingResponse):
            raise ConfigurationError(f"{model} did not return embeddings")
        return response.vectors(), ctx.cost_usd or 0.0

    return embed


def gateway_rerank(
    gateway: GatewayLike, app: AppIdentity, user: str | None = None, provider: str | None = None
) -> Rerank:
    async def rerank(query: str, passages: list[str], model: str) -> tuple[list[float], float]:
        ctx = gateway.context(app, Capability.RERANK, model, user=user, route="rag")
        pin_provider(ctx, provider)
        response = await gateway.run(ctx, RerankRequest(model=model, query=query, documents=passages))
        cost = ctx.cost_usd or 0.0
        if not isinstance(response, RerankResponse):
            raise ConfigurationError(f"{model} did not return rerank scores")
        scores = [float("-inf")] * len(passages)
        for result in response.results:
            if 0 <= result.index < len(scores):
                scores[result.index] = result.relevance_score
        return scores, cost

    return rerank


def gateway_chat(
    gateway: GatewayLike, app: AppIdentity, user: str | None = None, provider: str | None = None
) -> Chat:
    async def chat(system: str, prompt: str, model: str) -> tuple[str, float, str | None]:
        ctx = gateway.context(app, Capability.CHAT, model, user=user, route="rag")
        pin_provider(ctx, provider)
        request = ChatRequest(
            model=model,
            messages=[Message(role="system", content=system), Message(role="user", content=prompt)],
            temperature=0.0,
        )
        response = await gateway.run(ctx, request)
        if not isinstance(response, ChatResponse):
            raise ConfigurationError(f"{model} did not return a chat completion")
        return response.text, ctx.cost_usd or 0.0, ctx.provider

    return chat


def _provider_ready(gateway: GatewayLike, name: str) -> bool:
    try:
        gateway.registry.get(name).check_configured()
    except (AIWorkersError, LookupError):
        return False
    return True


class RagRuntime:
    """The gateway's RAG state: one store (opened on first use) and its BM25 index cache."""

    def __init__(self, gateway: GatewayLike, *, store: ChunkStore | None = None) -> None:
        self.gateway = gateway
        self._store = store
        self._lexical: LexicalIndex | None = None
        self._open_lock = asyncio.Lock()
        self._opened = False
        self._warm_task: asyncio.Task[None] | None = None

    def config(self, app: str | None = None) -> RagConfig:
        settings = self.gateway.config.current
        base = settings.section("rag", RagConfig)
        if app is None:
            return base
        return settings.app_section(app, "rag", RagAppConfig).apply(base)

    def store_url(self) -> str:
        settings = self.gateway.config.current
        cfg = self.config()
        if cfg.store == "postgres":
            url = cfg.url or settings.database_url
            if not url or not url.startswith("postgres"):
                raise ConfigurationError("rag.store is 'postgres' but no PostgreSQL URL is set (rag.url)")
            return url
        if cfg.store != "embedded":
            raise ConfigurationError(f"rag.store must be 'embedded' or 'postgres', not '{cfg.store}'")
        return cfg.url or str(settings.resolved_data_dir() / "rag.db")

    async def _ready(self) -> tuple[ChunkStore, LexicalIndex]:
        if not self._opened:
            async with self._open_lock:
                if not self._opened:
                    if self._store is None:
                        self._store = open_store(self.store_url())
                    await self._store.open()
                    self._lexical = LexicalIndex(self._store)
                    self._opened = True
        assert self._store is not None and self._lexical is not None
        return self._store, self._lexical

    async def service(
        self, app: AppIdentity, *, user: str | None = None, provider: str | None = None
    ) -> RagService:
        """A service bound to ``app``. ``provider`` (cloudflare, openai or auto) is a query's
        ``options.provider``: the answer runs on that provider's chat model (the configured one when it
        serves it, else ``rag.provider_chat_models``), embeddings and a remote reranker only on its
        deployments (see ``pin_provider``); a reranker it does not serve gives way to the in-process
        one, since a query must not be sent to a provider the caller did not choose."""
        store, lexical = await self._ready()
        cfg = self.config(app.name)
        pinned = provider if provider not in (None, "auto") else None
        if pinned is not None and pinned not in self.gateway.config.current.providers:
            raise InvalidRequestError(
                f"options.provider: no provider named '{pinned}' is configured", param="options.provider"
            )
        if cfg.rerank_model == "auto":
            cloudflare = pinned in (None, "cloudflare") and _provider_ready(self.gateway, "cloudflare")
            cfg = msgspec.structs.replace(cfg, rerank_model=WORKERS_AI_RERANK if cloudflare else LOCAL_MODEL)
        if pinned is not None:
            if cfg.rerank_model not in (None, LOCAL_MODEL) and not self._serves(pinned, cfg.rerank_model):
                cfg = msgspec.structs.replace(cfg, rerank_model=LOCAL_MODEL)
            if cfg.chat_model is None or not self._serves(pinned, cfg.chat_model):
                chat_model = cfg.provider_chat_models.get(pinned)
                if chat_model is None:
                    raise InvalidRequestError(
                        f"options.provider: rag.provider_chat_models names no chat model for '{pinned}'",
                        param="options.provider",
                    )
                cfg = msgspec.structs.replace(cfg, chat_model=chat_model)
        remote_rerank = cfg.rerank_model not in (None, LOCAL_MODEL)
        return RagService(
            store,
            embed=gateway_embed(self.gateway, app, user, pinned),
            rerank=gateway_rerank(self.gateway, app, user, pinned) if remote_rerank else None,
            chat=gateway_chat(self.gateway, app, user, pinned) if cfg.chat_model else None,
            config=cfg,
            lexical=lexical,
        )

    def _serves(self, provider: str, model: str) -> bool:
        spec = self.gateway.config.current.catalog.find(model)
        return spec is not None and any(d.provider == provider for d in spec.deployments)

    def warm(self) -> None:
        """Load the local embedding models that stored collections use, in the background (the server
        calls this at start).

        A local model loads on its first use (MiniLM took ~9 s here), so without this the first RAG
        query after a restart waited that long. Only models a ``local`` provider serves are called (a
        remote one has nothing to load), and a gateway whose embedded RAG store was never created
        opens nothing.
        """
        if self._warm_task is not None:
            return
        try:
            config = self.config()
            if not config.warm_up or (config.store == "embedded" and not Path(self.store_url()).exists()):
                return
        except ConfigurationError:
            return  # a misconfigured store is reported by the first RAG call
        self._warm_task = asyncio.get_running_loop().create_task(self._warm(), name="rag-warmup")

    async def _warm(self) -> None:
        try:
            store, _ = await self._ready()
            settings = self.gateway.config.current
            catalog = settings.catalog
            for name in await store.embedding_models():
                spec = catalog.find(name)
                local = spec is not None and any(
                    (provider := settings.providers.get(d.provider)) is not None and provider.type == "local"
                    for d in spec.deployments
                )
                if not local:
                    continue
                ctx = self.gateway.context(
                    AppIdentity(settings.default_app),
                    Capability.EMBEDDINGS,
                    name,
                    route="internal:rag-warmup",
                )
                ctx.internal = True
                await self.gateway.run(ctx, EmbeddingRequest(model=name, input=["warm up"]))
        except Exception as exc:  # the first query will load it (and report what is wrong)
            log.warning("RAG embedding model warm-up failed: %s", str(exc).splitlines()[0][:300])

    async def aclose(self) -> None:
        if self._warm_task is not None:
            await cancel_and_wait(self._warm_task)
            self._warm_task = None
        if self._store is not None and self._opened:
            await self._store.close()
        self._opened = False
