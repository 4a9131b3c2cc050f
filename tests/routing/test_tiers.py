"""Tier -> model choice: by catalog price and capability, free neurons, pins and app allow-lists."""

from __future__ import annotations

import pytest

from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import UnsupportedCapabilityError
from ai_workers.routing.complexity import TierDecision
from ai_workers.routing.config import TierConfig
from ai_workers.routing.tiers import choose_model, estimate
from tests.routing.helpers import TOOL, chat, routed, settings, stage

SIMPLE = "Hi! What's the capital of France?"
MEDIUM = "Write a Python function that checks whether a string is a palindrome."
COMPLEX = "Prove that the square root of 2 is irrational, step by step."


def test_default_tiers_map_to_8b_cheapest_mid_and_gpt4o() -> None:
    st = stage(settings())
    st.neurons.add(10_000)  # free allocation used up: prices alone decide
    assert (c := routed(st, chat(SIMPLE))).logical_model == "llama-3.1-8b-instruct-fp8-fast"
    assert c.tier == "simple" and c.targets[0].provider == "cloudflare"
    medium = routed(st, chat(MEDIUM))
    # Workers AI's 70B and Llama 4 Scout cost more per token than gpt-4o-mini: price, not provider, decides.
    assert medium.tier == "medium" and medium.logical_model == "gpt-4o-mini"
    assert "cheapest capable" in (medium.route_reason or "")
    complex_ = routed(st, chat(COMPLEX))
    assert complex_.tier == "complex" and complex_.logical_model == "gpt-4o"
    assert complex_.route_reason and complex_.route_reason.startswith("auto tier=complex")


def test_models_listed_for_calls_by_id_are_never_picked_by_auto() -> None:
    """The catalog lists cheap Workers AI models (Llama 3.2 1B, ...) so apps can call them by id;
    ``auto_routing: false`` keeps them out of tier choice, so adding a model never changes what
    ``model: auto`` picks. The same model without the flag is chosen (it is the cheapest)."""
    tiny = {
        "name": "tiny-chat",
        "capability": "chat",
        "quality": "medium",
        "deployments": [
            {
                "provider": "openai",
                "id": "tiny",
                "price": {"input_tokens": {"usd": 0.001}, "output_tokens": {"usd": 0.001}},
            }
        ],
    }
    listed_only = stage(settings(models=[{**tiny, "auto_routing": False}]))
    listed_only.neurons.add(10_000)
    assert routed(listed_only, chat(MEDIUM)).logical_model == "gpt-4o-mini"
    assert routed(listed_only, chat(MEDIUM, model="tiny-chat")).logical_model == "tiny-chat"
    routable = stage(settings(models=[tiny]))
    routable.neurons.add(10_000)
    assert routed(routable, chat(MEDIUM)).logical_model == "tiny-chat"


def test_free_neurons_prefer_workers_ai_while_they_last() -> None:
    st = stage(settings())
    first = routed(st, chat(MEDIUM))
    assert first.targets[0].provider == "cloudflare"
    assert "free neurons" in (first.route_reason or "")
    st.neurons.add(9_999.9)
    assert routed(st, chat(MEDIUM)).logical_model == "gpt-4o-mini"


def test_free_neuron_preference_can_be_switched_off_per_app() -> None:
    st = stage(settings(apps={"billing": {"routing": {"prefer_free_neurons": False}}}))
    assert routed(st, chat(MEDIUM), app="billing").logical_model == "gpt-4o-mini"
    assert routed(st, chat(MEDIUM)).targets[0].provider == "cloudflare"


def test_images_need_a_vision_model_and_tools_a_tools_model() -> None:
    st = stage(settings())
    st.neurons.add(10_000)
    ctx = routed(st, chat("What is in this picture?", image=True))
    assert ctx.targets[0].model.supports("vision")
    assert "llama-3.1-8b" in (ctx.route_reason or "")  # the tier's model was skipped, and why
    ctx = routed(st, chat("Design a distributed, thread-safe scheduler with tests in Rust", tools=[TOOL]))
    assert ctx.tier == "complex" and ctx.targets[0].model.supports("tools")


def test_choice_is_the_cheapest_capable_for_the_estimated_tokens() -> None:
    s = settings()
    decision = TierDecision(tier="medium", score=2.0, input_tokens=2000, output_tokens=200)
    choice = choose_model(s, AppIdentity("a"), "medium", TierConfig(), decision, free_neurons=None)
    costs = {}
    for spec in s.catalog.by_capability(choice.spec.capability):
        if spec.quality_rank >= 1:
            costs[spec.name] = min(estimate(s, d, 2000, 200)[0] for d in spec.deployments)
    assert choice.spec.name == min(costs, key=costs.__getitem__)


def test_app_pin_and_requested_models_skip_tiering() -> None:
    st = stage(settings(apps={"billing": {"routing": {"model": "gpt-4o-mini"}}}))
    pinned = routed(st, chat(COMPLEX), app="billing")
    assert pinned.logical_model == "gpt-4o-mini" and pinned.tier is None
    assert "pinned" in (pinned.route_reason or "")
    named = routed(st, chat(COMPLEX, model="llama-3.3-70b"))
    assert named.logical_model == "llama-3.3-70b-instruct-fp8-fast" and named.tier is None


def test_app_tiers_and_allow_list_are_respected() -> None:
    st = stage(
        settings(
            apps={
                "clinic": {
                    "allowed_models": ["gpt-4o-mini", "llama-3.1-8b"],
                    "routing": {
                        "tiers": {
                            "simple": {"max_score": 1.5, "model": "llama-3.1-8b"},
                            "complex": {"quality": "medium"},
                        }
                    },
                },
            }
        )
    )
    ctx = routed(st, chat(COMPLEX), app="clinic")
    assert ctx.tier == "complex" and ctx.logical_model == "gpt-4o-mini"
    assert all(t.model.name in ("gpt-4o-mini", "llama-3.1-8b-instruct-fp8-fast") for t in ctx.targets)


def test_no_capable_model_is_a_clear_error() -> None:
    st = stage(settings(apps={"narrow": {"allowed_models": ["llama-3.1-8b"]}}))
    with pytest.raises(UnsupportedCapabilityError) as err:
        routed(st, chat("What is this?", image=True), app="narrow")
    assert err.value.status == 400 and "vision" in err.value.message


def test_auto_is_only_for_chat() -> None:
    from ai_workers.core.errors import AIWorkersError
    from ai_workers.core.types import Capability, EmbeddingRequest
    from tests.routing.helpers import context

    st = stage(settings())
    ctx = context(st.config.current, "auto", capability=Capability.EMBEDDINGS)
    with pytest.raises(AIWorkersError):
        st.route(ctx, EmbeddingRequest(model="auto", input="x"))


def test_invalid_routing_config_keeps_the_last_good_one() -> None:
    from ai_workers.core.config import ConfigStore

    good = settings(
        routing={
            "tiers": {
                "simple": {"max_score": 1.5, "model": "llama-3.1-8b"},
                "complex": {"model": "gpt-4o-mini"},
            }
        }
    )
    st = stage(good)
    assert routed(st, chat(COMPLEX)).logical_model == "gpt-4o-mini"
    bad = settings(routing={"tiers": {"simple": {"model": "gpt-4o"}, "complex": {"model": "gpt-4o"}}})
    st.config.replace(bad)
    ctx = routed(st, chat(COMPLEX))
    assert ctx.logical_model == "gpt-4o-mini"
    assert isinstance(st.config, ConfigStore)
