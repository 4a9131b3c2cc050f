"""Safety HTTP API: ``POST /v1/safety/scan`` (what would be redacted) and the admin override routes.

The scan route answers from the caller's own text, so it returns the text and the spans; it never logs
or records them. Override routes hold ids, app names, reasons and identifier types only.
"""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import InvalidRequestError
from ai_workers.core.types import Message
from ai_workers.safety.guard import CATEGORY_NAMES, local_check
from ai_workers.safety.overrides import OverrideStore
from ai_workers.safety.redaction import Vault
from ai_workers.safety.stage import SafetyStage
from ai_workers.server.auth import require_admin, require_app
from ai_workers.server.responses import json_response, validation_error


class ScanRequest(msgspec.Struct, forbid_unknown_fields=True):
    text: str | None = None
    messages: list[Message] | None = None


class GrantOverride(msgspec.Struct, forbid_unknown_fields=True):
    app: str
    reason: str | None = None
    kind: str = "all"
    request_id: str | None = None
    hours: float | None = None
    phi_types: list[str] | None = None


class OverrideNotFoundError(InvalidRequestError):
    status = 404
    code = "override_not_found"


def _stage(request: Request) -> SafetyStage:
    stage: SafetyStage = request.app.state.gateway.safety
    return stage


def _spans_json(spans: list[Any]) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end, "type": s.type, "score": s.score} for s in spans]


async def scan(request: Request) -> Response:
    """Spans (character offsets), identifier types and the redacted text for ``text`` or ``messages``."""
    identity = require_app(request)
    try:
        body = msgspec.json.decode(await request.body(), type=ScanRequest)
    except msgspec.DecodeError as exc:
        raise validation_error(exc) from None
    if (body.text is None) == (body.messages is None):
        raise InvalidRequestError("Send exactly one of 'text' or 'messages'.", param="text")
    stage = _stage(request)
    settings = request.app.state.gateway.config.current
    texts = [body.text or ""] if body.text is not None else [m.text() for m in body.messages or []]
    per_text = await stage.scan(settings, identity.name, texts)  # same fail-closed scan as the pipeline
    vault = Vault()
    redacted = [vault.redact(t, spans) for t, spans in zip(texts, per_text, strict=True)]
    types = sorted({s.type for spans in per_text for s in spans})
    verdict = local_check("\n".join(texts))
    out: dict[str, Any] = {
        "object": "safety.scan",
        "phi_types": types,
        "count": sum(len(spans) for spans in per_text),
        "policy": SafetyStage.phi_policy(settings, identity.name),
        "safety": {
            "scorer": "local",
            "categories": verdict.categories,
            "category_names": [CATEGORY_NAMES.get(c, c) for c in verdict.categories],
        },
    }
    if body.text is not None:
        out["spans"] = _spans_json(per_text[0])
        out["redacted_text"] = redacted[0]
    else:
        out["messages"] = [
            {"index": i, "spans": _spans_json(spans), "redacted_text": red}
            for i, (spans, red) in enumerate(zip(per_text, redacted, strict=True))
        ]
    return json_response(out)


def _store(request: Request) -> OverrideStore:
    return _stage(request).overrides


def _actor(identity: Any) -> str:
    return str(identity.key_id or f"app:{identity.name}")


async def grant_override(request: Request) -> Response:
    admin = require_admin(request)
    try:
        body = msgspec.json.decode(await request.body(), type=GrantOverride)
    except msgspec.DecodeError as exc:
        raise validation_error(exc) from None
    info = await _store(request).grant(
        app=body.app,
        reason=body.reason,
        granted_by=_actor(admin),
        kind=body.kind,
        request_id=body.request_id,
        hours=body.hours,
        phi_types=body.phi_types,
    )
    return json_response(info.to_dict(), status=201)


async def list_overrides(request: Request) -> Response:
    require_admin(request)
    app = request.query_params.get("app")
    active = request.query_params.get("active", "").lower() in {"1", "true", "yes"}
    infos = await _store(request).list(app=app, active_only=active)
    return json_response({"object": "list", "data": [i.to_dict() for i in infos]})


async def revoke_override(request: Request) -> Response:
    admin = require_admin(request)
    reason = request.query_params.get("reason")
    info = await _store(request).revoke(
        request.path_params["override_id"], actor=_actor(admin), reason=reason
    )
    if info is None:
        raise OverrideNotFoundError("No override with that id.", param="override_id")
    return json_response(info.to_dict())


def routes() -> list[BaseRoute]:
    return [
        Route("/v1/safety/scan", scan, methods=["POST"]),
        Route("/admin/safety/overrides", grant_override, methods=["POST"]),
        Route("/admin/safety/overrides", list_overrides, methods=["GET"]),
        Route("/admin/safety/overrides/{override_id}", revoke_override, methods=["DELETE"]),
    ]
