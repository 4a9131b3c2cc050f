"""Read-only APIs the dashboard needs that no other package serves: who am I, which apps exist, the
audit log, overrides, circuit breakers and A/B quality.

Every route authenticates with the caller's key. Admin keys see every app (optionally filtered with
``?app=``); an app key sees its own app only, and asking for another app is a 403 rather than a silent
empty answer, so a mistake is visible. Nothing here returns prompt or answer text: the audit log and
overrides hold identifier *types*, reasons and ids, never PHI values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import ConfigurationError, InvalidRequestError
from ai_workers.db.models import ApiKey, App, AuditEvent, DailySummary, Override, UsageRecord
from ai_workers.routing.quality import GROUP_COLUMNS, quality_report
from ai_workers.safety.config import app_policies
from ai_workers.safety.overrides import OverrideInfo
from ai_workers.server.auth import require_app, scoped_app
from ai_workers.server.responses import json_response

MAX_AUDIT_ROWS = 500
DEFAULT_AUDIT_ROWS = 100


class SessionSource(Protocol):
    """What these routes need from ``ai_workers.db.engine.Database``."""

    def session(self) -> AbstractAsyncContextManager[AsyncSession]: ...


# -- helpers -----------------------------------------------------------------------------------------


def _maybe_database(request: Request) -> SessionSource | None:
    """The usage database (the server's own handle to it when the usage service has none)."""
    database: SessionSource | None = getattr(request.app.state.gateway.usage, "database", None)
    if database is None:
        database = getattr(request.app.state, "database", None)
    return database


def _database(request: Request) -> SessionSource:
    database = _maybe_database(request)
    if database is None:
        raise ConfigurationError("This server has no usage database, so there is nothing to show yet.")
    return database


def _date(value: str | None, param: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidRequestError(
            f"{param}: expected a date as YYYY-MM-DD, got '{value}'", param=param
        ) from None


def date_range(request: Request, default_days: int) -> tuple[dt.datetime, dt.datetime]:
    """``from``/``to`` query dates (UTC, both inclusive) as a half-open datetime range."""
    today = dt.datetime.now(dt.UTC).date()
    end = _date(request.query_params.get("to"), "to") or today
    start = _date(request.query_params.get("from"), "from") or end - dt.timedelta(days=default_days - 1)
    if start > end:
        raise InvalidRequestError("from: must not be after 'to'", param="from")
    since = dt.datetime.combine(start, dt.time(), dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
    return since, until


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return DEFAULT_AUDIT_ROWS
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequestError(f"limit: expected an integer, got '{raw}'", param="limit") from None
    if not 1 <= value <= MAX_AUDIT_ROWS:
        raise InvalidRequestError(f"limit: must be between 1 and {MAX_AUDIT_ROWS}", param="limit")
    return value


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite returns naive datetimes; they were stored as UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


# -- routes ------------------------------------------------------------------------------------------


async def me(request: Request) -> Response:
    """Who the presented key belongs to: the dashboard shows admin pages only for admin keys."""
    identity = require_app(request)
    return json_response({"app": identity.name, "role": identity.role, "key_id": identity.key_id})


async def apps(request: Request) -> Response:
    """The apps an admin can filter by (configured, with keys, or with usage); an app key gets itself.

    Past usage comes from the daily summaries (small) plus today's records (an index range on ``ts``):
    a DISTINCT over the whole usage table would cost a full scan on every page load.
    """
    identity = require_app(request)
    settings = request.app.state.gateway.config.current
    if not identity.is_admin:
        policies = app_policies(settings, [identity.name])
        return json_response({"object": "list", "data": [identity.name], "policies": policies})
    names: set[str] = set(settings.apps)
    database = _maybe_database(request)
    if database is not None:
        midnight = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(), dt.UTC)
        queries = [
            select(App.name),
            select(ApiKey.app).distinct(),
            select(DailySummary.app).distinct(),
            select(UsageRecord.app).where(UsageRecord.ts >= midnight).distinct(),
        ]
        async with database.session() as session:
            for query in queries:
                names.update(await session.scalars(query))
    found = sorted(n for n in names if n)
    # Each app's effective PHI policy, so the dashboard shows which apps declared "off".
    return json_response({"object": "list", "data": found, "policies": app_policies(settings, found)})


def _audit_row(row: AuditEvent) -> dict[str, Any]:
    return {
        "id": row.id,
        "ts": _iso(row.ts),
        "app": row.app,
        "actor": row.actor,
        "action": row.action,
        "request_id": row.request_id,
        "reason": row.reason,
        "phi_types": row.phi_types or [],
        "details": row.details or {},
    }


async def audit(request: Request) -> Response:
    """Blocks, overrides and admin actions, newest first. ``?action=`` filters (comma-separated);
    ``?before_id=`` pages back."""
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"))
    since, until = date_range(request, default_days=30)
    limit = _limit(request)
    stmt = select(AuditEvent).where(AuditEvent.ts >= since, AuditEvent.ts < until)
    if app is not None:
        stmt = stmt.where(AuditEvent.app == app)
    actions = [a for a in (request.query_params.get("action") or "").split(",") if a]
    if actions:
        stmt = stmt.where(AuditEvent.action.in_(actions))
    before = request.query_params.get("before_id")
    if before:
        if not before.isdigit():
            raise InvalidRequestError("before_id: expected an integer", param="before_id")
        stmt = stmt.where(AuditEvent.id < int(before))
    stmt = stmt.order_by(AuditEvent.id.desc()).limit(limit + 1)
    async with _database(request).session() as session:
        rows = list(await session.scalars(stmt))
    more = len(rows) > limit
    return json_response({"object": "list", "data": [_audit_row(r) for r in rows[:limit]], "has_more": more})


async def overrides(request: Request) -> Response:
    """Overrides granted past PHI/safety blocks, newest first (the last 100). Unlike the safety package's
    ``GET /admin/safety/overrides`` (admins only), an app's key may read its own app's overrides."""
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"))
    stmt = select(Override).order_by(Override.created_at.desc()).limit(DEFAULT_AUDIT_ROWS)
    if app is not None:
        stmt = stmt.where(Override.app == app)
    async with _database(request).session() as session:
        rows = list(await session.scalars(stmt))
    now = dt.datetime.now(dt.UTC)
    return json_response({"object": "list", "data": [OverrideInfo.of(r).to_dict(now) for r in rows]})


async def circuits(request: Request) -> Response:
    """Circuit breaker state per provider+model, from the routing package's health monitor."""
    require_app(request)
    health = getattr(getattr(request.app.state.gateway, "routing", None), "health", None)
    snapshot = getattr(health, "snapshot", None)
    data: list[dict[str, Any]] = snapshot() if snapshot is not None else []
    return json_response({"object": "list", "data": data, "available": snapshot is not None})


def _group_by(raw: str | None) -> Sequence[str]:
    groups = [g for g in (raw or "provider,arm").split(",") if g]
    unknown = [g for g in groups if g not in GROUP_COLUMNS]
    if unknown or not groups:
        choices = ", ".join(GROUP_COLUMNS)
        raise InvalidRequestError(
            f"by: cannot group by {', '.join(unknown)}; choose from {choices}", param="by"
        )
    return groups


async def quality(request: Request) -> Response:
    """A/B quality per provider and arm: requests, errors, latency, cost and user satisfaction."""
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"))
    since, until = date_range(request, default_days=7)
    groups = _group_by(request.query_params.get("by"))
    rows = await quality_report(_database(request), since=since, until=until, app=app, group_by=groups)
    return json_response({"object": "list", "group_by": list(groups), "data": [r.to_dict() for r in rows]})


def routes() -> list[BaseRoute]:
    return [
        Route("/api/me", me, methods=["GET"]),
        Route("/api/apps", apps, methods=["GET"]),
        Route("/api/audit", audit, methods=["GET"]),
        Route("/api/overrides", overrides, methods=["GET"]),
        Route("/api/circuits", circuits, methods=["GET"]),
        Route("/api/quality", quality, methods=["GET"]),
    ]
