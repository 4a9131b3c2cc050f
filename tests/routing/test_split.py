"""Traffic splits: ratios over 10,000 simulated users, stickiness, and weights changed by hot reload."""

from __future__ import annotations

import math
import os
from collections import Counter
from pathlib import Path

import yaml

from ai_workers.core.config import ConfigStore, load_settings
from ai_workers.routing.stage import RoutingStage
from tests.routing.helpers import chat, routed, settings, stage

USERS = [f"user-{i}" for i in range(10_000)]


def split_cfg(workers: float, openai: float, **match: object) -> dict[str, object]:
    return {
        "splits": [
            {
                "name": "chat-provider",
                "match": match or {"model": "gpt-4o-mini"},
                "arms": [
                    {"name": "workers", "model": "llama-3.3-70b-instruct-fp8-fast", "weight": workers},
                    {"name": "openai", "model": "gpt-4o-mini", "weight": openai},
                ],
            }
        ]
    }


def arms(st: RoutingStage, users: list[str], model: str = "gpt-4o-mini") -> Counter[str]:
    return Counter(routed(st, chat("hello", model=model), user=u).arm or "none" for u in users)


def within_binomial_bound(count: int, n: int, p: float, sigmas: float = 4.5) -> bool:
    return abs(count - n * p) <= sigmas * math.sqrt(n * p * (1 - p))


def test_ratios_over_10000_users_are_within_binomial_bounds() -> None:
    st = stage(settings(routing=split_cfg(10, 90)))
    counts = arms(st, USERS)
    assert counts["chat-provider:workers"] + counts["chat-provider:openai"] == 10_000
    assert within_binomial_bound(counts["chat-provider:workers"], 10_000, 0.10)


def test_three_arms_and_a_control_arm_without_a_model() -> None:
    cfg = {
        "splits": [
            {
                "name": "ab",
                "match": {"app": "default"},
                "arms": [
                    {"name": "a", "model": "gpt-4o-mini", "weight": 2},
                    {"name": "b", "model": "llama-3.3-70b", "weight": 3},
                    {"name": "control", "weight": 5},
                ],
            }
        ]
    }
    st = stage(settings(routing=cfg))
    counts = arms(st, USERS, model="gpt-4o")
    for arm, share in (("ab:a", 0.2), ("ab:b", 0.3), ("ab:control", 0.5)):
        assert within_binomial_bound(counts[arm], 10_000, share), (arm, counts)
    ctx = next(
        routed(st, chat("hi", model="gpt-4o"), user=u)
        for u in USERS
        if routed(st, chat("hi", model="gpt-4o"), user=u).arm == "ab:control"
    )
    assert ctx.logical_model == "gpt-4o"  # the control arm keeps the requested model


def test_arm_is_sticky_per_user_and_changes_the_model() -> None:
    st = stage(settings(routing=split_cfg(50, 50)))
    for user in USERS[:50]:
        seen = {
            (c.arm, c.logical_model)
            for c in (routed(st, chat("hi", model="gpt-4o-mini"), user=user) for _ in range(5))
        }
        assert len(seen) == 1
        arm, model = seen.pop()
        expected = "llama-3.3-70b-instruct-fp8-fast" if arm == "chat-provider:workers" else "gpt-4o-mini"
        assert model == expected
        assert "split chat-provider" in (
            routed(st, chat("hi", model="gpt-4o-mini"), user=user).route_reason or ""
        )


def test_without_a_user_the_request_id_decides() -> None:
    st = stage(settings(routing=split_cfg(50, 50)))
    counts = Counter(routed(st, chat("hi", model="gpt-4o-mini")).arm for _ in range(2000))
    assert within_binomial_bound(counts["chat-provider:workers"], 2000, 0.5)


def test_non_matching_requests_are_not_split() -> None:
    st = stage(settings(routing=split_cfg(50, 50, app="triage")))
    assert routed(st, chat("hi", model="gpt-4o-mini"), user="u1").arm is None
    assert routed(st, chat("hi", model="gpt-4o-mini"), app="triage", user="u1").arm is not None


def test_split_on_auto_traffic_by_tier() -> None:
    cfg = {
        "splits": [
            {
                "name": "mid",
                "match": {"model": "auto", "tier": "medium"},
                "arms": [
                    {"name": "scout", "model": "llama-4-scout", "weight": 1},
                    {"name": "mini", "model": "gpt-4o-mini", "weight": 1},
                ],
            }
        ]
    }
    st = stage(settings(routing=cfg))
    medium = [routed(st, chat("Write a Python function to reverse a list."), user=u) for u in USERS[:200]]
    assert {c.tier for c in medium} == {"medium"}
    assert {c.arm for c in medium} == {"mid:scout", "mid:mini"}
    assert routed(st, chat("Hello!"), user="u1").arm is None  # simple tier: not in the split


def test_arm_model_the_app_may_not_use_leaves_the_request_unsplit() -> None:
    s = settings(routing=split_cfg(100, 0), apps={"strict": {"allowed_models": ["gpt-4o-mini"]}})
    ctx = routed(stage(s), chat("hi", model="gpt-4o-mini"), app="strict", user="u")
    assert ctx.arm is None and ctx.logical_model == "gpt-4o-mini"


def write_config(path: Path, workers: float, openai: float) -> None:
    path.write_text(yaml.safe_dump({"routing": split_cfg(workers, openai)}))


def test_hot_reload_of_weights_moves_traffic_and_keeps_early_users(tmp_path: Path) -> None:
    path = tmp_path / "ai-workers.yaml"
    write_config(path, 10, 90)
    store = ConfigStore(load_settings(path), path=path)
    st = RoutingStage(store, registry=None)
    before = {u: routed(st, chat("hi", model="gpt-4o-mini"), user=u).arm for u in USERS}
    assert within_binomial_bound(sum(a == "chat-provider:workers" for a in before.values()), 10_000, 0.1)

    write_config(path, 30, 70)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert store.reload_if_changed()
    after = {u: routed(st, chat("hi", model="gpt-4o-mini"), user=u).arm for u in USERS}
    assert within_binomial_bound(sum(a == "chat-provider:workers" for a in after.values()), 10_000, 0.3)
    # Growing an arm only moves users into it: nobody who was on Workers AI is moved off.
    assert all(after[u] == "chat-provider:workers" for u, a in before.items() if a == "chat-provider:workers")

    write_config(path, 0, 100)  # the rollback
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert store.reload_if_changed()
    assert {routed(st, chat("hi", model="gpt-4o-mini"), user=u).arm for u in USERS[:500]} == {
        "chat-provider:openai"
    }


def test_internal_and_other_capability_requests_are_not_split() -> None:
    from ai_workers.core.types import Capability, EmbeddingRequest
    from tests.routing.helpers import context

    st = stage(
        settings(routing={"splits": [{"name": "all", "arms": [{"name": "x", "model": "gpt-4o-mini"}]}]})
    )
    ctx = context(st.config.current, "bge-m3", capability=Capability.EMBEDDINGS)
    st.route(ctx, EmbeddingRequest(model="bge-m3", input="x"))
    assert ctx.arm is None and ctx.logical_model == "bge-m3"
    internal = context(st.config.current, "gpt-4o")
    internal.internal = True
    st.route(internal, chat("hi", model="gpt-4o"))
    assert internal.arm is None and internal.logical_model == "gpt-4o"
