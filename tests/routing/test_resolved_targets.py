"""The routing stage reuses its target list per settings snapshot: every request still gets its own list,
a key's allow-list still refuses, and a changed snapshot (fallbacks, a disabled provider) applies at once."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from ai_workers.core.config import Settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import PermissionDeniedError
from ai_workers.core.types import Capability
from tests.routing.helpers import chat, settings, stage

MODEL = "llama-3.3-70b-instruct-fp8-fast"


def route(st: Any, model: str = MODEL, app: AppIdentity | None = None) -> RequestContext:
    ctx = RequestContext(
        settings=st.config.current, app=app or AppIdentity("default"), capability=Capability.CHAT,
        requested_model=model,
    )  # fmt: skip
    st.route(ctx, chat("hello", model=model))
    return ctx


def keys(ctx: RequestContext) -> list[str]:
    return [t.key for t in ctx.targets]


def test_each_request_gets_its_own_list_and_a_key_allow_list_still_refuses() -> None:
    st = stage(settings())
    first, second = route(st), route(st)
    assert keys(first) == keys(second) and first.targets
    assert first.targets is not second.targets
    first.targets.clear()  # a stage narrowing one request's list (safety's trusted-only) ...
    assert keys(route(st)) == keys(second)  # ... changes no other request's
    narrow = AppIdentity("default", allowed_models=("gpt-4o-mini",))
    with pytest.raises(PermissionDeniedError):
        route(st, app=narrow)
    assert route(st, "gpt-4o-mini", app=narrow).logical_model == "gpt-4o-mini"


def test_a_new_settings_snapshot_applies_to_the_next_request() -> None:
    base = settings()
    st = stage(base)
    before = keys(route(st))
    assert any(k.startswith("cloudflare:") for k in before)
    data = msgspec.to_builtins(base)
    data["providers"]["cloudflare"]["enabled"] = False
    st.config.replace(msgspec.convert(data, Settings))
    after = keys(route(st))  # the same request as before, against the new snapshot
    assert not any(k.startswith("cloudflare:") for k in after)
