"""Config-driven routing: a learned router plugged in by name, and weights hot-reloaded by the watcher."""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml

from ai_workers.core.context import AppIdentity
from ai_workers.core.types import Capability
from ai_workers.gateway import Gateway
from tests.routing.helpers import chat, routed, settings, stage


def test_a_learned_router_replaces_the_heuristic_behind_the_same_interface() -> None:
    st = stage(settings(routing={"router": "tests.routing.custom_router:create_router"}))
    ctx = routed(st, chat("Hello! How are you doing today?"))
    assert ctx.tier == "complex" and ctx.logical_model == "gpt-4o"
    assert "length model" in (ctx.route_reason or "")
    assert routed(st, chat("Hi")).tier == "simple"


def write(path: Path, workers: int, openai: int) -> None:
    split = {
        "name": "s",
        "match": {"model": "gpt-4o-mini"},
        "arms": [
            {"name": "workers", "model": "llama-3.3-70b", "weight": workers},
            {"name": "openai", "model": "gpt-4o-mini", "weight": openai},
        ],
    }
    path.write_text(yaml.safe_dump({"routing": {"splits": [split]}}))


def share_of_workers(gw: Gateway, users: int = 2000) -> float:
    hits = 0
    for i in range(users):
        ctx = gw.context(AppIdentity("default"), Capability.CHAT, "gpt-4o-mini", user=f"user-{i}")
        gw.routing.route(ctx, chat("hi", model="gpt-4o-mini"))
        hits += ctx.arm == "s:workers"
    return hits / users


async def test_weights_written_to_the_yaml_file_apply_within_seconds(tmp_path: Path) -> None:
    path = tmp_path / "ai-workers.yaml"
    write(path, 50, 50)
    async with Gateway(config_path=path) as gw:
        assert 0.45 < share_of_workers(gw) < 0.55
        version = gw.config.version
        write(path, 0, 1000)  # the rollback (a different file size, whatever the mtime resolution)
        for _ in range(200):  # the watcher polls once a second; wait for it, up to 10 s
            if gw.config.version != version:
                break
            await asyncio.sleep(0.05)
        assert gw.config.version != version
        assert share_of_workers(gw) == 0.0


def test_a_router_that_cannot_be_loaded_is_a_clear_503() -> None:
    import pytest

    from ai_workers.core.errors import ConfigurationError

    st = stage(settings(routing={"router": "no_such_module:make"}))
    with pytest.raises(ConfigurationError) as err:
        routed(st, chat("Hello"))
    assert err.value.status == 503 and "no_such_module" in err.value.message
    assert routed(st, chat("Hello", model="gpt-4o-mini")).logical_model == "gpt-4o-mini"  # pinned still works
