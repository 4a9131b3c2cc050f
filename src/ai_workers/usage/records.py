"""Turning a finished RequestContext into one usage-record row (counts and ids; text only as redacted,
for apps that opt in: ``core.request_text``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from ai_workers.core.context import RequestContext
from ai_workers.core.errors import AIWorkersError

CACHE_HITS = frozenset({"hit", "semantic_hit"})
# What a model id looks like (``gpt-4o-mini``, ``@cf/meta/llama-3.1-8b-instruct``, ``org/model:tag``).
_MODEL_ID = re.compile(r"(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9@_][A-Za-z0-9@/._:+-]{0,99}")
INVALID_MODEL = "(invalid)"


def status_of(error: BaseException) -> tuple[int, str]:
    """HTTP status and error kind recorded for a request that ended with ``error``."""
    if isinstance(error, AIWorkersError):
        return error.status, str(error.code or error.type)
    if isinstance(error, TimeoutError):
        return 504, "timeout"
    if isinstance(error, asyncio.CancelledError):
        return 499, "cancelled"  # the client went away (nginx's convention)
    return 500, "internal_error"


def usage_row(ctx: RequestContext, list_cost_usd: float) -> dict[str, Any]:
    """Every column of ``usage_records``; the same keys for every row so batches insert in one go."""
    attempts = ctx.attempts
    # Most requests made one try and found no PHI: those cases skip the sum, the sorts and the copies.
    if not attempts:
        upstream_ms = None
    elif len(attempts) == 1:
        upstream_ms = round(attempts[0].latency_ms, 3)
    else:
        upstream_ms = round(ctx.upstream_ms(), 3)
    phi_types, phi_counts, units = ctx.phi_types, ctx.phi_counts, ctx.units
    return {
        "id": ctx.request_id,
        "ts": dt.datetime.fromtimestamp(ctx.started_at, dt.UTC),
        "app": ctx.app.name,
        "user": ctx.user,
        "key_id": ctx.app.key_id,
        "route": ctx.route,
        "capability": str(ctx.capability),
        "requested_model": recordable_model(ctx),
        "logical_model": ctx.logical_model or (ctx.targets[0].model.name if ctx.targets else None),
        "provider_model": ctx.provider_model,
        "provider": ctx.provider,
        "tier": ctx.tier,
        "route_reason": ctx.route_reason[:300] if ctx.route_reason else None,
        "arm": ctx.arm,
        "status": ctx.status,
        "error_kind": ctx.error_kind,
        "stream": ctx.stream,
        "input_tokens": ctx.usage.prompt_tokens,
        "output_tokens": ctx.usage.completion_tokens,
        "units": dict(units) if units else None,
        "neurons": ctx.neurons,
        "cost_usd": ctx.cost_usd or 0.0,
        "list_cost_usd": list_cost_usd,
        "latency_ms": round(ctx.elapsed_ms(), 3),
        "upstream_ms": upstream_ms,
        "overhead_ms": ctx.overhead_ms,
        "cache": ctx.cache,
        "cache_hit": ctx.cache in CACHE_HITS,
        "attempts": len(attempts),
        # What was tried, never what was said: provider, model, status, error kind, latency.
        "attempt_log": [
            {
                "provider": a.provider,
                "model": a.model,
                "status": a.status,
                "ok": a.ok,
                "error_kind": a.error_kind,
                "latency_ms": round(a.latency_ms, 3),
            }
            for a in attempts
        ]
        or None,
        "phi_redactions": ctx.phi_redactions,
        "phi_types": sorted(set(phi_types)) if phi_types else None,
        "phi_counts": dict(sorted(phi_counts.items())) if phi_counts else None,
        "safety": ctx.safety,
        # Opt-in per app and already PHI-redacted by the safety stage (core.request_text); else None.
        "prompt_text": ctx.log_prompt,
        "answer_text": ctx.log_answer,
    }


def recordable_model(ctx: RequestContext) -> str | None:
    """The requested model as the record keeps it. A name that resolved, or that looks like a model id,
    is kept (an app asking for a misspelt model should be easy to find); anything else a caller put in
    ``model`` (free text, a number, a fuzzer's bytes) is ``(invalid)``: records never hold text a caller
    chose, which could carry PHI, and reports do not grow one row per junk value."""
    name = ctx.requested_model
    if not name or ctx.logical_model or ctx.targets or _MODEL_ID.fullmatch(name):
        return name
    return INVALID_MODEL
