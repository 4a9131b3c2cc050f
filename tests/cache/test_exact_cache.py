"""Exact cache through the stage: what an app sees on repeats, expiry, isolation, temperature, streams."""

from __future__ import annotations

import pytest

from ai_workers.core.types import ChatResponse
from tests.cache.helpers import Harness, settings


async def test_repeat_is_served_from_cache_without_calling_the_model() -> None:
    h = Harness()
    first = await h.chat("What is the capital of France?", temperature=0)
    assert h.last.cache == "miss"
    second = await h.chat("What is the capital of France?", temperature=0)
    assert h.model.calls == 1
    assert h.last.cache == "hit"
    assert isinstance(second, ChatResponse)
    assert second.text == first.text
    assert second.id != first.id  # a new response, so feedback refers to this request
    assert h.last.usage.total_tokens == 0 and not h.last.attempts  # nothing paid for the hit


async def test_whitespace_and_line_endings_do_not_change_the_key_but_parameters_do() -> None:
    h = Harness()
    await h.chat("Summarise:\r\nthe report ", temperature=0)
    await h.chat("  Summarise:\nthe report", temperature=0)
    assert h.model.calls == 1
    await h.chat("Summarise:\nthe report", temperature=0, max_tokens=50)
    await h.chat("Summarise:\nthe report", temperature=0, seed=7)
    await h.chat("Summarise:\nthe report", temperature=0, model="gpt-4o")
    assert h.model.calls == 4
    for changed in ({"reasoning_effort": "high"}, {"logprobs": True}, {"parallel_tool_calls": False}):
        await h.chat("Summarise:\nthe report", temperature=0, **changed)
    assert h.model.calls == 7


async def test_entries_expire_after_the_kind_ttl() -> None:
    h = Harness(settings(cache={"ttl_s": {"chat": 60}}))
    await h.chat("hello", temperature=0)
    h.clock.now += 59
    await h.chat("hello", temperature=0)
    assert h.last.cache == "hit"
    h.clock.now += 2
    await h.chat("hello", temperature=0)
    assert h.last.cache == "miss"
    assert h.model.calls == 2


async def test_embeddings_live_seven_days_by_default_and_chat_one_hour() -> None:
    h = Harness()
    await h.embed(["a", "b"])
    await h.chat("hi", temperature=0)
    h.clock.now += 3601
    await h.chat("hi", temperature=0)
    assert h.last.cache == "miss"
    await h.embed(["a", "b"])
    assert h.last.cache == "hit"
    h.clock.now += 7 * 24 * 3600
    await h.embed(["a", "b"])
    assert h.last.cache == "miss"


async def test_per_app_ttl_overrides_the_global_one() -> None:
    h = Harness(settings(cache={"ttl_s": {"chat": 3600}}, apps={"short": {"cache": {"ttl_s": {"chat": 10}}}}))
    await h.chat("x", app="short", temperature=0)
    await h.chat("x", app="app-a", temperature=0)
    h.clock.now += 11
    await h.chat("x", app="short", temperature=0)
    assert h.last.cache == "miss"
    await h.chat("x", app="app-a", temperature=0)
    assert h.last.cache == "hit"


async def test_apps_never_share_entries() -> None:
    h = Harness()
    await h.chat("same question", app="app-a", temperature=0)
    await h.chat("same question", app="app-b", temperature=0)
    assert h.last.cache == "miss"
    assert h.model.calls == 2


async def test_user_scope_keeps_users_apart_when_the_app_asks() -> None:
    h = Harness(settings(apps={"private": {"cache": {"scope": "user"}}}))
    await h.chat("q", app="private", user="u1", temperature=0)
    await h.chat("q", app="private", user="u2", temperature=0)
    assert h.last.cache == "miss"
    await h.chat("q", app="private", user="u1", temperature=0)
    assert h.last.cache == "hit"


async def test_sampled_requests_are_skipped_unless_the_app_opts_in() -> None:
    h = Harness(settings(apps={"creative": {"cache": {"allow_sampled": True}}}))
    await h.chat("poem", temperature=0.7)
    await h.chat("poem", temperature=0.7)
    assert h.last.cache == "skip" and h.last.state["cache_skip_reason"] == "temperature"
    assert h.model.calls == 2
    await h.chat("poem", app="creative", temperature=0.7)
    await h.chat("poem", app="creative", temperature=0.7)
    assert h.last.cache == "hit"


async def test_unset_temperature_is_cached_unless_the_app_turns_it_off() -> None:
    h = Harness(settings(apps={"strict": {"cache": {"cache_unset_temperature": False}}}))
    await h.chat("q")
    await h.chat("q")
    assert h.last.cache == "hit"
    await h.chat("q", app="strict")
    assert h.last.cache == "skip"


async def test_disabled_cache_passes_through() -> None:
    h = Harness(settings(cache={"enabled": False}))
    await h.chat("q", temperature=0)
    await h.chat("q", temperature=0)
    assert h.model.calls == 2 and h.last.cache == "skip"


async def test_stream_hit_replays_the_answer_as_chunks() -> None:
    h = Harness()
    first = await h.chat("Tell me about caching in one line please", temperature=0)
    chunks = await h.chat("Tell me about caching in one line please", temperature=0, stream=True)
    assert h.last.cache == "hit" and h.model.calls == 1
    assert len(chunks) > 3
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert "".join(c.text for c in chunks) == first.text


async def test_completed_stream_is_stored_and_served_to_a_plain_request() -> None:
    h = Harness()
    chunks = await h.chat("stream me", temperature=0, stream=True)
    streamed = "".join(c.text for c in chunks)
    again = await h.chat("stream me", temperature=0)
    assert h.last.cache == "hit" and h.model.calls == 1
    assert again.text == streamed


async def test_cut_stream_is_never_stored() -> None:
    h = Harness()
    h.model.cut_next_stream = True
    with pytest.raises(ConnectionResetError):
        await h.chat("fragile", temperature=0, stream=True)
    await h.stage.flush()
    await h.chat("fragile", temperature=0)
    assert h.last.cache == "miss" and h.model.calls == 2


async def test_stream_closed_early_by_the_client_is_not_stored() -> None:
    h = Harness()
    from ai_workers.core.types import ChatRequest, Message

    ctx = h.ctx(stream=True)
    stream = await h.pipeline.run(
        ctx,
        ChatRequest(
            model="gpt-4o-mini", messages=[Message(role="user", content="x y z")], stream=True, temperature=0
        ),
    )
    await stream.__anext__()
    await stream.aclose()
    await h.stage.flush()
    await h.chat("x y z", temperature=0)
    assert h.last.cache == "miss"


async def test_lru_bound_by_entries_and_bytes() -> None:
    h = Harness(settings(cache={"max_entries": 3}))
    for i in range(5):
        await h.chat(f"q{i}", temperature=0)
    stats = await h.stage.stats()
    assert stats.exact.entries == 3 and stats.exact.evictions == 2
    await h.chat("q0", temperature=0)
    assert h.last.cache == "miss"  # evicted, least recently used
    small = Harness(settings(cache={"max_bytes": 2000}))
    for i in range(10):
        await small.chat(f"question number {i}", temperature=0)
    stats = await small.stage.stats()
    assert 0 < stats.exact.bytes <= 2000


async def test_invalidate_by_app_model_and_prefix() -> None:
    h = Harness()
    await h.chat("a", app="app-a", temperature=0)
    await h.chat("a", app="app-a", temperature=0, model="gpt-4o")
    await h.chat("a", app="app-b", temperature=0)
    assert (await h.stage.invalidate(model="gpt-4o"))["exact"] == 1
    assert (await h.stage.invalidate(app="app-b"))["exact"] == 1
    key = h.last.state["cache_key"]
    await h.chat("a", app="app-b", temperature=0)
    assert (await h.stage.invalidate(prefix=key[:12]))["exact"] == 1
    await h.chat("a", app="app-a", temperature=0)
    assert h.last.cache == "hit"  # untouched by the other invalidations
    assert (await h.stage.invalidate(app="app-a"))["exact"] == 1
    await h.chat("a", app="app-a", temperature=0)
    assert h.last.cache == "miss"


async def test_stats_report_hit_rate_and_bytes() -> None:
    h = Harness()
    await h.chat("a", temperature=0)
    await h.chat("a", temperature=0)
    await h.chat("b", temperature=0.5)
    stats = await h.stage.stats()
    assert stats.requests["chat"] == {"hit": 1, "miss": 1, "skip": 1}
    assert stats.hit_rate == 0.5
    assert stats.exact.entries == 1 and stats.exact.bytes > 0


async def test_config_reload_applies_without_restart() -> None:
    h = Harness(settings(apps={"app-a": {"cache": {"enabled": False}}}))
    await h.chat("q", temperature=0)
    await h.chat("q", temperature=0)
    assert h.last.cache == "skip"
    h.store.replace(settings(apps={"app-a": {"cache": {"ttl_s": {"chat": 5}}}}))
    await h.chat("q", temperature=0)
    await h.chat("q", temperature=0)
    assert h.last.cache == "hit"
    h.clock.now += 6
    await h.chat("q", temperature=0)
    assert h.last.cache == "miss"


async def test_rag_answers_are_their_own_kind_with_their_own_ttl() -> None:
    h = Harness(settings(cache={"ttl_s": {"rag": 30, "chat": 3600}}))
    await h.chat("What does the policy say?", route="rag", temperature=0)
    assert h.last.state["cache_key"].split(":")[1] == "rag"
    h.clock.now += 31
    await h.chat("What does the policy say?", route="rag", temperature=0)
    assert h.last.cache == "miss"


async def test_unreadable_entry_is_a_miss_not_an_error() -> None:
    h = Harness()
    await h.chat("q", temperature=0)
    key = h.last.state["cache_key"]
    await h.stage.backend.set(key, b"\x00not msgpack of an answer", 60)
    answer = await h.chat("q", temperature=0)
    assert answer.text and h.last.cache == "miss" and h.model.calls == 2
    await h.chat("q", temperature=0)  # the miss stored a good entry again
    assert h.last.cache == "hit"


async def test_an_answer_sent_with_unredacted_phi_is_never_stored() -> None:
    """An override or an all-trusted route lets PHI out in clear; its answer must not enter the cache."""
    h = Harness()
    make_ctx = h.ctx

    def ctx_marked_unredacted(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        ctx = make_ctx(*args, **kwargs)  # type: ignore[arg-type]
        ctx.state["phi_unredacted"] = True
        return ctx

    h.ctx = ctx_marked_unredacted  # type: ignore[method-assign]
    await h.chat("Summarise the visit of Jane Roe, seen 03/04/2025", temperature=0)
    await h.chat("Summarise the visit of Jane Roe, seen 03/04/2025", temperature=0)
    assert h.model.calls == 2
    assert h.last.cache == "miss"
