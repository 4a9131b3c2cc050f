"""Browser tokens over HTTP (see ``server.browser_tokens``).

- ``POST /v1/tokens`` (an app key, from the app's backend): ``{"user", "models"?, "max_spend_usd"?,
  "ttl_seconds"?}`` -> ``{"token", "id", "app", "user", "models", "max_spend_usd", "expires_at"}``.
  An admin key may name another ``app``.
- ``GET /v1/tokens/current`` (the browser token itself): the token's user, models, cap, what it has
  spent, when it expires, and the app's budgets that apply to this user.
- ``POST /v1/tokens/revoke`` ``{"token"}``: by the app's key (or an admin key), or by the token itself
  (a front end's "log out"). 204.
"""

from __future__ import annotations

import time
from typing import TypeVar

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import AuthenticationError, PermissionDeniedError
from ai_workers.server.auth import require_app
from ai_workers.server.browser_tokens import DEFAULT_TTL_S, BrowserTokens
from ai_workers.server.responses import json_response, validation_error


class MintBody(msgspec.Struct, forbid_unknown_fields=True):
    user: str
    models: list[str] | None = None
    max_spend_usd: float | None = None
    ttl_seconds: float = DEFAULT_TTL_S
    app: str | None = None


class RevokeBody(msgspec.Struct, forbid_unknown_fields=True):
    token: str


def _tokens(request: Request) -> BrowserTokens:
    tokens: BrowserTokens | None = request.app.state.auth.tokens
    if tokens is None:
        raise AuthenticationError("Browser tokens are not available on this server.")
    return tokens


T = TypeVar("T")


def _decode(raw: bytes, kind: type[T]) -> T:
    try:
        return msgspec.json.decode(raw, type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise validation_error(exc) from exc


async def mint(request: Request) -> Response:
    identity = require_app(request)
    tokens = _tokens(request)
    body = _decode(await request.body(), MintBody)
    token, text = tokens.mint(
        identity,
        user=body.user,
        models=body.models,
        max_spend_usd=body.max_spend_usd,
        ttl_s=body.ttl_seconds,
        app=body.app,
    )
    return json_response({"token": text, **token.to_dict()}, status=201)


async def current(request: Request) -> Response:
    identity = require_app(request)
    tokens = _tokens(request)
    if identity.token_id is None:
        raise PermissionDeniedError(
            "This route describes a browser token; call it with one.", code="token_only"
        )
    raw = (
        request.headers.get("authorization", "").partition(" ")[2].strip()
        or request.headers.get("x-api-key", "").strip()
    )
    token = tokens.parse(raw)
    if token is None:  # revoked between authentication and here
        raise AuthenticationError("The browser token is invalid, expired or revoked.")
    service = request.app.state.gateway.usage
    statuses = await service.budgets.status(service.config.current, [token.app])
    budgets = [
        {name: getattr(s, name) for name in s.__dataclass_fields__}
        for s in statuses
        if s.user is None or s.user == token.user
    ]
    body = {
        **token.to_dict(),
        "spent_usd": tokens.spent(token.id),
        "expires_in_s": max(0, int(token.expires_at - time.time())),
        "budgets": budgets,
    }
    return json_response(body)


async def revoke(request: Request) -> Response:
    identity = require_app(request)
    tokens = _tokens(request)
    body = _decode(await request.body(), RevokeBody)
    token = tokens.parse(body.token)
    if token is not None:
        own = token.id == identity.token_id
        same_app_key = identity.token_id is None and token.app == identity.name
        if not (own or same_app_key or identity.is_admin):
            raise PermissionDeniedError(
                f"The key for app '{identity.name}' cannot revoke another app's tokens.", code="app_scope"
            )
        tokens.revoke(token.id, token.expires_at)
    return Response(status_code=204)


def routes() -> list[BaseRoute]:
    return [
        Route("/v1/tokens", mint, methods=["POST"]),
        Route("/v1/tokens/current", current, methods=["GET"]),
        Route("/v1/tokens/revoke", revoke, methods=["POST"]),
    ]
