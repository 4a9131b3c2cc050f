"""The base CLI: ``models``, ``chat`` (streaming) and ``embed``, with the global ``--config`` option."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ai_workers.cli.main import app
from tests.fakes import FakeOpenAI, FakeWorkersAI, start_fakes
from tests.fakes.settings import CF_ACCOUNT_ENV, CF_TOKEN_ENV, FAKE_ENV, OPENAI_KEY_ENV

runner = CliRunner()


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeWorkersAI, FakeOpenAI]]:
    with start_fakes() as pair:
        yield pair


@pytest.fixture
def config_file(
    fakes: tuple[FakeWorkersAI, FakeOpenAI], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    for name, value in FAKE_ENV.items():
        monkeypatch.setenv(name, value)
    workers, openai = fakes
    config = {
        "providers": {
            "cloudflare": {
                "base_url": workers.url,
                "api_token_env": CF_TOKEN_ENV,
                "account_id_env": CF_ACCOUNT_ENV,
                "trusted_with_phi": True,
            },
            "openai": {"base_url": openai.url, "api_key_env": OPENAI_KEY_ENV, "trusted_with_phi": True},
        },
        "apps": {"default": {"phi_policy": "allow"}},
        "aliases": {"house-chat": "llama-3.3-70b-instruct-fp8-fast"},
    }
    path = tmp_path / "ai-workers.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_models_lists_the_catalog_with_prices(config_file: Path) -> None:
    result = runner.invoke(app, ["--config", str(config_file), "models"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for expected in (
        "llama-guard-3-8b",
        "@cf/myshell-ai/melotts",
        "gpt-4o-mini",
        "24,545 n",
        "$2.5",
        "house-chat -> llama-3.3-70b-instruct-fp8-fast",
    ):
        assert expected in result.output
    json_result = runner.invoke(
        app, ["--config", str(config_file), "models", "--json", "--capability", "rerank"]
    )
    assert '"bge-reranker-base"' in json_result.output and "bge-m3" not in json_result.output


def test_chat_streams_the_answer(config_file: Path, fakes: tuple[FakeWorkersAI, FakeOpenAI]) -> None:
    result = runner.invoke(
        app, ["--config", str(config_file), "chat", "how are you today", "--model", "house-chat"]
    )
    assert result.exit_code == 0, result.output
    assert "Echo: how are you today" in result.output
    request = [r for r in fakes[0].requests if r.path.endswith("llama-3.3-70b-instruct-fp8-fast")][-1]
    assert request.json()["stream"] is True


def test_embed_prints_vectors(config_file: Path) -> None:
    result = runner.invoke(
        app, ["--config", str(config_file), "embed", "first text", "second text", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"model": "@cf/baai/bge-m3"' in result.output


def test_chat_without_credentials_says_which_env_vars(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("{}\n")
    result = runner.invoke(app, ["--config", str(empty), "chat", "hi"])
    assert result.exit_code == 1
    assert "CLOUDFLARE_API_TOKEN" in result.output and "CLOUDFLARE_ACCOUNT_ID" in result.output


@pytest.mark.parametrize(
    ("app_config", "said"),
    [
        ({"phi_policy": "redcat"}, "Invalid enum value 'redcat' - at `$.apps.triage.phi_policy`"),
        ({"phi_polcy": "redact"}, "unknown field `phi_polcy` - at `$.apps.triage`"),
    ],
)
def test_a_config_mistake_is_refused_naming_the_app(tmp_path: Path, app_config: dict, said: str) -> None:
    """A misspelt PHI policy must stop the gateway at load, naming the app, not surface as a refused
    request later (or, worse, as a policy silently not applied)."""
    path = tmp_path / "ai-workers.yaml"
    path.write_text(yaml.safe_dump({"apps": {"ok": {"phi_policy": "redact"}, "triage": app_config}}))
    result = runner.invoke(app, ["--config", str(path), "models"])
    assert result.exit_code != 0
    assert said in " ".join(result.output.split())
