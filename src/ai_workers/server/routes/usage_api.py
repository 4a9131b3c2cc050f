"""Usage, cost, savings and budget APIs for the dashboard: ``GET /api/usage|costs|savings|budgets``.

Admin keys see every app (or one, with ``?app=``); an app's key sees only its own app, and asking for
another app is a 403. Dates are UTC days, ``from`` and ``to`` inclusive (default: the last 30 days).
Reports are ``ai_workers.usage.reports.Report`` objects as JSON, the same numbers the CLI prints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import InvalidRequestError
from ai_workers.server.auth import require_app, scoped_app
from ai_workers.server.responses import json_response
from ai_workers.usage.reports import costs_report, savings_report, usage_by_day
from ai_workers.usage.service import UsageService

DEFAULT_DAYS = 30
MAX_DAYS = 3660


def _day(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequestError(f"{name}: expected a date as YYYY-MM-DD, got '{raw}'", param=name) from None


def _range(request: Request) -> tuple[dt.date, dt.date]:
    last = _day(request, "to") or dt.datetime.now(dt.UTC).date()
    first = _day(request, "from") or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidRequestError("from: must not be after 'to'", param="from")
    if (last - first).days > MAX_DAYS:
        raise InvalidRequestError(f"The range is limited to {MAX_DAYS} days.", param="from")
    return first, last


def _service(request: Request) -> UsageService:
    service: UsageService = request.app.state.gateway.usage
    return service


async def usage(request: Request) -> Response:
    """Requests, errors, cache hits, tokens, cost and latency per day and app."""
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="usage")
    first, last = _range(request)
    service = _service(request)
    report = await usage_by_day(service.database, first, last, app=app)
    return json_response(report.to_json_obj())


async def costs(request: Request) -> Response:
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="usage")
    first, last = _range(request)
    by = request.query_params.get("by") or "app"
    report = await costs_report(_service(request).database, first, last, by=by, app=app)
    return json_response(report.to_json_obj())


async def savings(request: Request) -> Response:
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="usage")
    first, last = _range(request)
    baseline = request.query_params.get("baseline") or "gpt-4o"
    service = _service(request)
    report = await savings_report(
        service.database, service.config.current.catalog, first, last, baseline=baseline, app=app
    )
    # The same object `ai-workers report savings --json` prints (baseline_model is one of its sections).
    body: dict[str, Any] = report.to_json_obj()
    return json_response(body)


async def budgets(request: Request) -> Response:
    """Each budget with what is spent, reserved by requests in flight, and when it resets."""
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="usage")
    service = _service(request)
    settings = service.config.current
    apps = [app] if app is not None else sorted({*settings.apps, *service.budgets.table_rules})
    statuses = await service.budgets.status(settings, apps)
    return json_response({"data": [_status_dict(s) for s in statuses]})


def _status_dict(status: Any) -> dict[str, Any]:
    return {name: getattr(status, name) for name in status.__dataclass_fields__}


def routes() -> list[BaseRoute]:
    return [
        Route("/api/usage", usage, methods=["GET"]),
        Route("/api/costs", costs, methods=["GET"]),
        Route("/api/savings", savings, methods=["GET"]),
        Route("/api/budgets", budgets, methods=["GET"]),
    ]
