"""The cache inside the real gateway, against the fake upstreams: what reaches the provider and what not."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import ProviderError, UpstreamFailedError
from ai_workers.core.pipeline import ChunkStream
from ai_workers.core.types import Capability, ChatRequest, ChatResponse, Message, StreamOptions
from ai_workers.gateway import Gateway
from tests.fakes import FakeOpenAI, FakeWorkersAI, fake_settings, start_fakes


class NoSleep:
    async def __call__(self, seconds: float) -> None:
        return None


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeWorkersAI, FakeOpenAI]]:
    with start_fakes() as pair:
        yield pair


def chat_calls(fake: Any) -> int:
    return sum(1 for r in fake.requests if r.path.endswith("/chat/completions"))


@pytest.fixture
async def gateway(fakes: tuple[FakeWorkersAI, FakeOpenAI]) -> AsyncIterator[Gateway]:
    workers, openai = fakes
    workers.clear()
    openai.clear()
    settings = fake_settings(
        workers,
        openai,
        providers={"openai": {"trusted_with_phi": True}, "cloudflare": {"trusted_with_phi": True}},
        apps={
            "tests": {"phi_policy": "allow"},
            "other": {"phi_policy": "allow"},
            "semantic": {"phi_policy": "allow", "cache": {"semantic": {"enabled": True}}},
        },
    )
    async with Gateway(settings, executor_options={"sleep": NoSleep()}) as gw:
        yield gw


async def ask(
    gw: Gateway,
    text: str,
    *,
    app: str = "tests",
    model: str = "gpt-4o-mini",
    stream: bool = False,
    **params: Any,
) -> tuple[Any, Any]:
    ctx = gw.context(AppIdentity(app), Capability.CHAT, model, stream=stream)
    request = ChatRequest(
        model=model, messages=[Message(role="user", content=text)], stream=stream or None, **params
    )
    result = await gw.run(ctx, request)
    if isinstance(result, ChunkStream):
        result = [c async for c in result]
    await gw.cache.flush()
    return ctx, result


async def test_repeat_never_reaches_the_provider(gateway: Gateway, fakes: Any) -> None:
    openai = fakes[1]
    ctx1, first = await ask(gateway, "Name three primary colours.", temperature=0)
    ctx2, second = await ask(gateway, "Name three primary colours.", temperature=0)
    assert chat_calls(openai) == 1
    assert (ctx1.cache, ctx2.cache) == ("miss", "hit")
    assert isinstance(second, ChatResponse) and second.text == first.text
    assert ctx2.attempts == []  # no provider call
    assert ctx1.cost_usd and ctx1.cost_usd > 0
    assert ctx2.cost_usd == 0.0  # priced by the usage stage as a cache hit
    assert ctx2.logical_model == "gpt-4o-mini"


async def test_other_app_and_sampled_requests_go_upstream(gateway: Gateway, fakes: Any) -> None:
    openai = fakes[1]
    await ask(gateway, "q", temperature=0)
    ctx, _ = await ask(gateway, "q", app="other", temperature=0)
    assert ctx.cache == "miss"
    await ask(gateway, "poem", temperature=0.9)
    ctx, _ = await ask(gateway, "poem", temperature=0.9)
    assert ctx.cache == "skip"
    assert chat_calls(openai) == 4


async def test_stream_hit_replays_and_streamed_miss_is_stored(gateway: Gateway, fakes: Any) -> None:
    openai = fakes[1]
    _, chunks = await ask(
        gateway,
        "Explain TCP briefly.",
        temperature=0,
        stream=True,
        stream_options=StreamOptions(include_usage=True),
    )
    streamed = "".join(c.text for c in chunks)
    ctx, replay = await ask(gateway, "Explain TCP briefly.", temperature=0, stream=True)
    assert ctx.cache == "hit" and chat_calls(openai) == 1
    assert "".join(c.text for c in replay) == streamed
    assert replay[-1].choices[0].finish_reason is not None
    ctx, plain = await ask(gateway, "Explain TCP briefly.", temperature=0)
    assert ctx.cache == "hit" and plain.text == streamed


async def test_cut_stream_is_not_cached(gateway: Gateway, fakes: Any) -> None:
    openai = fakes[1]
    openai.inject("cut_stream", times=5)
    with pytest.raises((ProviderError, UpstreamFailedError)):
        await ask(gateway, "Cut me off", temperature=0, stream=True)
    openai.clear()
    ctx, _ = await ask(gateway, "Cut me off", temperature=0)
    assert ctx.cache == "miss"


async def test_invalidation_reaches_the_provider_again(gateway: Gateway, fakes: Any) -> None:
    openai = fakes[1]
    await ask(gateway, "cached?", temperature=0)
    removed = await gateway.cache.invalidate(app="tests", model="gpt-4o-mini")
    assert removed["exact"] == 1
    ctx, _ = await ask(gateway, "cached?", temperature=0)
    assert ctx.cache == "miss" and chat_calls(openai) == 2


async def test_semantic_hit_for_a_paraphrase_with_the_local_embedding_model(
    gateway: Gateway, fakes: Any
) -> None:
    openai = fakes[1]
    await ask(gateway, "What are the common side effects of metformin?", app="semantic", temperature=0)
    ctx, answer = await ask(
        gateway, "What side effects does metformin commonly cause?", app="semantic", temperature=0
    )
    assert ctx.cache == "semantic_hit"
    assert ctx.cache_similarity is not None and ctx.cache_similarity >= 0.86
    assert chat_calls(openai) == 1
    assert "metformin" in answer.text.lower()  # the fake echoes the first prompt
    # A near-miss (another drug) is close in embedding space but must go upstream.
    ctx, _ = await ask(
        gateway, "What are the common side effects of glipizide?", app="semantic", temperature=0
    )
    assert ctx.cache == "miss"
    # Below the threshold: an unrelated question.
    ctx, _ = await ask(gateway, "How do I reset my password?", app="semantic", temperature=0)
    assert ctx.cache == "miss" and ctx.cache_similarity is None
    assert chat_calls(openai) == 3
    # Semantic entries are per app: the plain app does not see them.
    ctx, _ = await ask(gateway, "What side effects does metformin commonly cause?", temperature=0)
    assert ctx.cache == "miss"


async def test_usage_records_show_semantic_and_replayed_hits_at_zero_cost(
    gateway: Gateway, fakes: Any
) -> None:
    from sqlalchemy import select

    from ai_workers.db.models import UsageRecord

    miss, _ = await ask(
        gateway, "What are the common side effects of metformin?", app="semantic", temperature=0
    )
    sem, _ = await ask(
        gateway, "What side effects does metformin commonly cause?", app="semantic", temperature=0
    )
    replay, _ = await ask(
        gateway, "What are the common side effects of metformin?", app="semantic", temperature=0, stream=True
    )
    await gateway.usage.flush()
    async with gateway.usage.database.session() as session:
        rows = {r.id: r for r in (await session.scalars(select(UsageRecord))).all()}
    assert rows[miss.request_id].cost_usd > 0 and not rows[miss.request_id].cache_hit
    for ctx, kind in ((sem, "semantic_hit"), (replay, "hit")):
        row = rows[ctx.request_id]
        assert row.cache == kind and row.cache_hit and row.cost_usd == 0.0 and row.attempts == 0
    # The semantic cache's own embedding call is recorded too (internal, local model, free).
    internal = [r for r in rows.values() if r.capability == "embeddings"]
    assert internal and all(r.cost_usd == 0.0 for r in internal)


async def test_redacted_prompts_share_an_answer_restored_for_each_patient(fakes: Any) -> None:
    workers, openai = fakes
    openai.clear()
    settings = fake_settings(workers, openai, apps={"clinic": {"phi_policy": "redact"}})
    async with Gateway(settings, executor_options={"sleep": NoSleep()}) as gw:
        ctx1, first = await ask(gw, "Please repeat this name: John Smith", app="clinic", temperature=0)
        ctx2, second = await ask(gw, "Please repeat this name: Maria Garcia", app="clinic", temperature=0)
        stored = [await gw.cache.backend.get(ctx1.state["cache_key"])]
    assert ctx1.phi_redactions and ctx2.phi_redactions
    assert (ctx1.cache, ctx2.cache) == ("miss", "hit")  # the provider only ever saw "[NAME_1]"
    assert chat_calls(openai) == 1
    assert "John Smith" in first.text and "Maria Garcia" in second.text and "John" not in second.text
    assert stored[0] is not None and b"John" not in stored[0] and b"Smith" not in stored[0]


async def test_start_warms_the_semantic_embedder_so_the_first_paraphrase_can_hit(gateway: Gateway) -> None:
    """A fresh gateway loads the semantic cache's embedding model in the background at start, recording
    the warm-up like any internal request, instead of missing every lookup until a model has loaded."""
    await gateway.cache.flush()
    await gateway.usage.flush()
    from sqlalchemy import select

    from ai_workers.db.models import UsageRecord

    async with gateway.usage.database.session() as s:
        routes = [r.route for r in (await s.execute(select(UsageRecord))).scalars()]
    assert "internal" in routes  # the warm-up embedding went through the pipeline
    local = gateway.registry.get("local")
    assert local._model is not None and local._model._model is not None  # loaded, not just created


async def test_entries_of_an_earlier_answer_generation_are_never_served(
    gateway: Gateway, fakes: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chat entries written before the streamed-answer PHI fix may hold another patient's identifiers:
    after an upgrade they must be unreachable, not served until their TTL ends."""
    from ai_workers.cache import keys

    openai = fakes[1]
    monkeypatch.setattr(keys, "ANSWER_GENERATION", keys.ANSWER_GENERATION - 1)
    await ask(gateway, "Name three primary colours.", temperature=0)  # stored by the "old" gateway
    monkeypatch.undo()
    ctx, _ = await ask(gateway, "Name three primary colours.", temperature=0)
    assert ctx.cache == "miss"
    assert chat_calls(openai) == 2
