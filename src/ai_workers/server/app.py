"""The HTTP gateway: a Starlette app over one ``Gateway``.

Routes come from one module per concern (``server/routes/<concern>.py``, each exposing ``routes()``);
owners of other packages add their module to ``ROUTE_MODULES``. Every error leaves as OpenAI's error
JSON with the right status: ``AIWorkersError`` subclasses carry their own, msgspec validation errors
become 400s naming the field, unknown routes 404, anything unexpected 500 (logged, server keeps going).
"""

from __future__ import annotations

import gc
import importlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import msgspec
import sqlalchemy.exc
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ai_workers.batch.worker import BatchWorker
from ai_workers.core.errors import (
    AIWorkersError,
    DatabaseUnavailableError,
    InternalTimeoutError,
    InvalidRequestError,
)
from ai_workers.db.engine import Database
from ai_workers.db.redis_client import optional_redis_client
from ai_workers.db.shared_file import shared_state_file
from ai_workers.gateway import Gateway
from ai_workers.server.app_registry import AppRegistry
from ai_workers.server.auth import Authenticator
from ai_workers.server.browser_tokens import AppCors, BrowserTokens, load_secret
from ai_workers.server.dispatch import Services
from ai_workers.server.front import GatewayApp
from ai_workers.server.hot_router import HotRouter
from ai_workers.server.http import EXPOSED_HEADERS, Receive, Scope, Send, content_length, too_large
from ai_workers.server.key_sync import KeyChanges
from ai_workers.server.keys import KeyStore
from ai_workers.server.limits import RateLimiter, SqliteBuckets
from ai_workers.server.metrics import MetricsListener
from ai_workers.server.responses import error_response, json_response, too_deep_error, validation_error
from ai_workers.server.routes.batches import start_batches
from ai_workers.server.routes.openai import render_openai_error
from ai_workers.server.routes.workers_ai import render_cf_error
from ai_workers.server.token_sync import RedisTokenStore, SqliteTokenStore, TokenStore
from ai_workers.usage.report_delivery import DailyReportScheduler

log = logging.getLogger("ai_workers.server")

# One line per module that contributes routes (each defines ``routes() -> list[BaseRoute]``).
ROUTE_MODULES: list[str] = [
    "ai_workers.server.routes.openai",
    "ai_workers.server.routes.openai_responses",
    "ai_workers.server.routes.workers_ai",
    "ai_workers.server.routes.ops",
    "ai_workers.server.routes.admin_keys",
    "ai_workers.server.routes.admin_apps",  # /admin/apps, /admin/budgets, key rotation/expiry/spend
    "ai_workers.server.routes.alerts",  # GET /api/alerts: the alert history
    "ai_workers.server.routes.safety_report",  # GET /api/safety/summary: the console's Safety page
    "ai_workers.server.routes.cache_admin",  # /admin/cache/*
    "ai_workers.server.routes.feedback",  # POST /v1/feedback, /admin/routing/*
    "ai_workers.server.routes.safety",  # POST /v1/safety/scan, /admin/safety/overrides
    "ai_workers.server.routes.usage_api",  # /api/usage, /api/costs, /api/savings, /api/budgets
    "ai_workers.server.dashboard",  # the web dashboard's pages + its read-only /api/*
    "ai_workers.server.routes.request_log",  # /api/requests[.csv|/{id}], /api/charts, /api/overview
    "ai_workers.server.routes.rag",  # /api/rag/documents, /api/rag/query, /api/rag/collections
    "ai_workers.server.routes.tokens",  # /v1/tokens: browser tokens minted by an app's backend
    "ai_workers.server.routes.files",  # /v1/files: batch input and output files
    "ai_workers.server.routes.batches",  # /v1/batches, /api/batches
]

# Routes whose bodies are file uploads: capped by ``server.max_upload_bytes`` instead of max_body_bytes.
UPLOAD_PATHS = frozenset({"/api/rag/documents", "/v1/files"})


def collect_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for name in ROUTE_MODULES:
        module = importlib.import_module(name)
        routes.extend(module.routes())
    return routes


# -- error rendering ---------------------------------------------------------------------------------


async def _aiworkers_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AIWorkersError)
    return error_response(exc)


async def _msgspec_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, msgspec.DecodeError)
    return error_response(validation_error(exc))


# OpenAI API routes this gateway does not serve, with what to use instead: an SDK call to one of them
# should say so plainly rather than look like a typo in the base URL.
_UNSERVED_OPENAI_ROUTES = {
    "/v1/responses": "Stored responses are not supported: this gateway keeps no response state "
    "(retrieve, delete, cancel and input_items need it); send the whole conversation in input.",
    "/v1/completions": "Legacy text completions are not supported; use POST /v1/chat/completions.",
    "/v1/images": "Image generation and editing are not supported by this gateway.",
    "/v1/assistants": "The Assistants API is not supported by this gateway.",
    "/v1/threads": "The Assistants API (threads) is not supported by this gateway.",
    "/v1/vector_stores": "OpenAI vector stores are not supported; the gateway's own RAG API is /api/rag.",
    "/v1/fine_tuning": "Fine-tuning is not supported by this gateway.",
    "/v1/realtime": "The Realtime API is not supported by this gateway.",
}


def _unserved(path: str) -> str | None:
    for prefix, message in _UNSERVED_OPENAI_ROUTES.items():
        if path == prefix or path.startswith(prefix + "/"):
            return message
    return None


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    """A statement that hit the database timeout (db/engine.py), or a database that cannot be reached:
    503 with Retry-After, not a 500 (nor a request held until the client gives up)."""
    log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
    return error_response(DatabaseUnavailableError("The database did not answer in time; try again shortly."))


def _raised_in_database_code(exc: BaseException) -> bool:
    """Whether the exception passed through SQLAlchemy's or a database driver's frames on its way up."""
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith(("sqlalchemy", "asyncpg", "psycopg", "aiosqlite", "ai_workers.db")):
            return True
        tb = tb.tb_next
    return False


async def _timeout(request: Request, exc: Exception) -> Response:
    """A bare ``TimeoutError``: asyncpg's command timeout arrives as one (a database answer), but so does
    any ``asyncio.timeout`` inside a handler, which is no reason to tell a client the database is down."""
    if _raised_in_database_code(exc):
        return await _database_unavailable(request, exc)
    log.warning("internal timeout on %s %s: %r", request.method, request.url.path, exc)
    return error_response(InternalTimeoutError("An internal operation did not finish in time; try again."))


async def _too_deep(request: Request, exc: Exception) -> Response:
    return error_response(too_deep_error())


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code: str | None = None
    if exc.status_code == 404 and (unserved := _unserved(request.url.path)) is not None:
        message, code = unserved, "unsupported_endpoint"
    elif exc.status_code == 404:
        message = f"No such route: {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
    else:
        message = exc.detail
    body = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}
    return json_response(body, status=exc.status_code, headers=exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = {"error": {"message": "Internal server error", "type": "api_error", "param": None, "code": None}}
    return json_response(body, status=500)


# -- outer guard -------------------------------------------------------------------------------------


class RequestGuard:
    """Outermost ASGI layer: stamps the start time, refuses oversize bodies (413) for every route, and
    lets a key created since the last key snapshot be looked up before any route checks it."""

    def __init__(self, app: Any, gateway: Gateway, auth: Authenticator) -> None:
        self.app = app
        self.gateway = gateway
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        admitted = await self.admit(scope, receive, send)
        if admitted is not None:
            await self.app(scope, admitted, send)

    async def admit(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """The guard's checks for one HTTP request: the receive the app should use, or None when the
        guard answered (413). ``front.GatewayApp`` calls this for the hot routes it serves directly."""
        scope["aiw.t0"] = time.perf_counter()
        server = self.gateway.config.current.server
        max_bytes = server.max_upload_bytes if scope["path"] in UPLOAD_PATHS else server.max_body_bytes
        try:
            declared = content_length(scope["headers"])
            if declared is not None and declared > max_bytes:
                raise too_large(declared, max_bytes)
        except InvalidRequestError as exc:
            workers_ai = "/ai/run/" in scope["path"]  # that API answers in Cloudflare's envelope
            await _send_error(send, exc, render_cf_error if workers_ai else render_openai_error)
            return None
        if declared is None and scope["method"] in ("POST", "PUT", "PATCH"):
            receive = _bounded(receive, max_bytes)
        lookup = self.auth.admit_new_key(scope)
        if lookup is not None:
            await lookup
        return receive


def _bounded(receive: Receive, max_bytes: int) -> Receive:
    """A chunked body (no Content-Length) is counted as it arrives and cut off past the limit."""
    seen = 0

    async def wrapped() -> Any:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > max_bytes:
            raise too_large(seen, max_bytes)
        return message

    return wrapped


async def _send_error(send: Send, exc: AIWorkersError, render: Callable[[AIWorkersError], bytes]) -> None:
    body = render(exc)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in exc.headers().items()]
    await send({"type": "http.response.start", "status": exc.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# -- the app -----------------------------------------------------------------------------------------


def create_app(
    gateway: Gateway, *, require_keys: bool | None = None, database: Database | None = None
) -> Starlette:
    """The ASGI app. Its lifespan starts the gateway and, on shutdown (after uvicorn has let in-flight
    requests finish), closes it, which flushes queued usage records.

    Keys live in the usage service's database; if the gateway has none (a usage service without one),
    the app opens the configured database itself, so keys always work.
    """
    database = database or gateway.usage.database
    own_database: Database | None = None
    if database is None:
        database = own_database = Database(gateway.settings.resolved_database_url())
    keys = KeyStore(
        database, changes=KeyChanges(gateway.settings.resolved_data_dir(), gateway.settings.redis_url)
    )
    apps = AppRegistry(
        database, gateway.config, on_change=getattr(gateway.usage, "refresh_budget_table", None)
    )
    metrics = MetricsListener()
    # Yesterday's report to the configured webhook/email, once a day across workers (usage.daily_report).
    reports = DailyReportScheduler(database, gateway.config) if isinstance(database, Database) else None

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        batch_worker: BatchWorker | None = None
        await gateway.start()
        # A server lives long enough for this to pay: the first RAG query after a restart then does not
        # wait for the local embedding model to load (a script using the library would only cancel it).
        gateway.rag.warm()
        try:
            if own_database is not None:
                await own_database.migrate()
            await keys.start()
            await apps.start()
            if reports is not None:
                reports.start()
            await app.state.auth.tokens.start()
            gateway.usage.add_listener(metrics)
            batch_worker = await start_batches(app)  # resumes batches left running
            # Everything loaded at start (catalog, config, modules, models) lives for the process: move it
            # out of the cyclic collector's view so full collections stay short under load.
            gc.collect()
            gc.freeze()
            gc.set_threshold(20_000, 50, 100)  # fewer young-generation passes per request burst
            yield
        finally:
            if batch_worker is not None:
                await batch_worker.stop()  # hands back its lines' claims before the gateway closes
            if reports is not None:
                await reports.stop()
            await apps.stop()
            await keys.stop()
            await app.state.auth.tokens.aclose()
            await app.state.limits.aclose()
            await gateway.aclose()
            if own_database is not None:
                await own_database.dispose()

    app = GatewayApp(
        routes=collect_routes(),
        lifespan=lifespan,
        exception_handlers={
            AIWorkersError: _aiworkers_error,
            msgspec.DecodeError: _msgspec_error,
            RecursionError: _too_deep,  # a body nested ~1,000 deep: msgspec's recursion limit
            TimeoutError: _timeout,  # asyncpg's command timeout, or another
            sqlalchemy.exc.OperationalError: _database_unavailable,
            sqlalchemy.exc.InterfaceError: _database_unavailable,
            sqlalchemy.exc.TimeoutError: _database_unavailable,  # no pooled connection in time
            HTTPException: _http_error,
            Exception: _unexpected_error,
        },
    )
    # The same routes, the hot static ones found by one lookup instead of a walk over every route.
    app.router = HotRouter(app.router.routes, lifespan=lifespan)
    app.state.gateway = gateway
    app.state.keys = keys
    app.state.apps = apps
    app.state.database = database
    app.state.auth = Authenticator(keys, default_app=gateway.settings.default_app, require_keys=require_keys)
    app.state.auth.tokens = BrowserTokens(load_secret(gateway.settings), keys, store=_token_store(gateway))
    app.state.limits = RateLimiter(redis=_redis_client(gateway), shared=_shared_buckets(gateway))
    app.state.metrics = metrics
    app.state.services = Services(gateway, app.state.auth, app.state.limits, metrics, database)
    origins = gateway.settings.server.cors_origins
    if origins:  # browsers calling the API directly (a web app's own front end)
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["authorization", "content-type", "x-api-key", "x-ai-workers-user"],
            expose_headers=[name.decode() for name in EXPOSED_HEADERS],
        )
    app.add_middleware(AppCors, gateway=gateway, tokens=app.state.auth.tokens)  # apps.<name>.cors_origins
    app.add_middleware(RequestGuard, gateway=gateway, auth=app.state.auth)
    # The hot API routes skip the stack above when no browser Origin makes the CORS layers act (front.py).
    app.front_door(RequestGuard(None, gateway, app.state.auth).admit, (RequestGuard, AppCors, CORSMiddleware))
    return app


def _token_store(gateway: Gateway) -> TokenStore | None:
    """Where browser-token revocations and spend are shared (``server.token_sync``), or None."""
    redis = _redis_client(gateway)
    if redis is not None:
        return RedisTokenStore(redis)
    path = shared_state_file(gateway.settings, "browser-tokens.db")
    return SqliteTokenStore(path) if path is not None else None


def _shared_buckets(gateway: Gateway) -> SqliteBuckets | None:
    """Rate-limit buckets the worker processes share when there are several and no Redis."""
    path = shared_state_file(gateway.settings, "rate-limits.db")
    return SqliteBuckets(path) if path is not None else None


def _redis_client(gateway: Gateway) -> Any | None:
    """Shared rate-limit buckets when ``redis_url`` is set (created lazily: connects on first use)."""
    url = gateway.settings.redis_url
    if not url:
        return None
    return optional_redis_client(url)  # optional: falls back to local buckets, so fail fast


def app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory`` and multi-worker serving: settings from the environment."""
    return create_app(Gateway())
