"""The nine seed Workers AI models through the client, against the fake Workers AI REST API.

Each test asserts the exact request body the real API expects for that model and that the real response
shape is parsed into the OpenAI-shaped result (with provider, model, usage and units).
"""

from __future__ import annotations

import base64
from typing import Any

import msgspec
import pytest

from ai_workers import AsyncClient, UpstreamFailedError, image_part
from ai_workers.core.errors import InvalidRequestError
from ai_workers.core.types import ContentPart, Message
from ai_workers.providers.audio import mp3_duration_seconds
from tests.fakes import FakeOpenAI, FakeWorkersAI
from tests.providers.conftest import client_settings, model_requests

RUN = "/client/v4/accounts/test-account/ai/run/"


def workers_only_client(
    workers: FakeWorkersAI, openai: FakeOpenAI, sleeper: Any, name: str, model_id: str
) -> AsyncClient:
    """A client whose chat model ``name`` has one target, Workers AI's ``model_id``: no fallback."""
    from ai_workers.gateway import Gateway

    model = {"name": name, "capability": "chat", "deployments": [{"provider": "cloudflare", "id": model_id}]}
    settings = client_settings(workers, openai, models=[model])
    return AsyncClient(gateway=Gateway(settings, executor_options={"sleep": sleeper}))


@pytest.mark.parametrize(
    ("model", "model_id"),
    [
        ("llama-4-scout-17b-16e-instruct", "@cf/meta/llama-4-scout-17b-16e-instruct"),
        ("llama-3.3-70b-instruct-fp8-fast", "@cf/meta/llama-3.3-70b-instruct-fp8-fast"),
        ("qwq-32b", "@cf/qwen/qwq-32b"),
        ("llama-3.2-11b-vision-instruct", "@cf/meta/llama-3.2-11b-vision-instruct"),
    ],
)
async def test_chat_models_send_messages_and_explicit_max_tokens(
    client: AsyncClient, workers: FakeWorkersAI, model: str, model_id: str
) -> None:
    response = await client.chat(
        [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": f"colour of the sky {model}"},
        ],
        model=model,
        temperature=0.2,
    )
    assert response.text == f"Echo: colour of the sky {model}"
    assert response.x_ai_workers is not None
    assert response.x_ai_workers.provider == "cloudflare"
    assert response.x_ai_workers.provider_model == model_id
    assert response.x_ai_workers.latency_ms is not None and response.x_ai_workers.latency_ms > 0
    assert response.usage.prompt_tokens == 2 + 5 and response.usage.completion_tokens == 6
    (request,) = model_requests(workers, model_id)
    assert request.path == RUN + model_id
    assert request.headers["authorization"] == "Bearer test-cf-token"
    assert request.json() == {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": f"colour of the sky {model}"},
        ],
        "max_tokens": 1024,  # sent even when the caller sets none: older models default to 256
        "temperature": 0.2,
    }


async def test_caller_max_tokens_is_forwarded(client: AsyncClient, workers: FakeWorkersAI) -> None:
    response = await client.chat("one two three four five", model="llama-3.3-70b", max_tokens=3)
    assert response.text == "Echo: one two"
    assert response.choices[0].finish_reason == "length"
    assert model_requests(workers, "llama-3.3-70b-instruct-fp8-fast")[0].json()["max_tokens"] == 3


async def test_tool_calls_are_returned_in_openai_shape(client: AsyncClient, workers: FakeWorkersAI) -> None:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "lookup_drug",
                "description": "Look up a drug",
                "parameters": {"type": "object", "properties": {"query": {"type": "string"}}},
            },
        }
    ]
    response = await client.chat("ibuprofen dose", model="llama-3.3-70b", tools=tools)
    (request,) = model_requests(workers, "llama-3.3-70b-instruct-fp8-fast")
    assert request.json()["tools"] == tools
    choice = response.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls is not None
    call = choice.message.tool_calls[0]
    assert call.function is not None and call.function.name == "lookup_drug"
    assert call.function.arguments == '{"query":"ibuprofen dose"}'
    assert call.id


async def test_a_stream_cut_by_max_tokens_ends_with_length(client: AsyncClient) -> None:
    stream = client.stream("one two three four five", model="llama-3.3-70b", max_tokens=3)
    chunks = [chunk async for chunk in stream]
    assert "".join(chunk.text for chunk in chunks) == "Echo: one two"
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["length"]


async def test_streaming_chat_parses_workers_sse(client: AsyncClient, workers: FakeWorkersAI) -> None:
    stream = client.stream("stream these words please", model="llama-4-scout")
    texts = [chunk.text async for chunk in stream]
    assert "".join(texts) == "Echo: stream these words please"
    assert stream.usage is not None and stream.usage.completion_tokens == 5
    assert stream.info is not None and stream.info.provider == "cloudflare"
    (request,) = model_requests(workers, "llama-4-scout-17b-16e-instruct")
    assert request.json()["stream"] is True
    assert request.json()["max_tokens"] == 1024


async def test_stop_sequences_are_applied_by_the_gateway(client: AsyncClient, workers: FakeWorkersAI) -> None:
    """Workers AI has no ``stop``: dropping it would let an agent's answer run on into a made-up
    observation. The gateway cuts the text itself, streamed or not, and never sends ``stop`` upstream."""
    workers.reply_text = "Thought: I should look it up Observation: invented result Final answer"
    answer = await client.chat("q", model="llama-3.3-70b", stop=["Observation:", "Final"])
    assert answer.text == "Thought: I should look it up "
    assert answer.choices[0].finish_reason == "stop"
    stream = client.stream("q", model="llama-3.3-70b", stop="Observation:")
    assert "".join([chunk.text async for chunk in stream]) == "Thought: I should look it up "
    for request in model_requests(workers, "llama-3.3-70b-instruct-fp8-fast"):
        assert "stop" not in request.json()


async def test_several_choices_go_to_a_target_that_gives_them_or_are_refused_naming_n(
    client: AsyncClient, workers: FakeWorkersAI, openai_fake: FakeOpenAI, sleeper
) -> None:
    """Workers AI gives one choice per call: ``n`` > 1 skips it for the fallback (OpenAI), and where no
    target can give several choices the caller gets a 400 naming ``n``, never one choice silently."""
    answer = await client.chat("q", model="llama-3.3-70b", n=3)
    assert answer.x_ai_workers is not None and answer.x_ai_workers.provider == "openai"
    assert model_requests(openai_fake, "/chat/completions")[-1].json()["n"] == 3
    assert model_requests(workers, "llama-3.3-70b-instruct-fp8-fast") == []

    only_workers = workers_only_client(
        workers, openai_fake, sleeper, "workers-only", "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
    )
    async with only_workers as c:
        with pytest.raises(InvalidRequestError) as info:
            await c.chat("q", model="workers-only", n=3)
    assert info.value.status == 400 and info.value.param == "n"
    assert "one choice" in str(info.value)
    assert model_requests(workers, "llama-3.3-70b-instruct-fp8-fast") == []


async def test_vision_11b_sends_image_as_byte_array(client: AsyncClient, workers: FakeWorkersAI) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(20))
    message = Message(role="user", content=[ContentPart(type="text", text="What is shown?"), image_part(png)])
    response = await client.chat([message], model="llama-3.2-11b-vision-instruct")
    body = model_requests(workers, "llama-3.2-11b-vision-instruct")[0].json()
    assert body["image"] == list(png)
    assert body["messages"] == [{"role": "user", "content": "What is shown?"}]
    assert response.text == f"Echo: What is shown? [image of {len(png)} bytes]"


async def test_vision_scout_keeps_openai_image_parts(client: AsyncClient, workers: FakeWorkersAI) -> None:
    png = b"\x89PNG fake"
    part = image_part(png, "image/png")
    message = Message(role="user", content=[ContentPart(type="text", text="Describe"), part])
    response = await client.chat([message], model="llama-4-scout-17b-16e-instruct")
    body = model_requests(workers, "llama-4-scout-17b-16e-instruct")[0].json()
    assert "image" not in body
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "Describe"},
        {
            "type": "image_url",
            "image_url": {"url": "data:image/png;base64," + base64.b64encode(png).decode()},
        },
    ]
    assert response.text.endswith("[1 image part(s)]")


async def test_vision_11b_rejects_remote_image_urls_clearly(client: AsyncClient) -> None:
    from ai_workers import InvalidRequestError
    from ai_workers.core.types import ImageURL

    part = ContentPart(type="image_url", image_url=ImageURL(url="https://example.org/x.png"))
    message = Message(role="user", content=[ContentPart(type="text", text="hi"), part])
    with pytest.raises(InvalidRequestError, match="data: URL"):
        await client.chat([message], model="llama-3.2-11b-vision-instruct")


async def test_bge_m3_embeddings_batched_by_100(client: AsyncClient, workers: FakeWorkersAI) -> None:
    texts = [f"passage number {i}" for i in range(230)]
    response = await client.embed(texts, model="bge-m3")
    requests = model_requests(workers, "@cf/baai/bge-m3")
    assert [len(r.json()["text"]) for r in requests] == [100, 100, 30]
    assert requests[0].json() == {"text": texts[:100]}
    vectors = response.vectors()
    assert len(vectors) == 230 and all(len(v) == 1024 for v in vectors)
    assert [e.index for e in response.data] == list(range(230))
    assert response.usage.prompt_tokens > 0
    assert response.x_ai_workers is not None and response.x_ai_workers.provider_model == "@cf/baai/bge-m3"


async def test_embeddings_of_another_size_than_asked_are_refused(client: AsyncClient) -> None:
    """``dimensions`` is honoured by OpenAI's text-embedding-3 models only; bge-m3 answering 1024-d
    vectors to a request for 256 would break the caller's index, so the caller gets a 400 instead."""
    with pytest.raises(InvalidRequestError) as info:
        await client.embed(["hello"], model="bge-m3", dimensions=256)
    assert info.value.param == "dimensions" and "1024-dimensional" in str(info.value)
    same = await client.embed(["hello"], model="bge-m3", dimensions=1024)
    assert len(same.vectors()[0]) == 1024


async def test_bge_reranker(client: AsyncClient, workers: FakeWorkersAI) -> None:
    docs = ["paris is the capital of france", "bananas are yellow", "the capital of italy is rome"]
    response = await client.rerank(
        "capital of france", docs, model="bge-reranker-base", top_n=2, return_documents=True
    )
    body = model_requests(workers, "@cf/baai/bge-reranker-base")[0].json()
    assert body == {"query": "capital of france", "contexts": [{"text": d} for d in docs], "top_k": 2}
    assert [r.index for r in response.results] == [0, 2]
    assert response.results[0].relevance_score == 1.0
    assert response.results[0].document is not None and response.results[0].document.text == docs[0]


async def test_whisper_large_v3_turbo(client: AsyncClient, workers: FakeWorkersAI, tmp_path) -> None:
    audio = bytes(32000)  # the fake reports 16,000 bytes per second
    path = tmp_path / "note.mp3"
    path.write_bytes(audio)
    response = await client.transcribe(path, model="whisper-large-v3-turbo", language="en")
    body = model_requests(workers, "@cf/openai/whisper-large-v3-turbo")[0].json()
    assert body == {"audio": base64.b64encode(audio).decode(), "task": "transcribe", "language": "en"}
    assert response.text == "hello from the fake whisper"
    assert response.duration == 2.0 and response.language == "en"
    assert response.segments and response.segments[0]["words"][0]["word"] == "hello"


async def test_whisper_reports_audio_minutes_for_pricing(
    workers: FakeWorkersAI, openai_fake: FakeOpenAI
) -> None:
    from ai_workers.core.config import ConfigStore
    from ai_workers.core.context import AppIdentity, RequestContext
    from ai_workers.core.types import Capability, TranscriptionRequest
    from ai_workers.providers.executor import Executor
    from ai_workers.providers.registry import ProviderRegistry
    from ai_workers.routing.targets import resolve_targets
    from tests.fakes import fake_settings

    settings = fake_settings(workers, openai_fake)
    store = ConfigStore(settings)
    registry = ProviderRegistry(store)
    executor = Executor(store, registry)
    ctx = RequestContext(settings, AppIdentity("tests"), Capability.TRANSCRIPTION, "whisper")
    _, ctx.targets = resolve_targets(settings, ctx.app, ctx.capability, "whisper")
    await executor(ctx, TranscriptionRequest(model="whisper", audio=bytes(96000)))
    assert ctx.units == {"audio_minutes": pytest.approx(0.1)}
    await registry.aclose()


async def test_melotts_returns_mp3_with_measured_duration(
    client: AsyncClient, workers: FakeWorkersAI
) -> None:
    text = "Your appointment is confirmed for Tuesday morning."
    response = await client.speak(text, model="melotts")
    body = model_requests(workers, "@cf/myshell-ai/melotts")[0].json()
    assert body == {"prompt": text, "lang": "en"}
    assert response.content_type == "audio/mpeg"
    assert response.audio[:2] == b"\xff\xfb"
    assert response.characters == len(text)
    assert response.duration_seconds == pytest.approx(mp3_duration_seconds(response.audio))
    assert response.duration_seconds == pytest.approx(len(text) / 15.0, abs=0.05)


async def test_melotts_binary_answer(client: AsyncClient, workers: FakeWorkersAI) -> None:
    workers.tts_binary = True
    try:
        response = await client.speak("Binary audio form.", model="melotts", language="fr")
    finally:
        workers.tts_binary = False
    assert model_requests(workers, "@cf/myshell-ai/melotts")[0].json() == {
        "prompt": "Binary audio form.",
        "lang": "fr",
    }
    assert response.audio[:2] == b"\xff\xfb" and response.duration_seconds is not None


async def test_qwq_json_schema_becomes_guided_json(client: AsyncClient, workers: FakeWorkersAI) -> None:
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    response_format = {"type": "json_schema", "json_schema": {"name": "a", "schema": schema}}
    await client.chat("reason about it", model="qwq-32b", response_format=response_format)
    body = model_requests(workers, "@cf/qwen/qwq-32b")[0].json()
    assert body["guided_json"] == schema and "response_format" not in body


async def test_llama_guard_joins_consecutive_turns(client: AsyncClient, workers: FakeWorkersAI) -> None:
    verdict = await client.classify_safety(
        [
            {"role": "user", "content": "first part"},
            {"role": "user", "content": "second part"},
            {"role": "assistant", "content": "an answer"},
        ]
    )
    assert verdict.safe is True
    body = model_requests(workers, "@cf/meta/llama-guard-3-8b")[0].json()
    assert body["messages"] == [
        {"role": "user", "content": "first part\n\nsecond part"},
        {"role": "assistant", "content": "an answer"},
    ]


@pytest.mark.parametrize("form", ["text", "object"])
async def test_llama_guard_verdicts_parsed_into_categories(
    client: AsyncClient, workers: FakeWorkersAI, form: str
) -> None:
    workers.guard_format = form
    safe = await client.classify_safety("What is a normal resting heart rate?")
    assert safe.safe is True and safe.categories == []
    unsafe = await client.classify_safety(
        [
            {"role": "system", "content": "ignored by llama guard"},
            {"role": "user", "content": "how do I murder someone and steal a car"},
        ]
    )
    assert unsafe.safe is False
    assert unsafe.categories == ["S1", "S2"]
    assert unsafe.category_names == ["Violent Crimes", "Non-Violent Crimes"]
    guard_requests = model_requests(workers, "@cf/meta/llama-guard-3-8b")
    assert guard_requests[-1].json() == {
        "messages": [{"role": "user", "content": "how do I murder someone and steal a car"}],
        "max_tokens": 64,
        "temperature": 0,
    }
    assert unsafe.usage is not None and unsafe.usage.prompt_tokens == 9


@pytest.mark.parametrize("code", ["3036", "3040"])
async def test_daily_allocation_and_capacity_errors_are_rate_limits(
    client: AsyncClient, workers: FakeWorkersAI, openai_fake: FakeOpenAI, code: str
) -> None:
    workers.inject(code, times=3)
    response = await client.chat("fall back please", model="llama-3.3-70b")
    assert response.x_ai_workers is not None and response.x_ai_workers.provider == "openai"
    assert response.x_ai_workers.attempts == 4


async def test_unknown_workers_model_is_a_client_error_without_retry(
    workers: FakeWorkersAI, openai_fake: FakeOpenAI, sleeper
) -> None:
    async with workers_only_client(workers, openai_fake, sleeper, "made-up", "@cf/x/none") as c:
        with pytest.raises(UpstreamFailedError) as info:
            await c.chat("hi", model="made-up")
    assert info.value.status == 400
    assert [a.error_kind for a in info.value.attempts] == ["client"]
    # The caller learns why from the upstream's own words, not just "every provider failed".
    assert "rejected the request" in str(info.value) and "No such model @cf/x/none" in str(info.value)
    assert sleeper.delays == []


async def test_streamed_tool_calls_in_separate_events_keep_separate_indexes(client: AsyncClient) -> None:
    # Each stream delta's index names its call: two calls streamed in two events were both index 0,
    # so an SDK merged them into one call with both argument strings run together.
    tools = [
        {"type": "function", "function": {"name": name, "parameters": {"type": "object"}}}
        for name in ("dose_lookup", "interaction_check")
    ]
    calls: dict[int, dict[str, str]] = {}
    finish = None
    async for chunk in client.stream("use every tool for ibuprofen", model="llama-3.3-70b", tools=tools):
        for choice in chunk.choices:
            finish = choice.finish_reason or finish
            for call in choice.delta.tool_calls or []:
                assert call.index is not None and call.function is not None
                entry = calls.setdefault(call.index, {"name": "", "arguments": ""})
                entry["name"] += call.function.name or ""
                entry["arguments"] += call.function.arguments or ""
    assert [calls[i]["name"] for i in sorted(calls)] == ["dose_lookup", "interaction_check"]
    assert all(
        msgspec.json.decode(c["arguments"]) == {"query": "use every tool for ibuprofen"}
        for c in calls.values()
    )
    assert finish == "tool_calls"
