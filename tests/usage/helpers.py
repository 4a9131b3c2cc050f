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
