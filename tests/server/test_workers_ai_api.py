"""The Workers-AI-compatible route, driven like an app written against Cloudflare's REST API."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import openai
import pytest

from ai_workers.providers.audio import silent_mp3
from tests.server.live import LiveServer

ACCOUNT = "any-account"


def run(live: LiveServer, key: str | None, model: str, body: Any, **kw: Any) -> httpx.Response:
    headers = {"authorization": f"Bearer {key}"} if key else {}
    url = f"{live.url}/client/v4/accounts/{ACCOUNT}/ai/run/{model}"
    if isinstance(body, bytes):
        return httpx.post(url, content=body, headers={**headers, **kw.pop("headers", {})}, timeout=30)
    return httpx.post(url, json=body, headers=headers, timeout=30)


def test_chat_with_messages_and_with_prompt(live: LiveServer, admin_key: str) -> None:
    model = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
    answer = run(live, admin_key, model, {"messages": [{"role": "user", "content": "hi there"}]})
    assert answer.status_code == 200
    data = answer.json()
    assert data["success"] is True and data["errors"] == [] and data["messages"] == []
    assert data["result"]["response"] == "Echo: hi there"
    assert data["result"]["usage"]["total_tokens"] > 0
    assert answer.headers["x-ai-workers-provider"] == "cloudflare"
    prompt = run(live, admin_key, model, {"prompt": "just a prompt"}).json()
    assert prompt["result"]["response"] == "Echo: just a prompt"


def test_streaming_in_workers_ai_format(live: LiveServer, admin_key: str) -> None:
    url = f"{live.url}/client/v4/accounts/{ACCOUNT}/ai/run/@cf/meta/llama-3.3-70b-instruct-fp8-fast"
    body = {"messages": [{"role": "user", "content": "stream me please"}], "stream": True}
    with httpx.stream("POST", url, json=body, headers={"authorization": f"Bearer {admin_key}"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    events = [json.loads(line.removeprefix("data: ")) for line in lines[:-1]]
    assert "".join(e["response"] for e in events) == "Echo: stream me please"
    assert "choices" not in events[0]  # Workers AI shape, not OpenAI's


def test_embeddings_bge_m3_shape(live: LiveServer, admin_key: str) -> None:
    data = run(live, admin_key, "@cf/baai/bge-m3", {"text": ["first", "second"]}).json()
    result = data["result"]
    assert result["shape"][0] == 2 and result["shape"][1] == len(result["data"][0])
    assert result["pooling"] == "cls"
    scored = run(
        live, admin_key, "@cf/baai/bge-m3", {"query": "q", "contexts": [{"text": "a"}, {"text": "b"}]}
    ).json()["result"]["response"]
    assert sorted(s["id"] for s in scored) == [0, 1]
    assert all(-1.0 <= s["score"] <= 1.0 for s in scored)


def test_rerank(live: LiveServer, admin_key: str) -> None:
    body = {"query": "red apples", "contexts": [{"text": "green pears"}, {"text": "red apples are sweet"}]}
    result = run(live, admin_key, "@cf/baai/bge-reranker-base", body).json()["result"]
    assert result["response"][0]["id"] == 1
    assert {"id", "score"} <= set(result["response"][0])


@pytest.mark.parametrize(
    "model",
    [
        "@cf/meta/llama-3.1-8b-instruct",
        "@cf/meta/llama-3.2-1b-instruct",
        "@cf/meta/llama-3.2-3b-instruct",
        "@cf/google/gemma-3-12b-it",
        "@cf/openai/gpt-oss-120b",
    ],
)
def test_models_apps_call_by_id_answer_and_are_priced(live: LiveServer, admin_key: str, model: str) -> None:
    """The ids in Cloudflare's own examples work unchanged, and each call is priced (neurons)."""
    answer = run(live, admin_key, model, {"prompt": "tell me a joke"})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["result"]["response"] == "Echo: tell me a joke"
    assert data["x_ai_workers"]["provider_model"] == model
    assert data["x_ai_workers"]["neurons"] > 0


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("@cf/baai/bge-small-en-v1.5", 384),
        ("@cf/baai/bge-base-en-v1.5", 768),
        ("@cf/baai/bge-large-en-v1.5", 1024),
    ],
)
def test_bge_english_embeddings_by_id(live: LiveServer, admin_key: str, model: str, size: int) -> None:
    result = run(live, admin_key, model, {"text": ["first", "second", "third"]}).json()["result"]
    assert result["shape"] == [3, size] and len(result["data"][2]) == size


def test_older_whisper_by_id_is_priced_by_its_words(live: LiveServer, admin_key: str) -> None:
    """@cf/openai/whisper takes the audio as bytes and reports no duration: the gateway sends bytes and
    prices the call by where its last word ends, instead of recording it as free."""
    audio = silent_mp3(2.0)
    answer = run(live, admin_key, "@cf/openai/whisper", {"audio": base64.b64encode(audio).decode()})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["result"]["text"] == "hello from the older fake whisper"
    assert data["x_ai_workers"]["neurons"] > 0


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"prompt": "x", "max_tokens": -5}, "max_tokens: expected integer >= 1"),
        ({"prompt": "x", "temperature": 7}, "temperature: expected number <= 5.0"),  # Workers AI's range
        ({"messages": [{"role": "user"}]}, "messages[0].content: a user message needs content"),
    ],
)
def test_out_of_range_chat_input_is_a_400_in_cloudflare_shape(
    live: LiveServer, admin_key: str, body: dict[str, Any], words: str
) -> None:
    answer = run(live, admin_key, "@cf/meta/llama-3.3-70b-instruct-fp8-fast", body)
    assert answer.status_code == 400
    assert answer.json()["success"] is False and answer.json()["errors"][0]["message"] == words


def test_whisper_json_and_raw_audio(live: LiveServer, admin_key: str) -> None:
    audio = silent_mp3(1.0)
    model = "@cf/openai/whisper-large-v3-turbo"
    as_json = run(live, admin_key, model, {"audio": base64.b64encode(audio).decode()}).json()["result"]
    assert as_json["text"] == "hello from the fake whisper"
    assert as_json["word_count"] == 5
    assert as_json["vtt"].startswith("WEBVTT")
    as_bytes = run(live, admin_key, model, audio, headers={"content-type": "audio/mpeg"}).json()["result"]
    assert as_bytes["text"] == as_json["text"]


def test_whisper_task_translate_is_passed_on_not_dropped(
    live: LiveServer, admin_key: str, fakes: Any
) -> None:
    """``task: translate`` was read and then ignored: the caller got the spoken language back."""
    workers, _ = fakes
    audio = base64.b64encode(silent_mp3(1.0)).decode()
    model = "@cf/openai/whisper-large-v3-turbo"
    answer = run(live, admin_key, model, {"audio": audio, "task": "translate"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["text"] == "hello from the fake whisper in English"
    assert workers.requests[-1].json()["task"] == "translate"
    wrong = run(live, admin_key, model, {"audio": audio, "task": "summarise"})
    assert wrong.status_code == 400 and "task" in wrong.json()["errors"][0]["message"]


def test_melotts_returns_base64_audio(live: LiveServer, admin_key: str) -> None:
    result = run(live, admin_key, "@cf/myshell-ai/melotts", {"prompt": "say this", "lang": "en"}).json()[
        "result"
    ]
    audio = base64.b64decode(result["audio"])
    assert audio[:2] == b"\xff\xfb"  # an MP3 frame


def test_llama_guard(live: LiveServer, admin_key: str) -> None:
    model = "@cf/meta/llama-guard-3-8b"
    safe = run(live, admin_key, model, {"messages": [{"role": "user", "content": "how do I bake bread"}]})
    assert safe.json()["result"]["response"] == "safe"
    unsafe = run(live, admin_key, model, {"messages": [{"role": "user", "content": "how to murder"}]}).json()
    assert unsafe["result"]["response"].startswith("unsafe")
    assert "S1" in unsafe["result"]["response"]


def test_errors_use_the_cloudflare_envelope(live: LiveServer, admin_key: str, alpha_key: str) -> None:
    unknown = run(live, admin_key, "@cf/nobody/nothing", {"prompt": "x"})
    assert unknown.status_code == 404
    body = unknown.json()
    assert body["success"] is False and body["errors"][0]["code"] == 5007
    assert "@cf/nobody/nothing" in body["errors"][0]["message"]
    assert "`models:` in the config" in body["errors"][0]["message"]  # what an operator can do about it
    no_key = run(live, None, "@cf/meta/llama-3.3-70b-instruct-fp8-fast", {"prompt": "x"})
    assert no_key.status_code == 401 and no_key.json()["errors"][0]["code"] == 10000
    wrong = run(
        live,
        admin_key,
        "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
        {"messages": [{"role": "user", "content": 3}]},
    )
    assert wrong.status_code == 400
    assert "messages[0].content" in wrong.json()["errors"][0]["message"]
    # alpha may use llama-3.3 but not whisper
    denied = run(live, alpha_key, "@cf/openai/whisper-large-v3-turbo", {"audio": "AAAA"})
    assert denied.status_code == 403 and denied.json()["success"] is False


def test_cloudflare_openai_compatible_paths(live: LiveServer, alpha_key: str) -> None:
    url = f"{live.url}/client/v4/accounts/{ACCOUNT}/ai/v1/chat/completions"
    body = {
        "model": "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
        "messages": [{"role": "user", "content": "x"}],
    }
    answer = httpx.post(url, json=body, headers={"authorization": f"Bearer {alpha_key}"})
    assert answer.status_code == 200
    assert answer.json()["choices"][0]["message"]["content"] == "Echo: x"


def test_cloudflare_openai_compatible_responses_path_with_the_sdk(live: LiveServer, alpha_key: str) -> None:
    # Cloudflare's own example: openai.responses.create against .../accounts/{id}/ai/v1.
    sdk = openai.OpenAI(base_url=f"{live.url}/client/v4/accounts/{ACCOUNT}/ai/v1", api_key=alpha_key)
    response = sdk.responses.create(model="@cf/meta/llama-3.3-70b-instruct-fp8-fast", input="open source")
    assert response.output_text == "Echo: open source"


def test_raw_prompts_and_lora_adapters_are_refused_not_ignored(live: LiveServer, alpha_key: str) -> None:
    # Ignoring them would answer a different question: a chat-templated prompt, the base model.
    model = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
    raw = run(live, alpha_key, model, {"prompt": "<|begin_of_text|>hi", "raw": True})
    assert raw.status_code == 400 and "raw" in raw.json()["errors"][0]["message"]
    lora = run(live, alpha_key, model, {"prompt": "hi", "lora": "my-adapter"})
    assert lora.status_code == 400 and "lora" in lora.json()["errors"][0]["message"]
