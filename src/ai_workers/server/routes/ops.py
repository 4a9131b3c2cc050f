"""Operations endpoints: liveness, readiness, provider health, Prometheus metrics, OpenAPI document.

/health, /ready and /metrics need no key (load balancers and scrapers call them; they reveal no
prompts, only counts). /health/providers needs any valid key.
"""

from __future__ import annotations

import asyncio
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import AIWorkersError
from ai_workers.core.metrics import push_deferred
from ai_workers.server.auth import require_app
from ai_workers.server.dispatch import Services
from ai_workers.server.openapi import openapi_document
from ai_workers.server.provider_status import provider_status
from ai_workers.server.responses import json_response


async def health(request: Request) -> Response:
    return json_response({"status": "ok"})


def _providers_status(services: Services) -> dict[str, dict[str, Any]]:
    """Each enabled provider: configured (credentials present) or the message saying what is missing."""
    out: dict[str, dict[str, Any]] = {}
    settings = services.gateway.config.current
    for name, config in settings.providers.items():
        if not config.enabled:
            continue
        try:
            services.gateway.registry.get(name).check_configured()
        except AIWorkersError as exc:
            out[name] = {"configured": False, "message": exc.message}
        else:
            out[name] = {"configured": True}
    return out


async def _database_ok(services: Services) -> tuple[bool, str | None]:
    database = services.database
    try:
        async with asyncio.timeout(2.0), database.session() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        return False, type(exc).__name__
    return True, None


async def ready(request: Request) -> Response:
    """503 until the database answers and at least one provider is usable."""
    services = Services.of(request.scope)
    db_ok, db_error = await _database_ok(services)
    providers = _providers_status(services)
    any_provider = any(p["configured"] for p in providers.values())
    ok = db_ok and any_provider
    body = {
        "status": "ready" if ok else "not_ready",
        "database": {"ok": db_ok, "error": db_error},
        "providers": providers,
    }
    return json_response(body, status=200 if ok else 503)


def _circuits(services: Services) -> dict[str, list[dict[str, Any]]]:
    """The routing health monitor's per-model circuit states, by provider (when routing has one)."""
    monitor = getattr(getattr(services.gateway, "routing", None), "health", None)
    snapshot = getattr(monitor, "snapshot", None)
    if snapshot is None:
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for target in snapshot():
        out.setdefault(str(target.get("provider")), []).append(target)
    return out


async def provider_health(request: Request) -> Response:
    """Recent success rate and latency per provider, from the calls the gateway made (last 5 min),
    plus each of its models' circuit-breaker state from the routing health monitor."""
    require_app(request)
    services = Services.of(request.scope)
    recent = services.metrics.health.summary()
    configured = _providers_status(services)
    circuits = _circuits(services)
    data = {}
    for name in sorted(set(configured) | set(recent) | set(circuits)):
        entry: dict[str, Any] = {"provider": name, **configured.get(name, {"configured": False})}
        entry.update(recent.get(name, {"calls": 0, "success_rate": None, "p50_ms": None, "p95_ms": None}))
        entry["models"] = circuits.get(name, [])
        entry["status"], entry["status_reason"] = provider_status(
            configured=bool(entry.get("configured")),
            calls=int(entry.get("calls") or 0),
            success_rate=entry.get("success_rate"),
            circuits=entry["models"],
        )
        data[name] = entry
    return json_response({"providers": data})


async def metrics(request: Request) -> Response:
    push_deferred()  # the request path's counts, kept as plain numbers until read (core.metrics)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


async def openapi(request: Request) -> Response:
    return json_response(openapi_document())


def routes() -> list[BaseRoute]:
    return [
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/health/providers", provider_health, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]
