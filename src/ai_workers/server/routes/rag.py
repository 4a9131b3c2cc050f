"""RAG over HTTP: upload documents into an app's collections, list and delete them, ask questions.

``POST /api/rag/documents`` (multipart: one or more ``files``, ``collection``, optional
``embedding_model``) answers with the ingest report; ``GET /api/rag/documents?collection=NAME`` and
``DELETE /api/rag/documents/{id}?collection=NAME`` list and remove documents; ``GET /api/rag/collections``
and ``DELETE /api/rag/collections/{name}`` manage collections; ``POST /api/rag/query`` takes
``{question, collection?, documentIds, options}`` and answers with the ``rag.types.Answer`` struct.
An upload or query that names no collection uses the app's default one: the migration plan's API
document and load test send ``{question, documentIds, options: {provider, maxChunks}}`` and read
``answer, citations, sources, cost, provider, latency``, so both spellings are accepted and returned.

Every route authenticates like the rest of the server and works only on the calling app's collections
(the RAG service looks collections up by app and name), so another app's collection is a plain 404.
Model calls made for the request (embeddings, rerank, chat) run through the gateway pipeline as the
calling app, costed and recorded with route ``rag``. Uploads are capped by ``server.max_upload_bytes``
(the outer guard) and each file by ``rag.max_file_bytes`` (reported per file, not fatal).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import InvalidRequestError
from ai_workers.rag.service import RagService, check_collection_name
from ai_workers.server.auth import calling_user, require_app
from ai_workers.server.dispatch import Services
from ai_workers.server.responses import json_response

MAX_UPLOAD_FILES = 1000

RetrievalMode = Literal["bm25", "dense", "hybrid", "rerank"]
AnswerMode = Literal["auto", "generative", "extractive", "none"]
Provider = Literal["cloudflare", "openai", "auto"]


class DocumentNotFoundError(InvalidRequestError):
    status = 404
    code = "document_not_found"


TopK = Annotated[int, msgspec.Meta(ge=1, le=100)]


class QueryOptions(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """How to retrieve and answer; unset fields use the app's ``rag`` config.

    ``maxChunks`` and ``provider`` are the migration plan's names: ``maxChunks`` is ``top_k``;
    ``provider`` (cloudflare, openai, auto) picks where embeddings and the answer run."""

    top_k: TopK | None = None
    max_chunks: TopK | None = msgspec.field(default=None, name="maxChunks")
    provider: Provider = "auto"
    mode: RetrievalMode = "rerank"
    answer_mode: AnswerMode = "auto"
    embedding_model: str | None = None

    def chunks(self) -> int | None:
        if self.top_k is not None and self.max_chunks is not None and self.top_k != self.max_chunks:
            raise InvalidRequestError(
                "options: maxChunks and top_k are the same setting; give one of them",
                param="options.maxChunks",
            )
        return self.top_k if self.top_k is not None else self.max_chunks


class QueryRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The body of ``POST /api/rag/query``. Without ``collection`` the app's default collection
    (``rag.default_collection``) is searched, as the plan's API sends only ``documentIds``."""

    question: str
    collection: str | None = None
    document_ids: list[str] | None = msgspec.field(default=None, name="documentIds")
    options: QueryOptions = msgspec.field(default_factory=QueryOptions)


class CollectionInfo(msgspec.Struct):
    name: str
    embedding_model: str
    dimensions: int


_query_decoder = msgspec.json.Decoder(QueryRequest)

# The request of the migration plan's API document and load test: the OpenAPI document shows it as the
# example, and tests/rag/test_plan_contract.py sends it.
PLAN_QUERY_EXAMPLE = {
    "question": "What is the refund policy?",
    "documentIds": ["doc-123"],
    "options": {"provider": "auto", "maxChunks": 5},
}


async def _service(request: Request, identity: AppIdentity) -> RagService:
    services = Services.of(request.scope)
    return await services.gateway.rag.service(identity, user=calling_user(request))


async def _spend_check(request: Request, identity: AppIdentity) -> None:
    """Uploads and queries make model calls: they count against the key's request rate limit."""
    services = Services.of(request.scope)
    await services.limits.check(services.gateway.config.current, identity)


async def upload_documents(request: Request) -> Response:
    identity = require_app(request)
    await _spend_check(request, identity)
    files: list[tuple[str, bytes]] = []
    async with request.form(max_files=MAX_UPLOAD_FILES, max_fields=20) as form:
        collection = form.get("collection")
        model = form.get("embedding_model")
        if collection is not None and not isinstance(collection, str):
            raise InvalidRequestError("collection: expected a text field, got a file", param="collection")
        if model is not None and not isinstance(model, str):
            raise InvalidRequestError(
                "embedding_model: expected a text field, got a file", param="embedding_model"
            )
        if collection is not None:
            check_collection_name(collection)
        for field in ("files", "file"):
            for upload in form.getlist(field):
                if not isinstance(upload, UploadFile):
                    raise InvalidRequestError(f"{field}: expected a file, got a text field", param=field)
                files.append((upload.filename or f"upload-{len(files) + 1}", await upload.read()))
    if not files:
        raise InvalidRequestError("files: upload at least one file (multipart field 'files')", param="files")
    assert collection is None or isinstance(collection, str)
    service = await _service(request, identity)
    name = service.collection_name(collection)  # none named: the app's default collection
    report = await service.ingest_bytes(identity.name, name, files, embedding_model=model or None)
    return json_response(report)


async def list_documents(request: Request) -> Response:
    identity = require_app(request)
    collection = check_collection_name(request.query_params.get("collection"))
    service = await _service(request, identity)
    documents = await service.list_documents(identity.name, collection)
    return json_response({"object": "list", "collection": collection, "data": documents})


async def delete_document(request: Request) -> Response:
    identity = require_app(request)
    collection = check_collection_name(request.query_params.get("collection"))
    document_id: str = request.path_params["document_id"]
    service = await _service(request, identity)
    if not await service.delete_document(identity.name, collection, document_id):
        raise DocumentNotFoundError(
            f"no document '{document_id}' in collection '{collection}'", param="document_id"
        )
    return json_response({"id": document_id, "object": "rag.document", "deleted": True})


async def list_collections(request: Request) -> Response:
    identity = require_app(request)
    service = await _service(request, identity)
    found = await service.list_collections(identity.name)
    data = [CollectionInfo(c.name, c.embedding_model, c.dimensions) for c in found]
    return json_response({"object": "list", "data": data})


async def drop_collection(request: Request) -> Response:
    identity = require_app(request)
    name = check_collection_name(request.path_params["name"], "name")
    service = await _service(request, identity)
    await service.drop_collection(identity.name, name)
    return json_response({"name": name, "object": "rag.collection", "deleted": True})


async def query(request: Request) -> Response:
    identity = require_app(request)
    body = _query_decoder.decode(await request.body())  # a DecodeError becomes a 400 naming the field
    if not body.question.strip():
        raise InvalidRequestError("question: must not be empty", param="question")
    if body.collection is not None:
        check_collection_name(body.collection)
    top_k = body.options.chunks()
    if body.document_ids is not None and not body.document_ids:
        raise InvalidRequestError(
            "documentIds: give at least one id, or leave it out to search every document",
            param="documentIds",
        )
    await _spend_check(request, identity)
    options = body.options
    services = Services.of(request.scope)
    service = await services.gateway.rag.service(
        identity, user=calling_user(request), provider=options.provider
    )
    answer = await service.query(
        identity.name,
        body.question,
        service.collection_name(body.collection),
        document_ids=body.document_ids,
        top_k=top_k,
        mode=options.mode,
        answer_mode=options.answer_mode,
        embedding_model=options.embedding_model,
    )
    return json_response(answer)


def routes() -> list[BaseRoute]:
    return [
        Route("/api/rag/documents", upload_documents, methods=["POST"]),
        Route("/api/rag/documents", list_documents, methods=["GET"]),
        Route("/api/rag/documents/{document_id}", delete_document, methods=["DELETE"]),
        Route("/api/rag/collections", list_collections, methods=["GET"]),
        Route("/api/rag/collections/{name}", drop_collection, methods=["DELETE"]),
        Route("/api/rag/query", query, methods=["POST"]),
    ]
