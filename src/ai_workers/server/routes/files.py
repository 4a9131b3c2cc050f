"""OpenAI's Files API, for batch input and output: ``POST /v1/files`` (multipart ``file`` +
``purpose: batch``), ``GET /v1/files``, ``GET|DELETE /v1/files/{id}``, ``GET /v1/files/{id}/content``.

Files live in the gateway's database (``batch/store.py``), each owned by the app whose key uploaded it:
another app's file id is a plain 404. An upload is capped by ``batch.max_file_bytes`` (and, as every
upload route, by ``server.max_upload_bytes`` before it is read). Only ``purpose: batch`` is accepted:
the gateway has no other use for files (RAG documents go to ``/api/rag/documents``).
"""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from ai_workers.batch.config import BatchConfig
from ai_workers.batch.objects import file_object
from ai_workers.batch.store import BatchStore
from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import InvalidRequestError, PayloadTooLargeError, PermissionDeniedError
from ai_workers.db.models import BatchFile
from ai_workers.server.auth import require_app
from ai_workers.server.dispatch import Services
from ai_workers.server.responses import json_response


class FileNotFoundError_(InvalidRequestError):
    status = 404
    code = "file_not_found"


def batch_store(request: Request) -> BatchStore:
    store: BatchStore | None = getattr(request.app.state, "batch_store", None)
    if store is None:
        store = request.app.state.batch_store = BatchStore(Services.of(request.scope).database)
    return store


def batch_config(request: Request) -> BatchConfig:
    return Services.of(request.scope).gateway.config.current.section("batch", BatchConfig)


def file_owner(request: Request) -> AppIdentity:
    """The calling app; browser tokens (one end user's) may not read or write an app's files."""
    identity = require_app(request)
    if identity.token_id is not None:
        raise PermissionDeniedError(
            "A browser token cannot use the Files or Batch API; call it with the app's key.",
            code="token_scope",
        )
    return identity


async def upload(request: Request) -> Response:
    identity = file_owner(request)
    config = batch_config(request)
    async with request.form(max_files=1, max_fields=10) as form:
        purpose = form.get("purpose")
        if purpose is None:
            raise InvalidRequestError("purpose: required (use `batch`)", param="purpose")
        if purpose != "batch":
            raise InvalidRequestError(
                f"purpose: {str(purpose)[:40]!r} is not supported; this gateway stores files only for "
                "the Batch API (`batch`)",
                param="purpose",
            )
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidRequestError("file: required (the JSONL input of a batch)", param="file")
        content = await upload.read(config.max_file_bytes + 1)
        if len(content) > config.max_file_bytes:
            raise PayloadTooLargeError(
                f"file: larger than this gateway accepts ({config.max_file_bytes} bytes, "
                "batch.max_file_bytes)",
                param="file",
            )
        filename = (upload.filename or "input.jsonl")[:300]
    row = await batch_store(request).create_file(identity.name, filename, "batch", content)
    return json_response(file_object(row))


async def _own_file(request: Request, *, with_content: bool = False) -> tuple[BatchStore, BatchFile]:
    identity = file_owner(request)
    store = batch_store(request)
    file_id = request.path_params["file_id"]
    row = await store.get_file(identity.name, file_id, with_content=with_content)
    if row is None:
        raise FileNotFoundError_(f"No such file: {file_id}", param="file_id")
    return store, row


async def retrieve(request: Request) -> Response:
    _, row = await _own_file(request)
    return json_response(file_object(row))


async def content(request: Request) -> Response:
    store, row = await _own_file(request, with_content=True)
    return StreamingResponse(store.file_content(row), media_type="application/jsonl")


async def remove(request: Request) -> Response:
    identity = file_owner(request)
    file_id = request.path_params["file_id"]
    if not await batch_store(request).delete_file(identity.name, file_id):
        raise FileNotFoundError_(f"No such file: {file_id}", param="file_id")
    return json_response({"id": file_id, "object": "file", "deleted": True})


async def list_files(request: Request) -> Response:
    identity = file_owner(request)
    rows = await batch_store(request).list_files(identity.name, purpose=request.query_params.get("purpose"))
    return json_response({"object": "list", "data": [file_object(r) for r in rows], "has_more": False})


def routes() -> list[BaseRoute]:
    return [
        Route("/v1/files", upload, methods=["POST"]),
        Route("/v1/files", list_files, methods=["GET"]),
        Route("/v1/files/{file_id}", retrieve, methods=["GET"]),
        Route("/v1/files/{file_id}", remove, methods=["DELETE"]),
        Route("/v1/files/{file_id}/content", content, methods=["GET"]),
    ]
