"""Admin API for app keys (the dashboard's key page): list, create, revoke. Admin role only."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import ConfigurationError, InvalidRequestError, ModelNotFoundError
from ai_workers.server.auth import require_admin
from ai_workers.server.keys import KeyStore
from ai_workers.server.responses import json_response, validation_error
from ai_workers.server.routes.admin_apps import parse_expiry, registry


class KeyNotFoundError(InvalidRequestError):
    status = 404
    code = "key_not_found"


class CreateKey(msgspec.Struct, forbid_unknown_fields=True):
    app: str
    role: str = "app"
    models: list[str] | None = None
    name: str | None = None
    expires_at: str | None = None  # ISO date or date-time; null: never


def _store(request: Request) -> KeyStore:
    keys: KeyStore | None = request.app.state.keys
    if keys is None:
        raise ConfigurationError("API keys need the database, which is not configured on this server.")
    return keys


async def _audit(
    request: Request, action: str, app: str, actor: str | None, details: dict[str, object]
) -> None:
    audit = getattr(request.app.state.gateway.usage, "audit", None)
    if audit is not None:
        await audit.write(app=app, action=action, actor=actor, details=details)


async def list_keys(request: Request) -> Response:
    require_admin(request)
    app = request.query_params.get("app")
    include_revoked = request.query_params.get("include_revoked", "").lower() in {"1", "true", "yes"}
    keys = await _store(request).list_keys(app=app, include_revoked=include_revoked)
    return json_response({"object": "list", "data": [k.to_dict() for k in keys]})


async def create_key(request: Request) -> Response:
    admin = require_admin(request)
    try:
        body = msgspec.json.decode(await request.body(), type=CreateKey)
    except msgspec.DecodeError as exc:
        raise validation_error(exc) from None
    catalog = request.app.state.gateway.config.current.catalog
    for model in body.models or []:
        if model != "*" and catalog.find(model) is None:
            raise ModelNotFoundError(
                f"models: the model '{model}' does not exist in the catalog.", param="models"
            )
    if body.role not in ("app", "admin"):
        raise InvalidRequestError("role: must be 'app' or 'admin'", param="role")
    await registry(request).require(body.app.strip(), param="app")  # a typo is not a new app
    expires = parse_expiry(body.expires_at)
    info, key = await _store(request).create(
        body.app.strip(), role=body.role, models=body.models, name=body.name, expires_at=expires
    )
    await _audit(request, "key_create", info.app, admin.key_id, {"key_id": info.id, "role": info.role})
    # The only time the key is ever shown.
    return json_response({**info.to_dict(), "key": key}, status=201)


async def revoke_key(request: Request) -> Response:
    admin = require_admin(request)
    key_id = request.path_params["key_id"]
    info = await _store(request).revoke(key_id)
    if info is None:
        raise KeyNotFoundError(f"No key with id '{key_id}'.", param="key_id")
    await _audit(request, "key_revoke", info.app, admin.key_id, {"key_id": info.id})
    return json_response(info.to_dict())


def routes() -> list[BaseRoute]:
    return [
        Route("/admin/keys", list_keys, methods=["GET"]),
        Route("/admin/keys", create_key, methods=["POST"]),
        Route("/admin/keys/{key_id}", revoke_key, methods=["DELETE"]),
        Route("/admin/keys/{key_id}/revoke", revoke_key, methods=["POST"]),
    ]
