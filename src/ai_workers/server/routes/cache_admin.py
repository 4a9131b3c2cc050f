"""Admin API for the cache: stats, invalidation (by app, model or key prefix) and warming. Admin only.

- ``GET /admin/cache/stats``: backend, entries, bytes, per-kind hit/miss counts and hit rate.
- ``POST /admin/cache/invalidate`` ``{"app"?, "model"?, "prefix"?, "key"?, "all"?}``: every given filter
  must match; an empty filter needs ``"all": true`` so a typo cannot wipe the cache. ``key`` drops one
  entry (exact and semantic), as a hit's ``x-ai-workers-cache-key`` header names it.
- ``POST /admin/cache/warm?app=NAME``: a JSONL body of chat/embedding requests, run as that app.
"""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.cache.stage import CacheStage
from ai_workers.cache.warm import WarmRequest, parse_warm_file, warm
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import InvalidRequestError
from ai_workers.core.pipeline import ChunkStream
from ai_workers.core.types import Capability, ChatRequest
from ai_workers.server.auth import require_admin
from ai_workers.server.responses import json_response, validation_error


class Invalidate(msgspec.Struct, forbid_unknown_fields=True):
    app: str | None = None
    model: str | None = None
    prefix: str | None = None
    key: str | None = None
    all: bool = False


def _cache(request: Request) -> CacheStage:
    stage: CacheStage = request.app.state.gateway.cache
    return stage


async def _audit(
    request: Request, action: str, app: str | None, actor: str | None, details: dict[str, object]
) -> None:
    audit = getattr(request.app.state.gateway.usage, "audit", None)
    if audit is not None:
        await audit.write(app=app or "*", action=action, actor=actor, details=details)


async def cache_stats(request: Request) -> Response:
    require_admin(request)
    return json_response(await _cache(request).stats())


async def cache_invalidate(request: Request) -> Response:
    admin = require_admin(request)
    try:
        body = msgspec.json.decode(await request.body() or b"{}", type=Invalidate)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise validation_error(exc) from None
    if body.app is None and body.model is None and body.prefix is None and body.key is None and not body.all:
        raise InvalidRequestError(
            "Give at least one of app, model, prefix or key, or all: true to clear the whole cache.",
            param="all",
        )
    removed = await _cache(request).invalidate(
        app=body.app, model=body.model, prefix=body.prefix, key=body.key
    )
    filters: dict[str, object] = {"model": body.model, "prefix": body.prefix, "key": body.key, **removed}
    await _audit(request, "cache_invalidate", body.app, admin.key_id, filters)
    return json_response({"removed": removed, "app": body.app, "model": body.model, "prefix": body.prefix})


async def cache_warm(request: Request) -> Response:
    admin = require_admin(request)
    app = request.query_params.get("app")
    if not app:
        raise InvalidRequestError("Name the app whose cache to warm: ?app=NAME", param="app")
    requests = parse_warm_file((await request.body()).decode("utf-8", errors="replace"))
    gateway = request.app.state.gateway
    identity = AppIdentity(app)

    async def run(req: WarmRequest) -> RequestContext:
        capability = Capability.CHAT if isinstance(req, ChatRequest) else Capability.EMBEDDINGS
        ctx: RequestContext = gateway.context(identity, capability, req.model, route="cache-warm")
        result = await gateway.run(ctx, req)
        if isinstance(result, ChunkStream):  # defensive: warm requests are not streamed
            async for _ in result:
                pass
        return ctx

    report = await warm(run, requests)
    await _cache(request).flush()
    await _audit(
        request, "cache_warm", app, admin.key_id, {"requests": report.requests, "stored": report.stored}
    )
    return json_response(report)


def routes() -> list[BaseRoute]:
    return [
        Route("/admin/cache/stats", cache_stats, methods=["GET"]),
        Route("/admin/cache/invalidate", cache_invalidate, methods=["POST"]),
        Route("/admin/cache/warm", cache_warm, methods=["POST"]),
    ]
