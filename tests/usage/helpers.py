"""Small builders shared by the usage tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import func, select

from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.context import AppIdentity, RequestContext, Target
from ai_workers.core.types import Capability, ChatRequest, ChatResponse, Message, Usage
from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.service import UsageService


def settings(db_url: str, data_dir: Path, **overrides: Any) -> Settings:
    data: dict[str, Any] = {"database_url": db_url, "data_dir": str(data_dir), **overrides}
    return msgspec.convert(data, Settings)


def service(db_url: str, data_dir: Path, **kwargs: Any) -> UsageService:
    overrides = kwargs.pop("settings", {})
    return UsageService(ConfigStore(settings(db_url, data_dir, **overrides)), **kwargs)


def chat(text: str = "hello", *, model: str = "gpt-4o", max_tokens: int | None = 100) -> ChatRequest:
    return ChatRequest(model=model, messages=[Message(role="user", content=text)], max_tokens=max_tokens)


def context(s: Settings, app: str = "app1", *, user: str | None = None, model: str = "gpt-4o",
            capability: Capability = Capability.CHAT) -> RequestContext:  # fmt: skip
    return RequestContext(
        settings=s, app=AppIdentity(app), capability=capability, requested_model=model, user=user
    )


def answered_by(
    ctx: RequestContext, model: str, usage: Usage, *, units: dict[str, float] | None = None
) -> None:
    """What the executor does after a successful call: target, provider, usage."""
    spec = ctx.settings.catalog.get(model)
    deployment = spec.deployments[0]
    ctx.targets = [Target(spec, deployment)]
    ctx.logical_model = spec.name
    ctx.provider = deployment.provider
    ctx.provider_model = deployment.id
    ctx.usage = usage
    if units:
        ctx.units.update(units)


def chat_response(model: str, usage: Usage) -> ChatResponse:
    return ChatResponse(model=model, choices=[], usage=usage)


async def count_records(db: Database, **where: Any) -> int:
    stmt = select(func.count()).select_from(UsageRecord)
    for name, value in where.items():
        stmt = stmt.where(getattr(UsageRecord, name) == value)
    async with db.session() as session:
        return int(await session.scalar(stmt) or 0)


async def records(db: Database) -> list[UsageRecord]:
    async with db.session() as session:
        return list((await session.scalars(select(UsageRecord).order_by(UsageRecord.ts))).all())


# ---------------------------------------------------------------------------------------------------
# A known traffic mix, for reports. Hand-computed figures (free neuron allocation turned off):
#   llama-3.3-70b x4, 1000 in / 200 out: 26.668 + 40.961 = 67.629 neurons = $0.000743919 each
#   gpt-4o-mini  x2, 2000 in / 500 out: $0.0003 + $0.0003 = $0.0006 each
#   gpt-4o       x1, 1000 in / 1000 out: $0.0025 + $0.0100 = $0.0125
#   gpt-4o-mini cache hit, 2000 in / 500 out: $0
#   gpt-4o failure (502): $0;  bge-m3 embeddings, 5000 tokens: 5.375 neurons = $0.000059125
# Chat actual: 4 * 0.000743919 + 2 * 0.0006 + 0.0125 = $0.016675676
# Chat on gpt-4o: 11000 in * $2.50/M + 3300 out * $10/M = $0.0275 + $0.033 = $0.0605
MIX_CHAT_ACTUAL = 0.016675676
MIX_CHAT_BASELINE = 0.0605
MIX_EMBEDDINGS = 0.000059125
# The savings report compares embeddings too: 5000 tokens on text-embedding-3-small at $0.02/M.
MIX_EMBEDDINGS_BASELINE = 0.0001
MIX_ACTUAL = MIX_CHAT_ACTUAL + MIX_EMBEDDINGS
MIX_BASELINE = MIX_CHAT_BASELINE + MIX_EMBEDDINGS_BASELINE


def seed_mix(svc: UsageService, *, app: str = "app1", other_app: str = "app2") -> list[str]:
    """Finish the known mix's requests through ``svc`` (queued for its writer); returns request ids."""
    import time

    from ai_workers.core.errors import UpstreamFailedError

    svc.free_neurons.free_per_day = 0
    s = svc.config.current
    ids: list[str] = []
    latencies = iter([100.0, 200.0, 300.0, 400.0, 500.0] + [50.0] * 10)

    def done(ctx: RequestContext, result: object = None, error: BaseException | None = None) -> None:
        ctx.started = time.perf_counter() - next(latencies) / 1000.0
        svc.finish(ctx, error, result)
        ids.append(ctx.request_id)

    for i in range(4):
        ctx = context(s, app=app, user=f"user{i % 2}", model="llama-3.3-70b-instruct-fp8-fast")
        answered_by(ctx, "llama-3.3-70b-instruct-fp8-fast", Usage(1000, 200, 1200))
        done(ctx)
    for _ in range(2):
        ctx = context(s, app=other_app, model="gpt-4o-mini")
        answered_by(ctx, "gpt-4o-mini", Usage(2000, 500, 2500))
        done(ctx)
    ctx = context(s, app=app, user="user0", model="gpt-4o")
    answered_by(ctx, "gpt-4o", Usage(1000, 1000, 2000))
    done(ctx)
    hit = context(s, app=other_app, model="gpt-4o-mini")
    hit.logical_model, hit.cache = "gpt-4o-mini", "hit"
    done(hit, chat_response("gpt-4o-mini", Usage(2000, 500, 2500)))
    failed = context(s, app=app, model="gpt-4o")
    failed.logical_model = "gpt-4o"
    done(failed, error=UpstreamFailedError("all targets failed", attempts=[]))
    emb = context(s, app=app, model="bge-m3", capability=Capability.EMBEDDINGS)
    answered_by(emb, "bge-m3", Usage(5000, 0, 5000))
    done(emb)
    return ids
