"""``GET /api/safety/summary``: the console's Safety page (redactions, blocks, flagged content,
overrides by app, type and day; counts and types only). An app's key sees its own app."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import InvalidRequestError
from ai_workers.server.auth import require_app, scoped_app
from ai_workers.server.responses import json_response
from ai_workers.server.routes.usage_api import _range
from ai_workers.usage.safety_report import safety_summary

MAX_DAYS = 92


async def summary(request: Request) -> Response:
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"))
    first, last = _range(request)
    if (last - first).days >= MAX_DAYS:
        raise InvalidRequestError(f"from: the Safety page covers at most {MAX_DAYS} days", param="from")
    body = await safety_summary(request.app.state.gateway.usage.database, first, last, app=app)
    return json_response(body)


def routes() -> list[BaseRoute]:
    return [Route("/api/safety/summary", summary, methods=["GET"])]
