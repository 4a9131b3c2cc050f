"""OpenAI models through the client against the fake OpenAI API, and an OpenAI-compatible server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from ai_workers import AsyncClient, UnsupportedCapabilityError, UpstreamFailedError
from ai_workers.core.types import ContentPart, Message
from ai_workers.gateway import Gateway
from tests.fakes import FakeOpenAI, FakeWorkersAI
from tests.providers.conftest import SleepRecorder, client_settings, model_requests


async def test_gpt_4o_chat_forwards_openai_body(client: AsyncClient, openai_fake: FakeOpenAI) -> None:
    response = await client.chat(
        [{"role": "user", "content": "summarise the plan"}],
        model="gpt-4o",
        temperature=0.1,
        max_tokens=50,
        metadata={"ticket": "1"},
    )
    assert response.text == "Echo: summarise the plan"
    assert response.usage.total_tokens == 3 + 4
    assert response.x_ai_workers is not None and response.x_ai_workers.provider == "openai"
    (request,) = model_requests(openai_fake, "/chat/completions")
    assert request.headers["authorization"] == "Bearer test-openai-key"
    body = request.json()
    assert body == {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "summarise the plan"}],
        "max_tokens": 50,
        "temperature": 0.1,
    }


async def test_gpt_4o_mini_streams_with_usage(client: AsyncClient, openai_fake: FakeOpenAI) -> None:
    stream = client.stream("count to three", model="gpt-4o-mini")
    chunks = [chunk async for chunk in stream]
    assert "".join(c.text for c in chunks) == "Echo: count to three"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)  # the caller did not ask for a usage chunk
    assert stream.usage is not None and stream.usage.completion_tokens == 4
    body = model_requests(openai_fake, "/chat/completions")[0].json()
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


async def test_stream_usage_chunk_passed_through_when_asked(client: AsyncClient) -> None:
    chunks = [
        c
        async for c in client.stream("hi there", model="gpt-4o-mini", stream_options={"include_usage": True})
    ]
    assert chunks[-1].choices == [] and chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens == 2


async def test_a_server_that_ignores_stream_true_still_gives_a_stream(
    client: AsyncClient, openai_fake: FakeOpenAI
) -> None:
    """Some OpenAI-compatible servers answer ``stream: true`` with a whole completion: the caller still
    gets the answer as a stream, with the server's token counts, on the first try."""
    openai_fake.streams = False
    stream = client.stream("count to three", model="gpt-4o-mini")
    chunks = [chunk async for chunk in stream]
    assert "".join(c.text for c in chunks) == "Echo: count to three"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)  # the caller did not ask for a usage chunk
    assert stream.usage is not None and stream.usage.completion_tokens == 4
    assert len(model_requests(openai_fake, "/chat/completions")) == 1


async def test_gpt_4o_vision_and_tools(client: AsyncClient, openai_fake: FakeOpenAI) -> None:
    from ai_workers import image_part

    message = Message(
        role="user", content=[ContentPart(type="text", text="what is this"), image_part(b"img")]
    )
    response = await client.chat([message], model="gpt-4o")
    assert response.text.endswith("[1 image part(s)]")
    tools = [{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}]
    response = await client.chat("find flights", model="gpt-4o", tools=tools, tool_choice="auto")
    call = response.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert call.function.name == "search" and json.loads(call.function.arguments) == {"query": "find flights"}
    assert model_requests(openai_fake, "/chat/completions")[-1].json()["tool_choice"] == "auto"


async def test_text_embedding_3_small(client: AsyncClient, openai_fake: FakeOpenAI) -> None:
    response = await client.embed(["alpha beta", "gamma"], model="text-embedding-3-small", dimensions=256)
    assert [len(v) for v in response.vectors()] == [256, 256]
    assert response.usage.prompt_tokens == 3
    assert model_requests(openai_fake, "/embeddings")[0].json() == {
        "model": "text-embedding-3-small",
        "input": ["alpha beta", "gamma"],
        "dimensions": 256,
    }


async def test_whisper_1_multipart_upload(client: AsyncClient, openai_fake: FakeOpenAI) -> None:
    audio = bytes(range(256)) * 125  # 32,000 bytes: 2 s at the fake's rate
    response = await client.transcribe(audio, model="whisper-1", filename="visit.wav", language="en")
    assert response.text == "hello from the fake openai whisper"
    assert response.duration == 2.0
    (request,) = model_requests(openai_fake, "/audio/transcriptions")
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    form = request.form()
    assert form["file"] == ("visit.wav", audio)
    assert (
        form["model"] == "whisper-1"
        and form["response_format"] == "verbose_json"
        and form["language"] == "en"
    )


async def test_translate_posts_to_audio_translations_without_language(
    client: AsyncClient, openai_fake: FakeOpenAI
) -> None:
    audio = bytes(16000)
    response = await client.transcribe(audio, model="whisper-1", language="de", translate=True)
    assert response.text == "hello from the fake openai whisper in English"
    (request,) = model_requests(openai_fake, "/audio/translations")
    assert "language" not in request.form()  # OpenAI refuses it on translations
    assert not model_requests(openai_fake, "/audio/transcriptions")


async def test_tts_1_binary_audio(client: AsyncClient, openai_fake: FakeOpenAI) -> None:
    response = await client.speak("Take one tablet daily.", model="tts-1", voice="nova")
    assert response.content_type == "audio/mpeg" and response.audio[:2] == b"\xff\xfb"
    assert response.characters == len("Take one tablet daily.")
    assert model_requests(openai_fake, "/audio/speech")[0].json() == {
        "model": "tts-1",
        "input": "Take one tablet daily.",
        "voice": "nova",
        "response_format": "mp3",
    }


async def test_moderation(client: AsyncClient, openai_fake: FakeOpenAI) -> None:
    response = await client.moderate(["hello", "I will kill it"])
    assert [r.flagged for r in response.results] == [False, True]
    assert response.results[1].categories["violence"] is True
    assert model_requests(openai_fake, "/moderations")[0].json() == {
        "model": "omni-moderation-latest",
        "input": ["hello", "I will kill it"],
    }


async def test_openai_error_json_and_no_retry_on_400(
    client: AsyncClient, openai_fake: FakeOpenAI, sleeper
) -> None:
    openai_fake.inject("400")
    with pytest.raises(UpstreamFailedError) as info:
        await client.chat("hello", model="gpt-4o")
    assert info.value.status == 400
    assert len(info.value.attempts) == 1 and sleeper.delays == []


async def test_openai_has_no_rerank(client: AsyncClient) -> None:
    from ai_workers.core.config import ConfigStore
    from ai_workers.core.types import RerankRequest
    from ai_workers.providers.base import CallOptions
    from ai_workers.providers.registry import ProviderRegistry

    registry = ProviderRegistry(ConfigStore(client.gateway.settings))
    with pytest.raises(UnsupportedCapabilityError):
        await registry.get("openai").rerank(
            "x", RerankRequest(model="x", query="q", documents=["d"]), CallOptions()
        )
    await registry.aclose()


# -- OpenAI-compatible servers (vLLM, Ollama, llama.cpp) ------------------------------------------------


@pytest.fixture(scope="module")
def compatible_server() -> AsyncIterator[FakeOpenAI]:
    with FakeOpenAI(api_key=None, compatible=True) as server:
        yield server


@pytest.fixture
async def compatible_client(
    compatible_server: FakeOpenAI, workers: FakeWorkersAI, openai_fake: FakeOpenAI
) -> AsyncIterator[AsyncClient]:
    compatible_server.clear()
    settings = client_settings(
        workers,
        openai_fake,
        providers={
            "cloudflare": {"trusted_with_phi": True},
            "openai": {"trusted_with_phi": True},
            "vllm": {
                "type": "openai-compatible",
                "base_url": compatible_server.url,
                "trusted_with_phi": True,
            },
        },
        models=[
            {
                "name": "local-llama",
                "capability": "chat",
                "deployments": [{"provider": "vllm", "id": "meta-llama/Llama-3.1-8B-Instruct"}],
            },
            {
                "name": "local-reranker",
                "capability": "rerank",
                "deployments": [{"provider": "vllm", "id": "BAAI/bge-reranker-v2-m3"}],
            },
            {
                "name": "local-guard",
                "capability": "safety",
                "deployments": [{"provider": "vllm", "id": "llama-guard3"}],
            },
            {
                "name": "local-embed",
                "capability": "embeddings",
                "deployments": [{"provider": "vllm", "id": "nomic-embed-text"}],
            },
        ],
    )
    async with AsyncClient(
        gateway=Gateway(settings, executor_options={"sleep": SleepRecorder()}), app="tests"
    ) as c:
        yield c


async def test_openai_compatible_chat_without_key(
    compatible_client: AsyncClient, compatible_server: FakeOpenAI
) -> None:
    response = await compatible_client.chat("hello local", model="local-llama")
    assert response.text == "Echo: hello local"
    assert response.x_ai_workers is not None and response.x_ai_workers.provider == "vllm"
    (request,) = model_requests(compatible_server, "/chat/completions")
    assert "authorization" not in request.headers
    assert request.json()["model"] == "meta-llama/Llama-3.1-8B-Instruct"
    chunks = [c.text async for c in compatible_client.stream("stream local", model="local-llama")]
    assert "".join(chunks) == "Echo: stream local"


async def test_openai_compatible_rerank_embed_and_guard(
    compatible_client: AsyncClient, compatible_server: FakeOpenAI
) -> None:
    ranked = await compatible_client.rerank(
        "red apple", ["green pear", "red apple pie"], model="local-reranker"
    )
    assert [r.index for r in ranked.results] == [1, 0]
    assert model_requests(compatible_server, "/rerank")[0].json() == {
        "model": "BAAI/bge-reranker-v2-m3",
        "query": "red apple",
        "documents": ["green pear", "red apple pie"],
    }
    vectors = (await compatible_client.embed("some text", model="local-embed")).vectors()
    assert len(vectors) == 1
    compatible_server.reply_text = "unsafe\nS10"
    verdict = await compatible_client.classify_safety("some hateful text", model="local-guard")
    assert verdict.safe is False and verdict.categories == ["S10"] and verdict.category_names == ["Hate"]
    compatible_server.reply_text = None
