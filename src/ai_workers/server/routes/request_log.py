"""The request log, charts and overview APIs of the operator console.

* ``GET /api/requests``: usage records newest first, filtered, paged by ``cursor`` (``next_cursor``).
* ``GET /api/requests.csv``: the same filters as CSV (at most ``limit`` rows, default 10,000).
* ``GET /api/requests/{id}``: one record with its attempts, routing and PHI counts.
* ``GET /api/charts?preset=today|7d|month&by=total|app|model&metric=requests|errors|latency|tokens|cost``:
  time series from the hourly roll-up.
* ``GET /api/overview``: per app, today and this month; PHI redactions and blocks.

Scoping is the dashboard's one rule (``server.auth.scoped_app``): an app key reads its own app only, and
asking for another app is a 403. Prompt and answer text (opt-in per app, PHI-redacted) is returned by
the detail view only, so only to that app's keys and admins; lists and the CSV never carry it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import InvalidRequestError
from ai_workers.db.engine import Database
from ai_workers.server.auth import require_app, scoped_app
from ai_workers.server.dashboard import DashboardNotFoundError
from ai_workers.server.responses import json_response
from ai_workers.server.routes.dashboard_api import date_range
from ai_workers.usage import charts, request_log
from ai_workers.usage.request_log import CACHE_FILTERS, SAFETY_FILTERS, LogFilter

DEFAULT_PAGE = 50
DEFAULT_EXPORT = 10_000
MAX_EXPORT = 100_000


def _database(request: Request) -> Database:
    database: Database = request.app.state.gateway.usage.database
    return database


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequestError(f"{name}: expected an integer, got '{raw}'", param=name) from None
    if not low <= value <= high:
        raise InvalidRequestError(f"{name}: must be between {low} and {high}, got {value}", param=name)
    return value


def _choice(request: Request, name: str, choices: tuple[str, ...]) -> str | None:
    value = request.query_params.get(name) or None
    if value is not None and value not in choices:
        raise InvalidRequestError(f"{name}: expected one of {', '.join(choices)}, got '{value}'", param=name)
    return value


def _filter(request: Request) -> LogFilter:
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="request log")
    since, until = date_range(request, default_days=7)
    params = request.query_params
    phi = _choice(request, "phi", ("yes",))
    flt = LogFilter(
        since=since,
        until=until,
        app=app,
        user=params.get("user") or None,
        model=params.get("model") or None,
        provider=params.get("provider") or None,
        status=params.get("status") or None,
        cache=_choice(request, "cache", CACHE_FILTERS),
        phi=True if phi else None,
        safety=_choice(request, "safety", SAFETY_FILTERS),
        q=(params.get("q") or "").strip() or None,
    )
    for name in ("user", "model", "provider", "q"):
        value = getattr(flt, name)
        if value is not None and len(value) > 200:
            raise InvalidRequestError(f"{name}: at most 200 characters", param=name)
    return flt


async def list_requests(request: Request) -> Response:
    """A page of the request log: ``data``, ``next_cursor`` (null on the last page)."""
    flt = _filter(request)
    limit = _int(request, "limit", DEFAULT_PAGE, 1, request_log.MAX_PAGE)
    rows, following = await request_log.page(
        _database(request), flt, limit=limit, cursor=request.query_params.get("cursor") or None
    )
    return json_response(
        {
            "object": "list",
            "data": rows,
            "next_cursor": following,
            "has_more": following is not None,
            "content_stored": False,
            "content_note": request_log.CONTENT_NOTE,
        }
    )


async def request_detail(request: Request) -> Response:
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="request log")
    request_id = request.path_params["request_id"]
    row = await request_log.detail(_database(request), request_id, app)
    if row is None:
        # An app key asking for another app's request gets the same answer as for a missing one.
        raise DashboardNotFoundError(f"No request '{request_id}' in the log this key may read.", param="id")
    return json_response(row)


def _csv_cell(value: object) -> object:
    # A caller-chosen user id starting like a formula must not run in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


async def export_csv(request: Request) -> Response:
    flt = _filter(request)
    limit = _int(request, "limit", DEFAULT_EXPORT, 1, MAX_EXPORT)
    database = _database(request)

    async def body() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(request_log.CSV_COLUMNS)
        count = 0
        async for row in request_log.export(database, flt, max_rows=limit):
            writer.writerow([_csv_cell(v) for v in request_log.csv_values(row)])
            count += 1
            if count % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    name = f"ai-workers-requests-{flt.app or 'all'}-{stamp}.csv"
    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"},
    )


async def chart_series(request: Request) -> Response:
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="usage")
    preset = request.query_params.get("preset") or "today"
    by = request.query_params.get("by") or "total"
    model = request.query_params.get("model") or None
    metric = request.query_params.get("metric") or "requests"
    body = await charts.series(_database(request), preset, by=by, metric=metric, app=app, model=model)
    return json_response(body)


async def overview(request: Request) -> Response:
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="usage")
    return json_response(await charts.overview(_database(request), app=app))


def routes() -> list[BaseRoute]:
    return [
        Route("/api/requests", list_requests, methods=["GET"]),
        Route("/api/requests.csv", export_csv, methods=["GET"]),
        Route("/api/requests/{request_id}", request_detail, methods=["GET"]),
        Route("/api/charts", chart_series, methods=["GET"]),
        Route("/api/overview", overview, methods=["GET"]),
    ]
