"""Text-to-speech under ``redact`` over real HTTP (OpenAI SDK): PHI in the text to speak is never turned
into spoken placeholders. With no trusted provider on the route the request is refused (422, OpenAI
error format, naming the policy); with one, only that provider hears the text, as written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import pytest
from tests.fakes.openai import FakeOpenAI
from tests.fakes.settings import OPENAI_KEY_ENV, fake_settings, openai_key, start_fakes
from tests.server.live import LiveServer

PATIENT = "Thaddeus Quimby"
SPOKEN = f"Hello {PATIENT}, your appointment on 04/22/2027 is confirmed."
TTS_PRICE = {"characters": {"usd": 15.0}}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Any, FakeOpenAI]]:
    with start_fakes() as (workers, untrusted), FakeOpenAI(api_key=openai_key()) as trusted:
        settings = fake_settings(
            workers,
            untrusted,
            data_dir=str(tmp_path_factory.mktemp("speech-phi")),
            providers={
                "onprem-tts": {
                    "type": "openai",
                    "base_url": trusted.url,
                    "api_key_env": OPENAI_KEY_ENV,
                    "trusted_with_phi": True,
                }
            },
            models=[
                {
                    "name": "clinic-voice",
                    "capability": "text-to-speech",
                    "deployments": [
                        {"provider": "openai", "id": "tts-1", "price": TTS_PRICE},
                        {"provider": "onprem-tts", "id": "tts-1", "price": TTS_PRICE},
                    ],
                }
            ],
            apps={"clinic": {"phi_policy": "redact"}},
        )
        with LiveServer(settings) as server:
            yield server, untrusted, trusted


def _sdk(server: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=server.create_key("clinic"), max_retries=0)


def _speech_calls(fake: FakeOpenAI, since: int) -> list[dict[str, Any]]:
    return [r.json() for r in fake.requests[since:] if r.path.endswith("/audio/speech")]


def test_phi_for_an_untrusted_provider_is_refused_not_spoken_as_placeholders(stack: Any) -> None:
    server, untrusted, _ = stack
    before = len(untrusted.requests)
    with pytest.raises(openai.UnprocessableEntityError) as refused:
        _sdk(server).audio.speech.create(model="tts-1", voice="alloy", input=SPOKEN)
    error = refused.value.response.json()["error"]
    assert error["type"] == "policy_violation" and error["code"] == "phi_in_speech"
    assert "phi_policy redact" in error["message"] and "trusted_with_phi" in error["message"]
    assert "NAME" in error["phi_types"]
    assert PATIENT not in error["message"]
    assert _speech_calls(untrusted, before) == []  # nothing was sent, redacted or not


def test_text_without_phi_is_spoken_by_any_provider(stack: Any) -> None:
    server, untrusted, _ = stack
    before = len(untrusted.requests)
    audio = _sdk(server).audio.speech.create(model="tts-1", voice="alloy", input="Your order has shipped.")
    assert audio.content
    assert _speech_calls(untrusted, before)[0]["input"] == "Your order has shipped."


def test_phi_goes_only_to_the_trusted_provider_on_the_route(stack: Any) -> None:
    server, untrusted, trusted = stack
    before_untrusted, before_trusted = len(untrusted.requests), len(trusted.requests)
    audio = _sdk(server).audio.speech.create(model="clinic-voice", voice="alloy", input=SPOKEN)
    assert audio.content
    assert _speech_calls(untrusted, before_untrusted) == []
    (sent,) = _speech_calls(trusted, before_trusted)
    assert sent["input"] == SPOKEN  # as written: no placeholder to be spoken
