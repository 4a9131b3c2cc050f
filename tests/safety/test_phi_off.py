"""``apps.<app>.phi_policy: off`` over real HTTP: images and audio pass for an app that declared it never
handles patient data, the refusal for every other app names the setting to change, the declaration is
audited at start and at reload, and ``GET /api/apps`` and ``ai-workers apps`` show each app's policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import openai
import pytest
import yaml
from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer
from typer.testing import CliRunner

from ai_workers.cli.main import app as cli
from ai_workers.providers.audio import silent_mp3

APPS: dict[str, Any] = {"marketing": {"phi_policy": "off"}, "clinic": {"description": "patient portal"}}
IMAGE = [
    {"type": "text", "text": "Describe this picture."},
    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
]
NOTE = "Patient Thaddeus Quimby, DOB 04/22/1951, asks about the product launch."


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Any, Any]]:
    with start_fakes() as (workers, upstream):
        data_dir = tmp_path_factory.mktemp("phi-off")
        settings = fake_settings(workers, upstream, data_dir=str(data_dir), apps=APPS)
        with LiveServer(settings) as server:
            yield server, workers, upstream


def _sdk(server: LiveServer, app: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=server.create_key(app), max_retries=0)


def test_images_and_audio_pass_for_an_app_that_declared_off(stack: tuple[LiveServer, Any, Any]) -> None:
    server, _, upstream = stack
    client = _sdk(server, "marketing")
    seen = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": IMAGE}])
    assert seen.choices[0].message.content
    heard = client.audio.transcriptions.create(
        model="whisper-large-v3-turbo", file=("a.mp3", silent_mp3(1.0), "audio/mpeg")
    )
    assert heard.text
    # No PHI scan at all: the text goes upstream as written (the app said it holds no patient data).
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": NOTE}])
    assert "Thaddeus Quimby" in upstream.requests[-1].json()["messages"][-1]["content"]


def test_the_refusal_names_the_setting_to_change(stack: tuple[LiveServer, Any, Any]) -> None:
    server, _, _ = stack
    key = server.create_key("clinic")
    refused = httpx.post(
        server.url + "/v1/chat/completions",
        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": IMAGE}]},
        headers={"authorization": f"Bearer {key}"},
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "unscannable_content"
    assert "Set apps.clinic.phi_policy: off if this app never handles patient data" in error["message"]


def test_the_declaration_is_audited_at_start_and_on_reload(stack: tuple[LiveServer, Any, Any]) -> None:
    server, _, _ = stack
    admin = {"authorization": f"Bearer {server.create_key('ops', role='admin')}"}

    def audited() -> list[dict[str, Any]]:
        server.call(server.gateway.usage.flush())
        response = httpx.get(server.url + "/api/audit", params={"action": "phi_policy_off"}, headers=admin)
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()["data"]
        return rows

    at_start = audited()
    assert {row["app"] for row in at_start} == {"marketing"}
    assert at_start[0]["actor"] == "config" and "phi_policy: off" in at_start[0]["reason"]

    current = server.gateway.config.current
    apps = {**msgspec.to_builtins(current.apps), "newsletter": {"phi_policy": "off"}}
    server.gateway.config.replace(
        msgspec.convert({**msgspec.to_builtins(current), "apps": apps}, type(current))
    )
    after = audited()
    assert [row["app"] for row in after].count("newsletter") == 1
    assert [row["app"] for row in after].count("marketing") == 2  # the reload re-states it

    listed = httpx.get(server.url + "/api/apps", headers=admin).json()
    policies = {p["app"]: p for p in listed["policies"]}
    assert policies["marketing"]["phi_policy"] == "off" and policies["marketing"]["source"] == "app"
    assert policies["clinic"]["phi_policy"] == "redact" and policies["clinic"]["source"] == "default"
    own = httpx.get(
        server.url + "/api/apps", headers={"authorization": f"Bearer {server.create_key('clinic')}"}
    )
    assert own.json()["policies"] == [
        {"app": "clinic", "phi_policy": "redact", "source": "default", "description": "patient portal"}
    ]


def test_the_cli_lists_each_apps_policy(tmp_path: Path) -> None:
    config = tmp_path / "ai-workers.yaml"
    config.write_text(yaml.safe_dump({"apps": APPS, "safety": {"phi_policy": "block"}}))
    result = CliRunner().invoke(cli, ["--config", str(config), "apps", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["app"]: row for row in json.loads(result.output)}
    assert rows["marketing"]["phi_policy"] == "off" and rows["clinic"]["phi_policy"] == "block"
    table = CliRunner().invoke(cli, ["--config", str(config), "apps"])
    assert table.exit_code == 0 and "marketing" in table.output and "off" in table.output
