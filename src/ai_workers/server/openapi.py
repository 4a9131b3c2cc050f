"""The OpenAPI 3.1 document, generated from the same msgspec structs the server decodes with.

Schemas come from ``msgspec.json.schema_components`` so the document cannot drift from the code; the
path table below is the only hand-written part.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import msgspec

from ai_workers.core import types
from ai_workers.rag.types import Answer, IngestReport
from ai_workers.server.app_registry import BudgetChange
from ai_workers.server.routes.admin_apps import ChangeApp, CreateApp, CreateBudget, Expiry, Rotate
from ai_workers.server.routes.admin_keys import CreateKey
from ai_workers.server.routes.batches import CreateBatch
from ai_workers.server.routes.cache_admin import Invalidate
from ai_workers.server.routes.feedback import FeedbackBody
from ai_workers.server.routes.openai_responses import ResponsesBody
from ai_workers.server.routes.rag import PLAN_QUERY_EXAMPLE, QueryRequest
from ai_workers.server.routes.safety import GrantOverride, ScanRequest
from ai_workers.server.routes.tokens import MintBody, RevokeBody

# path -> (summary, request struct or None, response struct or None, content type of the request)
_OPERATIONS: dict[str, tuple[str, type | None, type | None, str]] = {
    "/v1/chat/completions": (
        "Chat completion (stream: true answers with server-sent events)",
        types.ChatRequest,
        types.ChatResponse,
        "application/json",
    ),
    "/v1/responses": (
        "OpenAI Responses API over the chat pipeline (stream: true answers with the Responses events)",
        ResponsesBody,
        None,
        "application/json",
    ),
    "/v1/embeddings": ("Embeddings", types.EmbeddingRequest, types.EmbeddingResponse, "application/json"),
    "/v1/rerank": (
        "Rerank documents (Cohere/Jina shape)",
        types.RerankRequest,
        types.RerankResponse,
        "application/json",
    ),
    "/v1/moderations": ("Moderation", types.ModerationRequest, types.ModerationResponse, "application/json"),
    "/v1/audio/speech": (
        "Text to speech (binary audio answer)",
        types.SpeechRequest,
        None,
        "application/json",
    ),
    "/v1/audio/transcriptions": (
        "Speech to text (multipart: file, model, language, prompt, response_format)",
        None,
        types.TranscriptionResponse,
        "multipart/form-data",
    ),
    "/v1/audio/translations": (
        "Speech in any language to English text (multipart: file, model, prompt, response_format)",
        None,
        types.TranscriptionResponse,
        "multipart/form-data",
    ),
    "/api/rag/documents": (
        "Upload documents into a RAG collection (multipart: files, collection, embedding_model)",
        None,
        IngestReport,
        "multipart/form-data",
    ),
    "/api/rag/query": (
        "Ask a question over a collection: answer, citations, ranked sources, step costs",
        QueryRequest,
        Answer,
        "application/json",
    ),
}

_UPLOAD_SCHEMA = {
    "type": "object",
    "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "collection": {"type": "string"},
        "embedding_model": {"type": "string"},
    },
    "required": ["files"],  # no collection: the app's default one (rag.default_collection)
}

_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
            "required": ["message", "type"],
        }
    },
}


def _ref(kind: type) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{kind.__name__}"}


def _error_responses() -> dict[str, Any]:
    described = {
        "400": "Invalid request (the message and `param` name the field)",
        "401": "No or wrong API key",
        "403": "The app may not use this model or route",
        "404": "Unknown model (or RAG collection/document)",
        "413": "Body too large or too many messages",
        "422": "Blocked by the app's PHI or safety policy",
        "429": "Rate limit or budget exceeded (see Retry-After)",
        "502": "Every provider failed",
    }
    return {
        code: {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code, text in described.items()
    }


def _add_rag_paths(paths: dict[str, Any]) -> None:
    """The RAG routes besides the two POSTs in the table: listing and deleting (own app only)."""
    paths["/api/rag/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"] = (
        _UPLOAD_SCHEMA
    )
    collection = {"name": "collection", "in": "query", "required": True, "schema": {"type": "string"}}
    errors = {k: v for k, v in _error_responses().items() if k in ("400", "401", "404")}
    ok = {"200": {"description": "OK"}, **errors}
    secured: dict[str, Any] = {"security": [{"bearer": []}], "responses": ok}
    paths["/api/rag/documents"]["get"] = {
        "summary": "Documents in one of the app's collections",
        "parameters": [collection],
        **secured,
    }
    paths["/api/rag/documents/{document_id}"] = {
        "delete": {
            "summary": "Delete a document and its chunks",
            "parameters": [
                {"name": "document_id", "in": "path", "required": True, "schema": {"type": "string"}},
                collection,
            ],
            **secured,
        }
    }
    # The migration plan's request (no collection: the app's default one; maxChunks, provider).
    query_body = paths["/api/rag/query"]["post"]["requestBody"]["content"]["application/json"]
    query_body["example"] = PLAN_QUERY_EXAMPLE
    paths["/api/rag/collections"] = {"get": {"summary": "The app's RAG collections", **secured}}
    paths["/api/rag/collections/{name}"] = {
        "delete": {
            "summary": "Drop a collection with all its documents",
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
            **secured,
        }
    }


# The other routes: (method, path, summary, who may call it, JSON body struct, query parameters).
# tests/server/test_openapi.py checks that every mounted route is in the document.
_DAYS = ("from", "to", "app")
_LOG_FILTERS = ("user", "model", "provider", "status", "cache", "phi", "safety", "q", "cursor", "limit")
_MORE: list[tuple[str, str, str, str, type | None, tuple[str, ...]]] = [
    ("get", "/v1/models/{model}", "One model this key may use", "app", None, ()),
    ("get", "/openapi.json", "This document", "none", None, ()),
    ("post", "/v1/feedback", "Thumbs up/down (and a comment) on an answer", "app", FeedbackBody, ()),
    (
        "post",
        "/v1/tokens",
        "Mint a short-lived browser token for one end user (app key)",
        "app",
        MintBody,
        (),
    ),
    ("get", "/v1/tokens/current", "The calling browser token: user, spend, cap, expiry", "app", None, ()),
    ("post", "/v1/tokens/revoke", "Revoke a browser token", "app", RevokeBody, ()),
    ("post", "/v1/safety/scan", "PHI and content-safety scan of a text or messages", "app", ScanRequest, ()),
    ("get", "/api/usage", "Usage per day (the app's own; admins any or all)", "app", None, (*_DAYS, "by")),
    ("get", "/api/costs", "Costs per day and model", "app", None, _DAYS),
    ("get", "/api/savings", "Savings from caching, routing and free neurons", "app", None, _DAYS),
    ("get", "/api/budgets", "Budgets and how much of each is spent", "app", None, ("app",)),
    ("get", "/api/quality", "Feedback and quality per provider and arm", "app", None, _DAYS),
    ("get", "/api/me", "Who this key is", "app", None, ()),
    ("get", "/api/apps", "Apps this key may read", "app", None, ()),
    ("get", "/api/audit", "Audit events", "admin", None, ("app", "action", "before_id", "limit")),
    ("get", "/api/overrides", "PHI/safety overrides", "admin", None, ("app",)),
    ("get", "/api/circuits", "Circuit breakers per provider and model", "app", None, ()),
    *[
        ("get", path, summary, "app", None, (*_DAYS, *_LOG_FILTERS))
        for path, summary in (
            ("/api/requests", "Request log: records newest first, filtered, keyset-paged"),
            ("/api/requests.csv", "Request log as CSV (same filters)"),
        )
    ],
    ("get", "/api/requests/{request_id}", "One request of the log, with its attempts", "app", None, ("app",)),
    (
        "get",
        "/api/charts",
        "Requests, errors, latency, tokens, cost over time",
        "app",
        None,
        ("preset", "by", "metric", "app", "model"),
    ),
    (
        "get",
        "/api/overview",
        "Per app today and this month; PHI redactions and blocks",
        "app",
        None,
        ("app",),
    ),
    # The Batch API (docs/batch.md): files in OpenAI's shapes, batches worked by the server's workers.
    ("post", "/v1/files", "Upload a batch input file (multipart: file, purpose=batch)", "app", None, ()),
    ("get", "/v1/files", "The app's files", "app", None, ("purpose",)),
    ("get", "/v1/files/{file_id}", "One file of the app", "app", None, ()),
    ("delete", "/v1/files/{file_id}", "Delete a file", "app", None, ()),
    (
        "get",
        "/v1/files/{file_id}/content",
        "A file's content (batch input, output or errors; JSONL)",
        "app",
        None,
        (),
    ),
    ("post", "/v1/batches", "Create a batch from an uploaded input file", "app", CreateBatch, ()),
    ("get", "/v1/batches", "The app's batches, newest first", "app", None, ("after", "limit")),
    ("get", "/v1/batches/{batch_id}", "One batch with its request counts", "app", None, ()),
    ("post", "/v1/batches/{batch_id}/cancel", "Cancel a batch (lines running finish)", "app", None, ()),
    (
        "get",
        "/api/batches",
        "Batches with app and progress (admins: every app)",
        "app",
        None,
        ("app", "after", "limit"),
    ),
    ("get", "/dashboard", "The dashboard (HTML)", "none", None, ()),
    ("get", "/dashboard/", "Redirect to /dashboard", "none", None, ()),
    ("get", "/dashboard/static/{name}", "Dashboard assets", "none", None, ()),
    ("post", "/admin/keys/{key_id}/revoke", "Revoke a key", "admin", None, ()),
    ("get", "/admin/apps", "Apps with their source, policy and budgets", "admin", None, ()),
    ("post", "/admin/apps", "Create an app with its policy and budgets", "admin", CreateApp, ()),
    ("patch", "/admin/apps/{name}", "Change a console app's policy", "admin", ChangeApp, ()),
    ("post", "/admin/budgets", "Add a budget to an app", "admin", CreateBudget, ()),
    ("patch", "/admin/budgets/{budget_id}", "Change a budget's limits", "admin", BudgetChange, ()),
    ("delete", "/admin/budgets/{budget_id}", "Remove a budget", "admin", None, ()),
    ("get", "/admin/keys/spend", "Spend and requests per key", "admin", None, ("days",)),
    (
        "post",
        "/admin/keys/{key_id}/rotate",
        "Rotate a key (old one valid for a grace period)",
        "admin",
        Rotate,
        (),
    ),
    ("patch", "/admin/keys/{key_id}", "Set a key's expiry", "admin", Expiry, ()),
    ("get", "/api/alerts", "The alert history", "app", None, (*_DAYS, "app", "kind")),
    (
        "get",
        "/api/safety/summary",
        "Redactions, blocks, flags and overrides by app and type",
        "app",
        None,
        (*_DAYS, "app"),
    ),
    ("get", "/admin/cache/stats", "Cache entries and bytes per backend", "admin", None, ()),
    (
        "post",
        "/admin/cache/invalidate",
        "Drop cache entries by app, model or key prefix",
        "admin",
        Invalidate,
        (),
    ),
    ("post", "/admin/cache/warm", "Warm the cache from recent questions", "admin", None, ("app",)),
    ("get", "/admin/routing/health", "Circuit breakers and passive health per target", "admin", None, ()),
    (
        "get",
        "/admin/routing/quality",
        "Routing quality by provider and arm",
        "admin",
        None,
        ("since", "days", "app", "group_by"),
    ),
    ("post", "/admin/safety/overrides", "Grant a one-off PHI/safety override", "admin", GrantOverride, ()),
    ("get", "/admin/safety/overrides", "List overrides", "admin", None, ("app", "active")),
    ("delete", "/admin/safety/overrides/{override_id}", "Revoke an override", "admin", None, ("reason",)),
    (
        "post",
        "/client/v4/accounts/{account_id}/ai/v1/chat/completions",
        "Workers AI's OpenAI-compatible chat",
        "app",
        types.ChatRequest,
        (),
    ),
    (
        "post",
        "/client/v4/accounts/{account_id}/ai/v1/embeddings",
        "Workers AI's OpenAI-compatible embeddings",
        "app",
        types.EmbeddingRequest,
        (),
    ),
    (
        "post",
        "/client/v4/accounts/{account_id}/ai/v1/responses",
        "Workers AI's OpenAI-compatible Responses API",
        "app",
        ResponsesBody,
        (),
    ),
    (
        "get",
        "/client/v4/accounts/{account_id}/ai/v1/models",
        "Workers AI's OpenAI-compatible model list",
        "app",
        None,
        (),
    ),
]


def _add_more_paths(paths: dict[str, Any]) -> None:
    for method, path, summary, who, body, query in _MORE:
        operation: dict[str, Any] = {"summary": summary}
        responses: dict[str, Any] = {"200": {"description": "OK"}}
        if who != "none":
            operation["security"] = [{"bearer": []}]
            errors = _error_responses()
            responses.update({code: errors[code] for code in ("400", "401", "403", "404")})
        if body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(body)}},
            }
        if query:
            operation["parameters"] = [
                {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                for name in query
            ]
        operation["responses"] = responses
        paths.setdefault(path, {})[method] = operation


def _declare_path_parameters(paths: dict[str, Any]) -> None:
    """Every ``{name}`` in a path is a required string parameter of each of its operations."""
    for path, operations in paths.items():
        names = re.findall(r"{([^}]+)}", path)
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
            missing = [
                {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                for n in names
                if n not in declared
            ]
            if missing:
                operation["parameters"] = missing + operation.get("parameters", [])


@functools.cache
def openapi_document() -> dict[str, Any]:
    structs = [k for _, req, resp, _ in _OPERATIONS.values() for k in (req, resp) if k is not None]
    structs += [body for *_, body, _ in _MORE if body is not None] + [CreateKey]
    (_, components) = msgspec.json.schema_components(structs, ref_template="#/components/schemas/{name}")
    components["Error"] = _ERROR_SCHEMA
    paths: dict[str, Any] = {}
    for path, (summary, request, response, content_type) in _OPERATIONS.items():
        operation: dict[str, Any] = {"summary": summary, "security": [{"bearer": []}]}
        if request is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {content_type: {"schema": _ref(request)}},
            }
        else:
            operation["requestBody"] = {
                "required": True,
                "content": {content_type: {"schema": {"type": "object"}}},
            }
        ok: dict[str, Any] = {"description": "OK"}
        if response is not None:
            ok["content"] = {"application/json": {"schema": _ref(response)}}
        else:
            ok["content"] = {"audio/mpeg": {"schema": {"type": "string", "format": "binary"}}}
        operation["responses"] = {"200": ok, **_error_responses()}
        paths[path] = {"post": operation}
    paths["/v1/responses"]["post"]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"type": "object", "description": "OpenAI's Response object"}},
        "text/event-stream": {"schema": {"type": "string", "description": "Responses streaming events"}},
    }
    _add_rag_paths(paths)
    paths["/v1/models"] = {
        "get": {"summary": "Models this key may use", "responses": {"200": {"description": "OK"}}}
    }
    paths["/client/v4/accounts/{account_id}/ai/run/{model}"] = {
        "post": {
            "summary": "Workers AI compatible run (same body and envelope as Cloudflare's)",
            "parameters": [
                {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "model", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "responses": {"200": {"description": "{result, success, errors, messages}"}},
        }
    }
    admin = {
        "security": [{"bearer": []}],
        "responses": {"200": {"description": "OK"}, "403": {"description": "Not an admin key"}},
    }
    paths["/admin/keys"] = {
        "get": {"summary": "List keys (?app=, ?include_revoked=1); never the keys", **admin},
        "post": {
            "summary": "Create a key {app, role, models, name}; the key is in this answer only",
            **admin,
        },
    }
    paths["/admin/keys/{key_id}"] = {"delete": {"summary": "Revoke a key", **admin}}
    for path in ("/health", "/ready", "/health/providers", "/metrics"):
        paths[path] = {"get": {"summary": path.strip("/"), "responses": {"200": {"description": "OK"}}}}
    paths["/health/providers"]["get"]["security"] = [{"bearer": []}]
    paths["/admin/keys"]["post"]["requestBody"] = {
        "required": True,
        "content": {"application/json": {"schema": _ref(CreateKey)}},
    }
    _add_more_paths(paths)
    _declare_path_parameters(paths)
    return {
        "openapi": "3.1.0",
        "info": {"title": "ai-workers gateway", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
