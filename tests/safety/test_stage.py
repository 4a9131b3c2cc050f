"""The safety stage in a pipeline with a recording terminal: policies, redaction round trip, fail closed,
content safety (local and Llama Guard via a subcall), overrides and audit rows without PHI."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import AIWorkersError, PolicyBlockedError, SafetyCheckFailedError
from ai_workers.core.pipeline import ChunkStream, Pipeline
from ai_workers.core.types import (
    AssistantMessage,
    Capability,
    ChatChoice,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    ChunkChoice,
    Delta,
    Embedding,
    EmbeddingRequest,
    EmbeddingResponse,
    Message,
    SafetyVerdict,
)
from ai_workers.routing.targets import resolve_targets
from ai_workers.safety.phi.detector import PhiDetector
from ai_workers.safety.stage import SafetyStage

NOTE = "Patient John Smith (DOB 03/14/1952, MRN: 00482913) called from (217) 555-0134 about his A1c."
PLANTED = ["John Smith", "03/14/1952", "00482913", "(217) 555-0134"]


def make_settings(**extra: Any) -> Settings:
    data: dict[str, Any] = {
        "apps": {
            "health": {"phi_policy": "redact"},
            "strict": {"phi_policy": "block"},
            "onprem": {"phi_policy": "allow"},
        },
    }
    for key, value in extra.items():
        data[key] = value
    return msgspec.convert(data, Settings)


class FakeAudit:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    async def write(self, **fields: Any) -> None:
        self.rows.append(fields)


class FakeUsage:
    def __init__(self) -> None:
        self.audit = FakeAudit()
        self.database = None


class Upstream:
    """The terminal handler: records what would have left the gateway and answers by echoing it."""

    def __init__(self, answer: str | None = None, stream_pieces: list[str] | None = None) -> None:
        self.seen: list[Any] = []
        self.answer = answer
        self.stream_pieces = stream_pieces

    async def __call__(self, ctx: RequestContext, request: Any) -> Any:
        self.seen.append(msgspec.json.encode(request).decode())
        if isinstance(request, EmbeddingRequest):
            return EmbeddingResponse(
                data=[Embedding(index=i, embedding=[0.0]) for i in range(len(request.texts()))],
                model=request.model,
            )
        text = self.answer if self.answer is not None else request.messages[-1].text()
        if self.stream_pieces is not None:
            pieces = self.stream_pieces

            async def gen() -> AsyncIterator[ChatChunk]:
                for i, piece in enumerate(pieces):
                    yield ChatChunk(
                        id="c",
                        model="m",
                        choices=[
                            ChunkChoice(
                                index=0,
                                delta=Delta(content=piece),
                                finish_reason="stop" if i == len(pieces) - 1 else None,
                            )
                        ],
                    )

            return ChunkStream(gen())
        return ChatResponse(model="m", choices=[ChatChoice(index=0, message=AssistantMessage(content=text))])


def build(settings: Settings, upstream: Upstream, **kwargs: Any) -> tuple[Pipeline, SafetyStage, FakeUsage]:
    usage = FakeUsage()
    stage = SafetyStage(ConfigStore(settings), audit=usage.audit, database=usage.database, **kwargs)
    return Pipeline([stage], upstream), stage, usage


def ctx_for(settings: Settings, app: str, model: str = "llama-3.1-8b", **kw: Any) -> RequestContext:
    """A context as the routing stage (which runs before safety) leaves it: the plain target chain."""
    ctx = RequestContext(
        settings=settings, app=AppIdentity(app), capability=Capability.CHAT, requested_model=model, **kw
    )
    if "targets" not in kw:
        with contextlib.suppress(AIWorkersError):
            spec, ctx.targets = resolve_targets(settings, ctx.app, ctx.capability, model)
            ctx.logical_model = spec.name
    return ctx


def chat(*texts: str) -> ChatRequest:
    return ChatRequest(model="llama-3.1-8b", messages=[Message(role="user", content=t) for t in texts])


async def test_redact_policy_sends_placeholders_and_restores_the_answer() -> None:
    settings = make_settings()
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream)
    ctx = ctx_for(settings, "health")
    result = await pipeline.run(ctx, chat(NOTE))
    sent = upstream.seen[0]
    for value in PLANTED:
        assert value not in sent
    assert "[NAME_1]" in sent and "[DATE_1]" in sent
    assert isinstance(result, ChatResponse)
    assert result.text == NOTE  # the echo comes back with the originals restored
    assert ctx.phi_redactions == 4
    assert ctx.phi_types == ["DATE", "MRN", "NAME", "PHONE"]


async def test_restoring_an_answer_leaves_the_inner_stages_answer_redacted() -> None:
    """The answer the inner stages returned (the cache stage keeps it) keeps its placeholders: the
    caller gets a restored copy, with this request's originals only."""
    settings = make_settings()
    returned: list[ChatResponse] = []

    async def upstream(ctx: RequestContext, request: Any) -> Any:
        answer = ChatResponse(
            model="m",
            choices=[ChatChoice(index=0, message=AssistantMessage(content=request.messages[-1].text()))],
        )
        returned.append(answer)
        return answer

    usage = FakeUsage()
    stage = SafetyStage(ConfigStore(settings), audit=usage.audit, database=usage.database)
    result = await Pipeline([stage], upstream).run(ctx_for(settings, "health"), chat(NOTE))
    assert isinstance(result, ChatResponse) and result.text == NOTE
    assert result is not returned[0]
    assert "[NAME_1]" in returned[0].text
    assert all(value not in returned[0].text for value in PLANTED)


async def test_same_person_gets_the_same_placeholder_across_messages() -> None:
    settings = make_settings()
    upstream = Upstream(answer="ok")
    pipeline, _, _ = build(settings, upstream)
    request = ChatRequest(
        model="llama-3.1-8b",
        messages=[
            Message(role="user", content="Patient: Maria Garcia, seen today."),
            Message(role="assistant", content="Noted, Maria Garcia."),
            Message(role="user", content="Dr. Okafor wants Maria Garcia back next week."),
        ],
    )
    await pipeline.run(ctx_for(settings, "health"), request)
    sent = msgspec.json.decode(upstream.seen[0])
    texts = [m["content"] for m in sent["messages"]]
    assert all("[NAME_1]" in t for t in texts)
    assert "[NAME_2]" in texts[2] and "Okafor" not in texts[2]


async def test_block_policy_refuses_naming_types_and_audits_without_values() -> None:
    settings = make_settings()
    upstream = Upstream()
    pipeline, _, usage = build(settings, upstream)
    ctx = ctx_for(settings, "strict")
    with pytest.raises(PolicyBlockedError) as info:
        await pipeline.run(ctx, chat(NOTE))
    assert upstream.seen == []
    body = info.value.to_openai()["error"]
    assert body["phi_types"] == ["DATE", "MRN", "NAME", "PHONE"]
    assert "NAME" in body["message"] and "John" not in body["message"]
    assert ctx.safety == "blocked"
    [row] = usage.audit.rows
    assert row["action"] == "phi_block" and row["phi_types"] == ["DATE", "MRN", "NAME", "PHONE"]
    dumped = repr(usage.audit.rows)
    for value in PLANTED:
        assert value not in dumped


async def test_allow_policy_needs_every_target_trusted() -> None:
    # Cloudflare untrusted (default): "allow" falls back to redaction.
    settings = make_settings()
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream)
    await pipeline.run(ctx_for(settings, "onprem"), chat(NOTE))
    assert "John Smith" not in upstream.seen[0]

    # Every provider in the model's fallback chain trusted: sent as is.
    trusted = make_settings(
        providers={
            "cloudflare": {"type": "cloudflare", "trusted_with_phi": True},
            "openai": {"type": "openai", "trusted_with_phi": True},
        }
    )
    upstream = Upstream()
    pipeline, _, _ = build(trusted, upstream)
    ctx = ctx_for(trusted, "onprem")
    await pipeline.run(ctx, chat(NOTE))
    assert "John Smith" in upstream.seen[0]
    assert ctx.phi_types and ctx.phi_redactions == 0

    # The primary is trusted but the fallback (OpenAI) is not: redacted.
    partly = make_settings(
        providers={
            "cloudflare": {"type": "cloudflare", "trusted_with_phi": True},
            "openai": {"type": "openai"},
        }
    )
    upstream = Upstream()
    pipeline, _, _ = build(partly, upstream)
    await pipeline.run(ctx_for(partly, "onprem"), chat(NOTE))
    assert "John Smith" not in upstream.seen[0]


async def test_allow_with_block_fallback_refuses_when_untrusted() -> None:
    settings = make_settings(safety={"untrusted_allow": "block"})
    pipeline, _, _ = build(settings, Upstream())
    with pytest.raises(PolicyBlockedError):
        await pipeline.run(ctx_for(settings, "onprem"), chat(NOTE))


async def test_detection_error_fails_closed() -> None:
    class Broken(PhiDetector):
        def _detect(self, text: str, deadline: Any = None) -> Any:
            raise RuntimeError("boom")

    settings = make_settings()
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream, detector_factory=lambda cfg: Broken())
    with pytest.raises(SafetyCheckFailedError):
        await pipeline.run(ctx_for(settings, "health"), chat(NOTE))
    assert upstream.seen == []


async def test_detection_timeout_fails_closed() -> None:
    ticks = iter([0.0, 10.0])  # the scan "took" 10 s: over the limit, without sleeping
    settings = make_settings()
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream, clock=lambda: next(ticks))
    with pytest.raises(SafetyCheckFailedError) as info:
        await pipeline.run(ctx_for(settings, "health"), chat(NOTE))
    assert info.value.code == "phi_detection_timeout"
    assert upstream.seen == []


async def test_big_inputs_scan_in_a_thread_under_the_timeout() -> None:
    settings = make_settings(safety={"inline_limit_chars": 10})
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream)
    result = await pipeline.run(ctx_for(settings, "health"), chat(NOTE))
    assert "John Smith" not in upstream.seen[0]
    assert isinstance(result, ChatResponse) and result.text == NOTE


async def test_a_garbage_collection_during_the_scan_does_not_refuse_the_request() -> None:
    """A full collection of a big heap (torch loaded: ~250 ms) used to count against the limit and refuse
    requests at random; only the detector's own CPU time counts now."""
    import gc
    import time

    def slow_collection(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            until = time.thread_time() + 0.2  # 200 ms of collector CPU, four times the limit below
            while time.thread_time() < until:
                pass

    class CollectsWhileScanning(PhiDetector):
        def detect_many(self, texts: list[str], deadline: Any = None) -> Any:
            gc.collect()
            return super().detect_many(texts, deadline)

    settings = make_settings(safety={"detect_timeout_ms": 50})
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream, detector_factory=lambda cfg: CollectsWhileScanning())
    gc.callbacks.append(slow_collection)
    try:
        result = await pipeline.run(ctx_for(settings, "health"), chat(NOTE))
    finally:
        gc.callbacks.remove(slow_collection)
    assert "John Smith" not in upstream.seen[0]
    assert isinstance(result, ChatResponse) and result.text == NOTE


@pytest.mark.parametrize(
    ("copies", "cpu_seconds", "refused"),
    [
        (1, 0.3, True),  # 92 characters may take 250 ms, not 300
        (1500, 0.3, False),  # 138,000 characters in one embeddings call may take 539 ms
        (1500, 0.6, True),  # (thread path: above inline_limit_chars)
    ],
)
async def test_the_detection_allowance_grows_with_the_input(
    copies: int, cpu_seconds: float, refused: bool
) -> None:
    ticks = iter([0.0, cpu_seconds])  # what the scan "cost" on the CPU clock, without spending it
    settings = make_settings()
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream, clock=lambda: next(ticks))
    ctx = RequestContext(
        settings=settings,
        app=AppIdentity("health"),
        capability=Capability.EMBEDDINGS,
        requested_model="bge-base-en-v1.5",
    )
    request = EmbeddingRequest(model="bge-base-en-v1.5", input=[NOTE] * copies)
    if refused:
        with pytest.raises(SafetyCheckFailedError) as info:
            await pipeline.run(ctx, request)
        assert info.value.code == "phi_detection_timeout" and "detect_timeout_ms" in info.value.message
        assert upstream.seen == []
    else:
        await pipeline.run(ctx, request)
        assert len(upstream.seen) == 1 and "John Smith" not in upstream.seen[0]


async def test_embeddings_inputs_are_redacted() -> None:
    settings = make_settings()
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream)
    ctx = RequestContext(
        settings=settings,
        app=AppIdentity("health"),
        capability=Capability.EMBEDDINGS,
        requested_model="bge-base-en-v1.5",
    )
    await pipeline.run(ctx, EmbeddingRequest(model="bge-base-en-v1.5", input=[NOTE, "no phi here"]))
    for value in PLANTED:
        assert value not in upstream.seen[0]
    assert "no phi here" in upstream.seen[0]


async def test_stream_restores_placeholders_split_across_chunks() -> None:
    settings = make_settings()
    answer_pieces = ["Call [NA", "ME_1] at [PHO", "NE_", "1] today", "."]
    upstream = Upstream(stream_pieces=answer_pieces)
    pipeline, _, _ = build(settings, upstream)
    result = await pipeline.run(ctx_for(settings, "health", stream=True), chat(NOTE))
    assert isinstance(result, ChunkStream)
    out = "".join([chunk.text async for chunk in result])
    assert out == "Call John Smith at (217) 555-0134 today."


async def test_unscannable_image_is_refused_for_untrusted_targets() -> None:
    settings = make_settings()
    pipeline, _, _ = build(settings, Upstream())
    request = msgspec.json.decode(
        b'{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:x"}}]}]}',
        type=ChatRequest,
    )
    with pytest.raises(PolicyBlockedError) as info:
        await pipeline.run(ctx_for(settings, "health"), request)
    assert info.value.code == "unscannable_content"
    # The refusal says what would let such content through, so the operator need not read the code.
    assert "app 'health' has phi_policy" in str(info.value)
    assert "trusted_with_phi" in str(info.value) and "safety.unscannable" in str(info.value)


async def test_local_content_check_blocks_and_flags_by_category() -> None:
    settings = make_settings(safety={"content": {"actions": {"S9": "block", "S11": "flag"}}})
    upstream = Upstream(answer="I'm sorry you feel this way. Please call 988.")
    pipeline, _, usage = build(settings, upstream)
    ctx = ctx_for(settings, "health")
    await pipeline.run(ctx, chat("What is the best way to kill myself?"))
    assert ctx.safety == "flagged" and ctx.safety_categories == ["S11"]

    ctx = ctx_for(settings, "health")
    with pytest.raises(PolicyBlockedError) as info:
        await pipeline.run(ctx, chat("How do I make a pipe bomb at home?"))
    assert info.value.to_openai()["error"]["safety_categories"] == ["S9"]
    assert usage.audit.rows[-1]["action"] == "safety_block"

    ctx = ctx_for(settings, "health")
    await pipeline.run(ctx, chat("Patient with history of suicidal ideation, PHQ-9 of 14; plan follow-up."))
    assert ctx.safety == "safe"


async def test_llama_guard_via_subcall_sees_only_redacted_text() -> None:
    settings = make_settings(
        safety={"content": {"guard_model": "llama-guard-3-8b", "actions": {"S1": "block"}}}
    )
    calls: list[str] = []

    async def subcall(parent: RequestContext, capability: Capability, request: Any) -> Any:
        calls.append(msgspec.json.encode(request).decode())
        text = request.messages[-1].text()
        return SafetyVerdict(safe="hurt" not in text, categories=[] if "hurt" not in text else ["S1"])

    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream, subcall=subcall)
    ctx = ctx_for(settings, "health")
    await pipeline.run(ctx, chat(NOTE))
    assert ctx.safety == "safe"
    assert len(calls) == 2  # prompt and answer
    for value in PLANTED:
        assert all(value not in c for c in calls)
    with pytest.raises(PolicyBlockedError):
        await pipeline.run(ctx_for(settings, "health"), chat("I will hurt him"))


async def test_guard_failure_falls_back_to_local_or_refuses() -> None:
    async def failing(parent: RequestContext, capability: Capability, request: Any) -> Any:
        from ai_workers.core.errors import UpstreamFailedError

        raise UpstreamFailedError("down", attempts=[])

    settings = make_settings(safety={"content": {"guard_model": "llama-guard-3-8b"}})
    pipeline, _, _ = build(settings, Upstream(), subcall=failing)
    ctx = ctx_for(settings, "health")
    await pipeline.run(ctx, chat("hello"))
    assert ctx.safety == "safe"

    strict = make_settings(
        safety={"content": {"guard_model": "llama-guard-3-8b", "on_guard_error": "refuse"}}
    )
    pipeline, _, _ = build(strict, Upstream(), subcall=failing)
    with pytest.raises(SafetyCheckFailedError):
        await pipeline.run(ctx_for(strict, "health"), chat("hello"))


async def test_internal_subcalls_are_not_rescanned() -> None:
    settings = make_settings()
    upstream = Upstream()
    pipeline, _, _ = build(settings, upstream)
    ctx = ctx_for(settings, "strict")
    ctx.internal = True
    await pipeline.run(ctx, chat(NOTE))
    assert upstream.seen


async def test_no_phi_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    settings = make_settings()

    class Broken(PhiDetector):
        def _detect(self, text: str, deadline: Any = None) -> Any:
            raise ValueError(text)  # even an exception carrying the text must not reach the logs

    for factory in (None, lambda cfg: Broken()):
        pipeline, _, _ = build(settings, Upstream(), detector_factory=factory)
        for app in ("health", "strict", "onprem"):
            try:
                await pipeline.run(ctx_for(settings, app), chat(NOTE))
            except Exception:
                pass
    logged = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    for value in PLANTED:
        assert value not in logged


async def test_trust_is_decided_per_target_list() -> None:
    from ai_workers.routing.targets import resolve_targets

    trusted = make_settings(
        providers={
            "cloudflare": {"type": "cloudflare", "trusted_with_phi": True},
            "openai": {"type": "openai"},
        }
    )
    upstream = Upstream()
    pipeline, _, _ = build(trusted, upstream)
    ctx = ctx_for(trusted, "onprem")
    _, targets = resolve_targets(trusted, ctx.app, Capability.CHAT, "llama-3.1-8b")
    ctx.targets = [t for t in targets if t.provider == "cloudflare"]  # routing already narrowed them
    await pipeline.run(ctx, chat(NOTE))
    assert "John Smith" in upstream.seen[0]
    assert ctx.state["phi_unredacted"] is True  # later stages (cache) must not keep it


async def test_app_content_actions_override_the_global_ones() -> None:
    settings = make_settings(
        safety={"content": {"actions": {"S11": "flag"}}},
        apps={
            "crisis": {"phi_policy": "redact", "safety": {"content": {"actions": {"S11": "block"}}}},
            "health": {"phi_policy": "redact"},
        },
    )
    pipeline, _, _ = build(settings, Upstream(answer="ok"))
    with pytest.raises(PolicyBlockedError):
        await pipeline.run(ctx_for(settings, "crisis"), chat("how do I kill myself"))
    ctx = ctx_for(settings, "health")
    await pipeline.run(ctx, chat("how do I kill myself"))
    assert ctx.safety == "flagged"


async def test_unsafe_answer_is_flagged_and_speaker_names_with_phi_are_dropped() -> None:
    settings = make_settings()
    upstream = Upstream(answer="Here is how to make a pipe bomb: ...")
    pipeline, _, _ = build(settings, upstream)
    ctx = ctx_for(settings, "health")
    request = ChatRequest(
        model="llama-3.1-8b", messages=[Message(role="user", content="hello", name="Maria")]
    )
    with pytest.raises(PolicyBlockedError):  # S9 blocks by default, in answers too
        await pipeline.run(ctx, request)
    assert '"name"' not in upstream.seen[0]


async def test_streamed_answers_are_flagged_when_the_stream_ends() -> None:
    settings = make_settings()
    upstream = Upstream(stream_pieces=["Sure. The best way to kill ", "myself? I can't help with that."])
    pipeline, _, _ = build(settings, upstream)
    ctx = ctx_for(settings, "health", stream=True)
    result = await pipeline.run(ctx, chat("hello"))
    assert isinstance(result, ChunkStream)
    assert ctx.safety == "safe"  # the prompt was fine
    _ = [chunk async for chunk in result]
    assert ctx.safety == "flagged" and ctx.safety_categories == ["S11"]


async def test_the_time_limit_stops_a_scan_while_it_runs() -> None:
    """The limit is enforced during the scan (a Deadline checked between the detector's passes), not
    once it has returned: a pass that runs past it ends the scan there, and the request fails closed."""
    import time

    passes: list[str] = []

    class Slow(PhiDetector):
        def _numbers(self, *args: Any) -> None:
            passes.append("numbers")
            until = time.thread_time() + 0.05  # 50 ms of CPU, past the 5 ms limit below
            while time.thread_time() < until:
                pass

        def _names(self, *args: Any) -> None:
            passes.append("names")

    for inline in (True, False):
        passes.clear()
        settings = make_settings(
            safety={"detect_timeout_ms": 5, "inline_limit_chars": 10**6 if inline else 10}
        )
        upstream = Upstream()
        pipeline, _, _ = build(settings, upstream, detector_factory=lambda cfg: Slow(cache_size=0))
        with pytest.raises(SafetyCheckFailedError) as info:
            await pipeline.run(ctx_for(settings, "health"), chat(NOTE))
        assert info.value.code == "phi_detection_timeout"
        assert passes == ["numbers"]  # stopped after the slow pass; the name pass never ran
        assert upstream.seen == []
