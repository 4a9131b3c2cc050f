"""Admin API for apps, budgets and key lifecycle (the console's Apps and Keys pages, and the CLI's
equivalents): create an app with its policy and budgets, change a budget, set a key's expiry, rotate a
key with a grace period, spend per key. Admin role only; every change is audited with the admin's key
id as the actor and the before/after values (never a key itself)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import ConfigurationError, InvalidRequestError
from ai_workers.db.models import UsageRecord
from ai_workers.server.app_registry import AppRegistry, BudgetChange, BudgetInput
from ai_workers.server.auth import require_admin
from ai_workers.server.keys import KeyStore
from ai_workers.server.responses import json_response, validation_error

MAX_GRACE_HOURS = 24 * 30


class KeyNotFoundError(InvalidRequestError):
    status = 404
    code = "key_not_found"


class CreateApp(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    description: str | None = None
    phi_policy: str | None = None
    allowed_models: list[str] | None = None
    budgets: list[BudgetInput] = msgspec.field(default_factory=list)


class ChangeApp(msgspec.Struct, forbid_unknown_fields=True):
    description: str | msgspec.UnsetType | None = msgspec.UNSET
    phi_policy: str | msgspec.UnsetType | None = msgspec.UNSET
    allowed_models: list[str] | msgspec.UnsetType | None = msgspec.UNSET


class CreateBudget(BudgetInput, forbid_unknown_fields=True):
    app: str = ""


class Rotate(msgspec.Struct, forbid_unknown_fields=True):
    grace_hours: float = 24.0


class Expiry(msgspec.Struct, forbid_unknown_fields=True):
    expires_at: str | None = None  # ISO 8601 date or date-time (UTC when no offset); null: never


def registry(request: Request) -> AppRegistry:
    found: AppRegistry | None = getattr(request.app.state, "apps", None)
    if found is None:
        raise ConfigurationError("Apps need the database, which is not configured on this server.")
    return found


def _keys(request: Request) -> KeyStore:
    keys: KeyStore | None = request.app.state.keys
    if keys is None:
        raise ConfigurationError("API keys need the database, which is not configured on this server.")
    return keys


def _decode(body: bytes, kind: type[Any]) -> Any:
    try:
        return msgspec.json.decode(body or b"{}", type=kind)
    except msgspec.DecodeError as exc:
        raise validation_error(exc) from None


async def audit(request: Request, action: str, app: str, actor: str | None, details: dict[str, Any]) -> None:
    log = getattr(request.app.state.gateway.usage, "audit", None)
    if log is not None:
        await log.write(app=app, action=action, actor=actor, details=details)


# -- apps ----------------------------------------------------------------------------------------------


async def list_apps(request: Request) -> Response:
    require_admin(request)
    apps = await registry(request).list_apps()
    return json_response({"object": "list", "data": [a.to_dict() for a in apps]})


async def create_app(request: Request) -> Response:
    admin = require_admin(request)
    body: CreateApp = _decode(await request.body(), CreateApp)
    record = await registry(request).create_app(
        body.name.strip(),
        description=body.description,
        phi_policy=body.phi_policy,
        allowed_models=body.allowed_models,
        budgets=body.budgets,
    )
    await audit(request, "app_create", record.name, admin.key_id, record.to_dict())
    return json_response(record.to_dict(), status=201)


async def change_app(request: Request) -> Response:
    admin = require_admin(request)
    name = request.path_params["name"]
    body: ChangeApp = _decode(await request.body(), ChangeApp)
    changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    record = await registry(request).update_app(name, changes)
    await audit(request, "app_update", name, admin.key_id, {"changes": changes})
    return json_response(record.to_dict())


# -- budgets -------------------------------------------------------------------------------------------


async def create_budget(request: Request) -> Response:
    admin = require_admin(request)
    body: CreateBudget = _decode(await request.body(), CreateBudget)
    if not body.app:
        raise InvalidRequestError("app: name the app this budget is for", param="app")
    budget = BudgetInput(
        period=body.period,
        usd=body.usd,
        requests=body.requests,
        scope=body.scope,
        user=body.user,
        soft_pct=body.soft_pct,
    )
    created = await registry(request).create_budget(body.app, budget)
    await audit(request, "budget_create", body.app, admin.key_id, created)
    return json_response(created, status=201)


def _budget_id(request: Request) -> int:
    raw = request.path_params["budget_id"]
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        raise InvalidRequestError("id: expected a budget id (an integer)", param="id")
    return int(raw)


async def change_budget(request: Request) -> Response:
    admin = require_admin(request)
    change: BudgetChange = _decode(await request.body(), BudgetChange)
    before, after = await registry(request).update_budget(_budget_id(request), change)
    await audit(request, "budget_update", after["app"], admin.key_id, {"before": before, "after": after})
    return json_response(after)


async def delete_budget(request: Request) -> Response:
    admin = require_admin(request)
    removed = await registry(request).delete_budget(_budget_id(request))
    await audit(request, "budget_delete", removed["app"], admin.key_id, removed)
    return json_response(removed)


# -- keys ----------------------------------------------------------------------------------------------


async def rotate_key(request: Request) -> Response:
    admin = require_admin(request)
    body: Rotate = _decode(await request.body(), Rotate)
    if not 0 <= body.grace_hours <= MAX_GRACE_HOURS:
        raise InvalidRequestError(
            f"grace_hours: must be between 0 and {MAX_GRACE_HOURS}", param="grace_hours"
        )
    key_id = request.path_params["key_id"]
    done = await _keys(request).rotate(key_id, grace=dt.timedelta(hours=body.grace_hours))
    if done is None:
        raise KeyNotFoundError(f"key_id: no key with id '{key_id}'.", param="key_id")
    old, new, key = done
    details = {"key_id": old.id, "new_key_id": new.id, "grace_hours": body.grace_hours}
    await audit(request, "key_rotate", old.app, admin.key_id, details)
    return json_response({"old": old.to_dict(), "new": {**new.to_dict(), "key": key}}, status=201)


def parse_expiry(raw: str | None) -> dt.datetime | None:
    if raw is None or raw == "":
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidRequestError(
            f"expires_at: expected a date or date-time like 2027-01-31T12:00, got '{raw}'", param="expires_at"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if value <= dt.datetime.now(dt.UTC):
        raise InvalidRequestError(
            "expires_at: must be in the future (revoke a key to end it now)", param="expires_at"
        )
    return value


async def set_expiry(request: Request) -> Response:
    admin = require_admin(request)
    body: Expiry = _decode(await request.body(), Expiry)
    expires = parse_expiry(body.expires_at)
    key_id = request.path_params["key_id"]
    info = await _keys(request).set_expiry(key_id, expires)
    if info is None:
        raise KeyNotFoundError(f"key_id: no key with id '{key_id}'.", param="key_id")
    details = {"key_id": info.id, "expires_at": expires.isoformat() if expires else None}
    await audit(request, "key_expiry", info.app, admin.key_id, details)
    return json_response(info.to_dict())


async def key_spend(request: Request) -> Response:
    """Spend and requests per key over ``days`` (default 30) UTC days up to now: one indexed query."""
    require_admin(request)
    raw = request.query_params.get("days", "30")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3) or not 1 <= int(raw) <= 366:
        raise InvalidRequestError("days: expected a whole number from 1 to 366", param="days")
    today = dt.datetime.now(dt.UTC).date()
    since = dt.datetime.combine(today - dt.timedelta(days=int(raw) - 1), dt.time(), dt.UTC)
    stmt = (
        select(UsageRecord.key_id, func.sum(UsageRecord.cost_usd), func.count())
        .where(UsageRecord.ts >= since, UsageRecord.key_id.is_not(None))
        .group_by(UsageRecord.key_id)
    )
    async with request.app.state.database.session() as session:
        rows = (await session.execute(stmt)).all()
    data = {key_id: {"cost_usd": float(cost or 0), "requests": int(n)} for key_id, cost, n in rows}
    return json_response({"days": int(raw), "since": since.isoformat(), "data": data})


def routes() -> list[BaseRoute]:
    return [
        Route("/admin/apps", list_apps, methods=["GET"]),
        Route("/admin/apps", create_app, methods=["POST"]),
        Route("/admin/apps/{name}", change_app, methods=["PATCH"]),
        Route("/admin/budgets", create_budget, methods=["POST"]),
        Route("/admin/budgets/{budget_id}", change_budget, methods=["PATCH"]),
        Route("/admin/budgets/{budget_id}", delete_budget, methods=["DELETE"]),
        Route("/admin/keys/spend", key_spend, methods=["GET"]),
        Route("/admin/keys/{key_id}/rotate", rotate_key, methods=["POST"]),
        Route("/admin/keys/{key_id}", set_expiry, methods=["PATCH"]),
    ]
