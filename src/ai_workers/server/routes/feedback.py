"""Feedback on answers, and the routing admin views built on it.

``POST /v1/feedback`` records a user's thumbs up or down (and an optional comment) on one response,
named by its request id (the ``x-request-id`` header / ``x_ai_workers.request_id`` field of the answer;
a ``chatcmpl-``-style id whose suffix is the request id is accepted too). Feedback joined with usage
records gives the per-provider / per-arm satisfaction rate of ``ai-workers report quality``.

A comment is free text from a patient-facing app, so it may hold PHI: identifiers are replaced with
their type (``[NAME]``, ``[PHONE]``...) by the safety package's detector before anything is stored, and
if detection fails the comment is dropped rather than stored unscanned.

Admin routes: ``GET /admin/routing/health`` (circuit breakers and passive health per provider+model)
and ``GET /admin/routing/quality`` (the quality report as JSON).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import msgspec
from prometheus_client import Counter
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import InvalidRequestError, ModelNotFoundError
from ai_workers.db.models import Feedback, UsageRecord
from ai_workers.routing.quality import GROUP_COLUMNS, quality_report
from ai_workers.server.auth import calling_user, require_admin, require_app
from ai_workers.server.dispatch import Services
from ai_workers.server.responses import json_response, validation_error

log = logging.getLogger("ai_workers.feedback")

FEEDBACK = Counter("aiw_feedback_total", "User feedback on responses", ["app", "rating"])

MAX_COMMENT_CHARS = 2000
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,40}$")
_ID_PREFIXES = ("chatcmpl-", "resp-", "req-")
_UP = {"up", "thumbs_up", "thumbsup", "+1", "1", "good", "positive", "true"}
_DOWN = {"down", "thumbs_down", "thumbsdown", "-1", "bad", "negative", "false"}


class FeedbackBody(msgspec.Struct):  # unknown fields ignored, as OpenAI-style APIs do
    rating: str | int | bool
    request_id: str | None = None
    response_id: str | None = None
    id: str | None = None
    comment: str | None = None
    user: str | None = None


def parse_rating(value: str | int | bool) -> int:
    """+1 or -1 from the spellings clients use (``"up"``/``"down"``, ``1``/``-1``, ``true``/``false``)."""
    key = str(value).strip().lower()
    if key in _UP:
        return 1
    if key in _DOWN:
        return -1
    raise InvalidRequestError("rating must be 'up' or 'down' (or 1 / -1)", param="rating")


def redact_comment(comment: str) -> str | None:
    """The comment with PHI replaced by its type; None if it cannot be scanned (never stored unscanned)."""
    text = comment.strip()[:MAX_COMMENT_CHARS]
    if not text:
        return None
    try:
        from ai_workers.safety.phi import detect

        spans = sorted(detect(text), key=lambda s: s.start)
    except Exception:
        log.exception("PHI detection failed on a feedback comment; the comment is dropped")
        return None
    out: list[str] = []
    pos = 0
    for span in spans:
        if span.start < pos:
            continue  # overlapping spans: the first already covers this text
        out.append(text[pos : span.start])
        out.append(f"[{span.type}]")
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def _candidate_ids(body: FeedbackBody) -> list[str]:
    raw = body.request_id or body.response_id or body.id
    if not raw:
        raise InvalidRequestError(
            "name the response: request_id (the x-request-id header)", param="request_id"
        )
    raw = raw.strip()
    ids = [raw]
    for prefix in _ID_PREFIXES:
        if raw.startswith(prefix):
            ids.append(raw[len(prefix) :])
    ids = [i for i in ids if _ID.match(i)]
    if not ids:
        raise InvalidRequestError("request_id is not a response id this gateway issued", param="request_id")
    return ids


async def post_feedback(request: Request) -> Response:
    identity = require_app(request)
    services = Services.of(request.scope)
    try:
        body = msgspec.json.decode(await request.body(), type=FeedbackBody)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise validation_error(exc) from exc
    rating = parse_rating(body.rating)
    candidates = _candidate_ids(body)
    comment = redact_comment(body.comment) if body.comment else None
    user = calling_user(request, body.user)
    if user:
        user = services.gateway.user_ids.recordable(user)  # the same pseudonym as the usage records

    async with services.database.session() as session:
        rows = (
            await session.execute(
                select(UsageRecord.id, UsageRecord.app).where(UsageRecord.id.in_(candidates))
            )
        ).all()
        request_id = candidates[0]
        if rows:
            request_id, owner = rows[0]
            if owner != identity.name and not identity.is_admin:
                # Another app's response: answer as if it did not exist (ids must not leak across apps).
                raise ModelNotFoundError(
                    f"no response '{request_id}' for this app", param="request_id", code="response_not_found"
                )
        # No record yet is fine: usage records are written in batches, feedback may arrive first.
        row = Feedback(request_id=request_id, app=identity.name, user=user, rating=rating, comment=comment)
        session.add(row)
        await session.commit()
        feedback_id = row.id
    FEEDBACK.labels(identity.name, "up" if rating > 0 else "down").inc()
    return json_response(
        {
            "id": feedback_id,
            "object": "feedback",
            "request_id": request_id,
            "rating": "up" if rating > 0 else "down",
            "comment_stored": comment is not None,
        },
        status=201,
    )


async def routing_health(request: Request) -> Response:
    require_admin(request)
    gateway = request.app.state.gateway
    return json_response({"targets": gateway.health.snapshot()})


def _since(params: Any) -> dt.datetime:
    now = dt.datetime.now(dt.UTC)
    if params.get("since"):
        try:
            since = dt.datetime.fromisoformat(params["since"])
        except ValueError as exc:
            raise InvalidRequestError("since must be an ISO date or date-time", param="since") from exc
        return since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    try:
        days = float(params.get("days", 7))
    except ValueError as exc:
        raise InvalidRequestError("days must be a number", param="days") from exc
    return now - dt.timedelta(days=days)


async def routing_quality(request: Request) -> Response:
    require_admin(request)
    services = Services.of(request.scope)
    params = request.query_params
    group_by = [g for g in (params.get("group_by") or "provider,arm").split(",") if g]
    if any(g not in GROUP_COLUMNS for g in group_by):
        raise InvalidRequestError(f"group_by takes {', '.join(GROUP_COLUMNS)}", param="group_by")
    rows = await quality_report(
        services.database, since=_since(params), app=params.get("app"), group_by=group_by
    )
    return json_response({"group_by": group_by, "rows": [r.to_dict() for r in rows]})


def routes() -> list[BaseRoute]:
    return [
        Route("/v1/feedback", post_feedback, methods=["POST"]),
        Route("/admin/routing/health", routing_health, methods=["GET"]),
        Route("/admin/routing/quality", routing_quality, methods=["GET"]),
    ]
