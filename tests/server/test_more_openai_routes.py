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


def test_translations_give_english_text_from_both_providers(
    live: LiveServer, admin_key: str, fakes: Any
) -> None:
    workers, openai_fake = fakes
    client = sdk(live, admin_key)
    audio = ("a.mp3", silent_mp3(1.0), "audio/mpeg")
    from_openai = client.audio.translations.create(model="whisper-1", file=audio)
    assert from_openai.text == "hello from the fake openai whisper in English"
    assert openai_fake.requests[-1].path.endswith("/audio/translations")
    verbose = client.audio.translations.create(
        model="whisper-large-v3-turbo", file=audio, response_format="verbose_json"
    )
    assert verbose.text == "hello from the fake whisper in English"
    assert (verbose.model_extra or {})["task"] == "translate"
    assert workers.requests[-1].json()["task"] == "translate"
    cannot = httpx.post(
        live.url + "/v1/audio/translations",
        files={"file": audio},
        data={"model": "gpt-4o-mini-transcribe"},
        headers=bearer(admin_key),
    )
    assert cannot.status_code in (400, 404), cannot.text  # not a translating model (or not in the catalog)


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
