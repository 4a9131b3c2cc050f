"""Small builders for routing tests: Settings from plain dicts, contexts, chat requests."""

from __future__ import annotations

from typing import Any

import msgspec

from ai_workers.core.config import ConfigStore, Settings, load_settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.types import Capability, ChatRequest, ContentPart, ImageURL, Message
from ai_workers.routing.stage import RoutingStage


def settings(**overrides: Any) -> Settings:
    data = msgspec.to_builtins(load_settings(env={}))
    data.update(overrides)
    return msgspec.convert(data, Settings)


def chat(text: str, model: str = "auto", *, image: bool = False, **kw: Any) -> ChatRequest:
    content: Any = text
    if image:
        content = [
            ContentPart(type="text", text=text),
            ContentPart(type="image_url", image_url=ImageURL(url="data:,")),
        ]
    return ChatRequest(model=model, messages=[Message(role="user", content=content)], **kw)


def context(
    s: Settings,
    model: str = "auto",
    *,
    app: str = "default",
    user: str | None = None,
    capability: Capability = Capability.CHAT,
) -> RequestContext:
    return RequestContext(
        settings=s, app=AppIdentity(app), capability=capability, requested_model=model, user=user
    )


def stage(s: Settings) -> RoutingStage:
    return RoutingStage(ConfigStore(s), registry=None)


def routed(st: RoutingStage, request: ChatRequest, **kw: Any) -> RequestContext:
    ctx = context(st.config.current, request.model, **kw)
    st.route(ctx, request)
    return ctx


TOOL = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
