"""The alert history: ``GET /api/alerts`` (newest first), for the console's Alerts page.

Admin keys see every alert (``?app=`` filters to one app's budget alerts); an app's key sees its own
app's alerts only. Provider, neuron and error-rate alerts belong to no app, so only admins see them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import ConfigurationError, InvalidRequestError
from ai_workers.server.auth import require_app, scoped_app
from ai_workers.server.responses import json_response
from ai_workers.server.routes.dashboard_api import date_range
from ai_workers.usage.alert_history import KINDS, AlertHub


async def alerts(request: Request) -> Response:
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"))
    since, until = date_range(request, default_days=30)
    kind = request.query_params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise InvalidRequestError(f"kind: choose from {', '.join(KINDS)}", param="kind")
    hub: AlertHub | None = getattr(request.app.state.gateway.usage, "alert_hub", None)
    if hub is None:
        raise ConfigurationError("This server keeps no alert history (no usage database).")
    rows = await hub.history(since=since, until=until, app=app, kind=kind)
    return json_response({"object": "list", "data": rows, "kinds": list(KINDS)})


def routes() -> list[BaseRoute]:
    return [Route("/api/alerts", alerts, methods=["GET"])]
