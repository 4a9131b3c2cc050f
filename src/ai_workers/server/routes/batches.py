"""OpenAI's Batch API: ``POST /v1/batches``, ``GET /v1/batches[/{id}]``, ``POST /v1/batches/{id}/cancel``,
and ``GET /api/batches`` (the dashboard's view: every app for admins, with progress).

A batch's lines run later, on the server's batch workers (``batch/worker.py``), through the same
pipeline as a live request of the submitting app: ``LineRunner`` decodes each line with the very
endpoint that serves its url live (chat completions, embeddings, the Workers AI run route), checks the
key's model list, and calls ``Gateway.run`` with route ``batch`` and the line's fixed request id (so a
line run again after a crash writes the same usage record, not a second one). Budgets, PHI policy,
cache and routing are the pipeline's own stages. Rate limits per minute are not applied to lines:
batches are paced by their own concurrency caps instead (``batch.max_concurrency``,
``batch.per_app_concurrency``).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.batch import jsonl
from ai_workers.batch.config import BatchConfig
from ai_workers.batch.objects import batch_object
from ai_workers.batch.queued import ModelKey, QueuedLines
from ai_workers.batch.store import BatchStore, ClaimedLine, LineOutcome
from ai_workers.batch.worker import BatchWorker, identity_row
from ai_workers.core.catalog import ModelCatalog
from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import AIWorkersError, AuthenticationError, InvalidRequestError
from ai_workers.routing.targets import check_model_allowed
from ai_workers.server.auth import require_app, scoped_app
from ai_workers.server.dispatch import ApiEndpoint, ErrorRenderer, Services, as_api_error
from ai_workers.server.responses import json_response
from ai_workers.server.routes import openai as openai_routes
from ai_workers.server.routes import workers_ai
from ai_workers.server.routes.files import FileNotFoundError_, batch_config, batch_store, file_owner

log = logging.getLogger("ai_workers.batch")

ROUTE = "batch"  # the usage records' route (the savings report's "batch" bucket)
# Failures worth another try later; a budget that ran out, a policy block or a bad line are not.
_FINAL_CODES = frozenset({"budget_exceeded", "provider_not_configured", "blocked_by_policy"})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_JSON = [(b"content-type", b"application/json")]
ASYNC_BATCH = "async_batch"  # the catalog feature of models Workers AI serves as asynchronous batches


class BatchNotFoundError(InvalidRequestError):
    status = 404
    code = "batch_not_found"


class CreateBatch(msgspec.Struct, forbid_unknown_fields=True):
    """The body of ``POST /v1/batches`` (OpenAI's). Lines may name any url batches serve, whatever
    ``endpoint`` says, so one file can mix chat and embedding lines."""

    input_file_id: str
    endpoint: str
    completion_window: str = "24h"
    metadata: dict[str, str] | None = None


_create_decoder = msgspec.json.Decoder(CreateBatch)
Limit = Annotated[int, msgspec.Meta(ge=1, le=100)]


# -- running one line ------------------------------------------------------------------------------------


class LineRunner:
    """Runs one batch line as its app, with the live route's decoding and rendering (not a copy)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.queued: QueuedLines | None = None  # set by ``start_batches``: Workers AI queued requests
        self._async_models: tuple[object, frozenset[ModelKey]] | None = None
        self.chat = openai_routes.ChatCompletions()
        self.embeddings = openai_routes.Embeddings()
        self.run_model = workers_ai.RunModel()

    def _endpoint(self, url: str) -> tuple[ApiEndpoint, dict[str, Any]] | None:
        if url == jsonl.CHAT_URL:
            return self.chat, {"headers": _JSON}
        if url == jsonl.EMBEDDINGS_URL:
            return self.embeddings, {"headers": _JSON}
        if url.startswith(jsonl.WORKERS_AI_PREFIX) and "/ai/run/" in url:
            model = url.split("/ai/run/", 1)[1]
            if model:
                return self.run_model, {"headers": _JSON, "path_params": {"model": model}}
        return None

    async def __call__(self, identity: AppIdentity, line: ClaimedLine) -> LineOutcome:
        found = self._endpoint(line.url)
        if found is None:
            unknown = InvalidRequestError(
                f"url: {line.url[:200]!r} is not served by batches; use /v1/chat/completions, "
                "/v1/embeddings or /client/v4/accounts/{account_id}/ai/run/{model}",
                param="url",
                code="invalid_url",
            )
            return _failed(unknown, openai_routes.render_openai_error)
        endpoint, scope = found
        try:
            return await self._run(identity, line, endpoint, scope)
        except Exception as exc:
            error = as_api_error(exc)
            if error is None:
                log.error("batch line failed", exc_info=exc)
                error = AIWorkersError("Internal error while running the line")
            return _failed(error, endpoint.render_error)

    async def _run(
        self, identity: AppIdentity, line: ClaimedLine, endpoint: ApiEndpoint, scope: dict[str, Any]
    ) -> LineOutcome:
        services = self.services
        keys = services.auth.keys
        if identity.key_id is not None and keys is not None and not keys.is_live(identity.key_id):
            await keys.admit(identity.key_id)  # created on another replica since our last snapshot
            if not keys.is_live(identity.key_id):
                raise AuthenticationError("The key that submitted this batch has been revoked.")
        call = endpoint.decode(services, scope, line.body)
        if call.stream:
            raise InvalidRequestError("stream: batch lines cannot stream; drop `stream`", param="stream")
        gateway = services.gateway
        settings = gateway.config.current
        spec = settings.catalog.find(call.model)
        if spec is not None:
            check_model_allowed(settings, identity, spec)
        ctx = gateway.context(
            identity, call.capability, call.model, user=call.user, route=ROUTE, request_id=line.request_id
        )
        if self.queued is not None:
            with self.queued.line_scope(line, identity.name, self._queued_models(settings.catalog)):
                result = await gateway.run(ctx, call.request)
        else:
            result = await gateway.run(ctx, call.request)
        body, _ = call.render(result, ctx)
        return LineOutcome(200, body)

    def _queued_models(self, catalog: ModelCatalog) -> frozenset[ModelKey]:
        """(provider, model id) of every deployment of a model the catalog marks ``async_batch``: a line
        routed there is sent in a Workers AI queued request. Recomputed when the catalog is reloaded."""
        cached = self._async_models
        if cached is not None and cached[0] is catalog:
            return cached[1]
        models = frozenset(
            (d.provider, d.id)
            for spec in catalog.all()
            if spec.supports(ASYNC_BATCH)
            for d in spec.deployments
        )
        self._async_models = (catalog, models)
        return models


def _failed(error: AIWorkersError, render: ErrorRenderer) -> LineOutcome:
    code = error.code or error.type
    return LineOutcome(
        error.status,
        render(error),
        error_code=code,
        error_message=error.message,
        retryable=error.status in _RETRY_STATUSES and code not in _FINAL_CODES,
    )


# -- the workers' lifecycle (called from the app's lifespan) ---------------------------------------------


async def start_batches(app: Starlette) -> BatchWorker:
    """Start this process' batch worker; it resumes whatever batches the database holds."""
    services: Services = app.state.services
    store = BatchStore(services.database)
    app.state.batch_store = store
    runner = LineRunner(services)
    worker = BatchWorker(store, runner, lambda: services.gateway.config.current.section("batch", BatchConfig))
    runner.queued = worker.queued
    app.state.batch_worker = worker
    worker.start()
    return worker


# -- routes ----------------------------------------------------------------------------------------------


async def _answer(store: BatchStore, row: Any) -> Response:
    counts = await store.counts([row.id])
    return json_response(batch_object(row, counts[row.id]))


async def create(request: Request) -> Response:
    identity = file_owner(request)
    body = _create_decoder.decode(await request.body())
    if body.completion_window != "24h":
        raise InvalidRequestError("completion_window: only `24h` is supported", param="completion_window")
    if body.endpoint not in jsonl.ENDPOINTS and not jsonl.is_served(body.endpoint):
        raise InvalidRequestError(
            f"endpoint: {body.endpoint[:100]!r} is not supported; use one of {', '.join(jsonl.ENDPOINTS)}",
            param="endpoint",
        )
    store = batch_store(request)
    config = batch_config(request)
    if not config.enabled:
        raise InvalidRequestError(
            "Batches are turned off on this gateway (batch.enabled).", code="batches_disabled"
        )
    file = await store.get_file(identity.name, body.input_file_id, with_content=True)
    if file is None or file.kind != "input":
        raise FileNotFoundError_(f"No such input file: {body.input_file_id}", param="input_file_id")
    lines, errors = jsonl.parse(file.content or b"", max_lines=config.max_lines)
    row = await store.create_batch(
        identity.name, identity_row(identity), body.endpoint, file.id, body.completion_window,
        body.metadata, lines, errors,
    )  # fmt: skip
    worker: BatchWorker | None = getattr(request.app.state, "batch_worker", None)
    if worker is not None:
        worker.poke()
    return await _answer(store, row)


async def _own_batch(request: Request) -> tuple[BatchStore, Any]:
    identity = file_owner(request)
    store = batch_store(request)
    batch_id = request.path_params["batch_id"]
    row = await store.get_batch(identity.name, batch_id)
    if row is None:
        raise BatchNotFoundError(f"No such batch: {batch_id}", param="batch_id")
    return store, row


async def retrieve(request: Request) -> Response:
    store, row = await _own_batch(request)
    return await _answer(store, row)


async def cancel(request: Request) -> Response:
    store, row = await _own_batch(request)
    row = await store.cancel(row.app, row.id)
    worker: BatchWorker | None = getattr(request.app.state, "batch_worker", None)
    if worker is not None:
        worker.poke()
    return await _answer(store, row)


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit") or "20"
    try:
        return msgspec.convert(int(raw), Limit)
    except (ValueError, msgspec.ValidationError):
        raise InvalidRequestError("limit: a whole number from 1 to 100", param="limit") from None


async def list_batches(request: Request) -> Response:
    identity = file_owner(request)
    store = batch_store(request)
    rows, more = await store.list_batches(
        identity.name, after=request.query_params.get("after"), limit=_limit(request)
    )
    counts = await store.counts([r.id for r in rows])
    data = [batch_object(r, counts[r.id]) for r in rows]
    return json_response(
        {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": more,
        }
    )


async def dashboard_batches(request: Request) -> Response:
    """The dashboard's list: admins see every app's batches (or ``?app=``), an app its own."""
    identity = require_app(request)
    app = scoped_app(identity, request.query_params.get("app"), what="batches")
    store = batch_store(request)
    rows, more = await store.list_batches(app, after=request.query_params.get("after"), limit=_limit(request))
    counts = await store.counts([r.id for r in rows])
    data = []
    for row in rows:
        c = counts[row.id]
        item = batch_object(row, c)
        item["app"] = row.app
        total = row.total or c.total
        item["progress"] = (c.completed + c.failed) / total if total else 1.0
        data.append(item)
    return json_response({"object": "list", "data": data, "has_more": more})


def routes() -> list[BaseRoute]:
    return [
        Route("/v1/batches", create, methods=["POST"]),
        Route("/v1/batches", list_batches, methods=["GET"]),
        Route("/v1/batches/{batch_id}", retrieve, methods=["GET"]),
        Route("/v1/batches/{batch_id}/cancel", cancel, methods=["POST"]),
        Route("/api/batches", dashboard_batches, methods=["GET"]),
    ]
