"""The official openai SDK (sync, async, streaming) against the live gateway, unchanged."""

from __future__ import annotations

import base64
import struct
from typing import Any

import httpx
import openai
import pytest

from tests.server.live import LiveServer


def client(live: LiveServer, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=live.url + "/v1", api_key=key, max_retries=0)


def test_chat_with_the_sync_sdk(live: LiveServer, alpha_key: str, fakes: Any) -> None:
    sdk = client(live, alpha_key)
    raw = sdk.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hello there"}]
    )
    completion = raw.parse()
    assert completion.choices[0].message.content == "Echo: hello there"
    assert completion.usage is not None and completion.usage.total_tokens > 0
    assert raw.headers["x-request-id"]
    assert float(raw.headers["x-ai-workers-overhead-ms"]) >= 0
    assert raw.headers["x-ai-workers-provider"] == "openai"
    extra = completion.model_extra or {}
    assert extra["x_ai_workers"]["provider"] == "openai"
    assert extra["x_ai_workers"]["request_id"] == raw.headers["x-request-id"]


async def test_chat_with_the_async_sdk(live: LiveServer, alpha_key: str) -> None:
    sdk = openai.AsyncOpenAI(base_url=live.url + "/v1", api_key=alpha_key, max_retries=0)
    completion = await sdk.chat.completions.create(
        model="llama-3.3-70b-instruct-fp8-fast", messages=[{"role": "user", "content": "from async"}]
    )
    assert completion.choices[0].message.content == "Echo: from async"
    await sdk.close()


def test_streaming_chat_passes_chunks_and_ends_with_done(live: LiveServer, alpha_key: str) -> None:
    sdk = client(live, alpha_key)
    stream = sdk.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "stream these words please"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: stream these words please"
    assert len([c for c in chunks if c.choices and c.choices[0].delta.content]) > 1


def test_workers_ai_stream_sends_its_usage_chunk_last(live: LiveServer, alpha_key: str) -> None:
    """OpenAI ends a stream with the finish chunk, then one usage chunk with no choices. Workers AI sends
    its usage before ``[DONE]`` with the last text; passed on as it came, the SDK saw the usage first and
    a client stopping at the usage chunk lost the finish reason."""
    sdk = client(live, alpha_key)
    stream = sdk.chat.completions.create(
        model="llama-3.3-70b-instruct-fp8-fast",
        messages=[{"role": "user", "content": "usage goes last"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None and last.usage.completion_tokens > 0
    assert [c for c in chunks if c.usage is not None] == [chunks[-1]]
    assert chunks[-2].choices[0].finish_reason == "stop"


def test_logprobs_reach_the_sdk_streamed_plain_and_from_the_cache(live: LiveServer, alpha_key: str) -> None:
    """``logprobs``/``top_logprobs`` used to be dropped as unknown fields: the SDK got ``logprobs=None``
    from a model that gives them. They now go to OpenAI-compatible providers and come back, also from
    a cached answer; Workers AI has none, so such a request goes to a target that can answer it."""
    sdk = client(live, alpha_key)
    ask = {"messages": [{"role": "user", "content": "rate these words"}], "logprobs": True, "top_logprobs": 2}
    plain = sdk.chat.completions.create(model="gpt-4o-mini", **ask)  # type: ignore[call-overload]
    logprobs = plain.choices[0].logprobs
    assert logprobs is not None and logprobs.content is not None
    assert "".join(entry.token for entry in logprobs.content) == plain.choices[0].message.content
    assert all(len(entry.top_logprobs) == 2 for entry in logprobs.content)

    streamed = list(sdk.chat.completions.create(model="gpt-4o-mini", stream=True, **ask))  # type: ignore[call-overload]
    tokens = [
        e.token
        for c in streamed
        if c.choices and c.choices[0].logprobs
        for e in c.choices[0].logprobs.content or []
    ]
    assert "".join(tokens) == plain.choices[0].message.content

    again = sdk.chat.completions.with_raw_response.create(model="gpt-4o-mini", **ask)  # type: ignore[call-overload]
    assert again.headers["x-ai-workers-cache"] == "hit"
    assert again.parse().choices[0].logprobs == logprobs
    without = sdk.chat.completions.create(model="gpt-4o-mini", messages=ask["messages"])
    assert without.choices[0].logprobs is None  # a different request: not the cached one

    elsewhere = sdk.chat.completions.create(model="llama-3.3-70b-instruct-fp8-fast", **ask)  # type: ignore[call-overload]
    assert (elsewhere.model_extra or {})["x_ai_workers"]["provider"] == "openai"
    assert elsewhere.choices[0].logprobs is not None


async def test_streaming_with_the_async_sdk(live: LiveServer, alpha_key: str) -> None:
    sdk = openai.AsyncOpenAI(base_url=live.url + "/v1", api_key=alpha_key, max_retries=0)
    stream = await sdk.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "async stream"}], stream=True
    )
    text = ""
    async for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
    assert text == "Echo: async stream"
    await sdk.close()


def test_stop_sequences_hold_on_workers_ai_streams_with_usage(live: LiveServer, alpha_key: str) -> None:
    """Workers AI has no ``stop``: the gateway cuts the stream itself, and the usage chunk the SDK asked
    for still comes (estimated, as the upstream stream was closed before its own usage event)."""
    sdk = client(live, alpha_key)
    stream = sdk.chat.completions.create(
        model="llama-3.3-70b-instruct-fp8-fast",
        messages=[{"role": "user", "content": "one two three four five"}],
        stop=["thr"],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: one two "
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_upstream_rejection_reaches_the_caller_in_its_own_words(
    live: LiveServer, alpha_key: str, fakes: Any
) -> None:
    workers, _ = fakes
    workers.inject("400", times=1)
    try:
        response = httpx.post(
            live.url + "/v1/chat/completions",
            json={"model": "llama-3.3-70b-instruct-fp8-fast", "messages": [{"role": "user", "content": "x"}]},
            headers={"authorization": f"Bearer {alpha_key}"},
        )
    finally:
        workers.clear()
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "upstream_rejected"
    assert "rejected the request" in error["message"] and "fake upstream fault 400" in error["message"]


def test_raw_sse_format(live: LiveServer, alpha_key: str) -> None:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "two words"}], "stream": True}
    with httpx.stream(
        "POST", live.url + "/v1/chat/completions", json=body, headers={"authorization": f"Bearer {alpha_key}"}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in events)
    assert events[-1] == "data: [DONE]"


def test_stream_cut_after_first_chunk_sends_an_error_event_and_no_done(
    live: LiveServer, alpha_key: str, fakes: Any
) -> None:
    _, upstream = fakes
    upstream.inject("cut_stream", times=1)
    body = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "a longer answer here"}],
        "stream": True,
    }
    try:
        with httpx.stream(
            "POST",
            live.url + "/v1/chat/completions",
            json=body,
            headers={"authorization": f"Bearer {alpha_key}"},
        ) as response:
            events = [line for line in response.iter_lines() if line]
    finally:
        upstream.clear()
    assert "data: [DONE]" not in events
    assert events[-1].startswith('data: {"error"')


def test_embeddings_default_base64_and_float(live: LiveServer, alpha_key: str) -> None:
    sdk = client(live, alpha_key)
    result = sdk.embeddings.create(model="bge-m3", input=["one text", "another"])  # SDK asks for base64
    assert len(result.data) == 2
    assert len(result.data[0].embedding) > 10
    assert all(isinstance(x, float) for x in result.data[0].embedding)
    raw = httpx.post(
        live.url + "/v1/embeddings",
        json={"model": "bge-m3", "input": "x", "encoding_format": "base64"},
        headers={"authorization": f"Bearer {alpha_key}"},
    ).json()
    packed = base64.b64decode(raw["data"][0]["embedding"])
    floats = httpx.post(
        live.url + "/v1/embeddings",
        json={"model": "bge-m3", "input": "x"},
        headers={"authorization": f"Bearer {alpha_key}"},
    ).json()["data"][0]["embedding"]
    assert list(struct.unpack(f"<{len(packed) // 4}f", packed)) == pytest.approx(floats, rel=1e-6)


def test_models_are_listed_for_the_key(live: LiveServer, alpha_key: str) -> None:
    sdk = client(live, alpha_key)
    ids = {m.id for m in sdk.models.list()}
    assert ids == {"gpt-4o-mini", "llama-3.3-70b-instruct-fp8-fast", "bge-m3"}
    assert sdk.models.retrieve("gpt-4o-mini").id == "gpt-4o-mini"
    with pytest.raises(openai.NotFoundError):
        sdk.models.retrieve("gpt-4o")  # exists, but not for this app


def test_errors_reach_the_sdk_as_its_exceptions(live: LiveServer, alpha_key: str, beta_key: str) -> None:
    sdk = client(live, alpha_key)
    with pytest.raises(openai.NotFoundError) as unknown:
        sdk.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "x"}])
    assert unknown.value.body["param"] == "model"  # type: ignore[index]
    with pytest.raises(openai.BadRequestError) as wrong_type:
        sdk.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": 5}])  # type: ignore[list-item]
    assert wrong_type.value.body["param"] == "messages[0].content"  # type: ignore[index]
    assert "messages[0].content" in wrong_type.value.message
    with pytest.raises(openai.PermissionDeniedError):
        sdk.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
    with pytest.raises(openai.AuthenticationError):
        client(live, "aiw_000000000000_" + "x" * 43).chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}]
        )
    # beta may use gpt-4o (its own) but not alpha's model
    assert (
        client(live, beta_key)
        .chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
        .choices
    )
    with pytest.raises(openai.PermissionDeniedError):
        client(live, beta_key).chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}]
        )


def test_sdk_calls_to_unserved_openai_apis_say_so(live: LiveServer, alpha_key: str) -> None:
    """client.completions.create and friends get a plain "not supported, use ..." instead of a 404 that
    looks like a wrong base URL."""
    sdk = client(live, alpha_key)
    with pytest.raises(openai.NotFoundError) as completions:
        sdk.completions.create(model="gpt-4o-mini", prompt="hi")
    assert completions.value.body["code"] == "unsupported_endpoint"  # type: ignore[index]
    assert "/v1/chat/completions" in completions.value.message
    with pytest.raises(openai.NotFoundError) as images:
        sdk.images.generate(model="dall-e-3", prompt="a cat")
    assert "not supported" in images.value.message
    typo = httpx.post(live.url + "/v1/chat/completion", headers={"authorization": f"Bearer {alpha_key}"})
    assert typo.status_code == 404 and typo.json()["error"]["message"].startswith("No such route")


def test_upstream_failure_is_reported_with_attempts(live: LiveServer, alpha_key: str, fakes: Any) -> None:
    workers, upstream = fakes
    upstream.inject("500", times=50)
    workers.inject("500", times=50)
    try:
        response = httpx.post(
            live.url + "/v1/chat/completions",
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]},
            headers={"authorization": f"Bearer {alpha_key}"},
        )
    finally:
        upstream.clear()
        workers.clear()
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["type"] == "upstream_error"
    assert error["attempts"]
    assert response.headers["x-request-id"]
