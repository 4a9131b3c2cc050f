"""The remaining OpenAI routes through the SDK: rerank, moderations, speech, transcriptions."""

from __future__ import annotations

from typing import Any

import httpx
import openai

from ai_workers.providers.audio import silent_mp3
from tests.server.live import LiveServer


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def sdk(live: LiveServer, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=live.url + "/v1", api_key=key, max_retries=0)


def test_transcription_multipart_with_formats(live: LiveServer, admin_key: str) -> None:
    client = sdk(live, admin_key)
    audio = silent_mp3(1.0)
    result = client.audio.transcriptions.create(model="whisper-1", file=("a.mp3", audio, "audio/mpeg"))
    assert result.text
    text = client.audio.transcriptions.create(
        model="whisper-large-v3-turbo", file=("a.mp3", audio, "audio/mpeg"), response_format="text"
    )
    assert isinstance(text, str) and text.strip() == "hello from the fake whisper"
    vtt = httpx.post(
        live.url + "/v1/audio/transcriptions",
        files={"file": ("a.mp3", audio, "audio/mpeg")},
        data={"model": "whisper-large-v3-turbo", "response_format": "vtt"},
        headers=bearer(admin_key),
    )
    assert vtt.status_code == 200 and vtt.text.startswith("WEBVTT")
    missing = httpx.post(
        live.url + "/v1/audio/transcriptions", data={"model": "whisper-1"}, headers=bearer(admin_key)
    )
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "file"


def test_speech_returns_audio_bytes(live: LiveServer, admin_key: str) -> None:
    response = sdk(live, admin_key).audio.speech.create(model="tts-1", voice="alloy", input="hello")
    data = response.read()
    assert data[:2] == b"\xff\xfb" or data[:3] == b"ID3"
    assert response.response.headers["content-type"].startswith("audio/")


def test_moderations(live: LiveServer, admin_key: str) -> None:
    result = sdk(live, admin_key).moderations.create(input="a friendly sentence")
    assert len(result.results) == 1
    assert result.results[0].flagged is False


def test_rerank_cohere_shape(live: LiveServer, admin_key: str, fakes: Any) -> None:
    body = {
        "model": "bge-reranker-base",
        "query": "red apples",
        "documents": ["green pears", {"text": "red apples are sweet"}],
        "top_n": 1,
        "return_documents": True,
    }
    response = httpx.post(live.url + "/v1/rerank", json=body, headers=bearer(admin_key))
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 1
    assert results[0]["index"] == 1
    assert results[0]["document"]["text"] == "red apples are sweet"
