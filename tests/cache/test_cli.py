"""``ai-workers cache`` end to end: directly on Redis, and through a live server's admin API."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ai_workers.cli.main import app
from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

runner = CliRunner()

WARM = [
    {"model": "gpt-4o-mini", "temperature": 0, "messages": [{"role": "user", "content": "Opening hours?"}]},
    {"model": "gpt-4o-mini", "temperature": 0, "messages": [{"role": "user", "content": "Parking?"}]},
]


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[Any, Any]]:
    with start_fakes() as pair:
        yield pair


def write_config(tmp_path: Path, settings: Any) -> Path:
    import msgspec

    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(msgspec.to_builtins(settings)))
    return path


@pytest.mark.redis
def test_cli_on_redis_directly(fakes: Any, redis_url: str, tmp_path: Path) -> None:
    workers, openai = fakes
    settings = fake_settings(
        workers,
        openai,
        providers={"openai": {"trusted_with_phi": True}},
        apps={"front": {"phi_policy": "allow"}},
        cache={"backend": "redis", "redis_url": redis_url, "redis_prefix": f"cli{uuid.uuid4().hex[:6]}:"},
    )
    config = write_config(tmp_path, settings)
    warm_file = tmp_path / "warm.jsonl"
    warm_file.write_text("\n".join(json.dumps(r) for r in WARM) + "\n")

    result = runner.invoke(app, ["--config", str(config), "cache", "warm", str(warm_file), "--app", "front"])
    assert result.exit_code == 0, result.output
    assert "2 stored" in result.output
    result = runner.invoke(app, ["--config", str(config), "cache", "warm", str(warm_file), "--app", "front"])
    assert "2 already cached" in result.output

    result = runner.invoke(app, ["--config", str(config), "cache", "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["exact"]["entries"] == 2

    result = runner.invoke(app, ["--config", str(config), "cache", "clear"])
    assert result.exit_code == 1 and "--all" in result.output
    result = runner.invoke(
        app, ["--config", str(config), "cache", "clear", "--app", "front", "--model", "gpt-4o-mini"]
    )
    assert result.exit_code == 0 and "removed 2 exact" in result.output


def test_cli_without_a_shared_backend_points_to_the_server(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cache", "stats"])
    assert result.exit_code == 1 and "--server" in result.output


def test_cli_through_the_admin_api(fakes: Any, tmp_path: Path) -> None:
    workers, openai = fakes
    settings = fake_settings(
        workers,
        openai,
        data_dir=str(tmp_path),
        providers={"openai": {"trusted_with_phi": True}},
        apps={"front": {"phi_policy": "allow"}},
    )
    with LiveServer(settings) as server:
        key = server.create_key("ops", role="admin")
        opts = ["--server", server.url, "--api-key", key]
        warm_file = tmp_path / "warm.jsonl"
        warm_file.write_text("\n".join(json.dumps(r) for r in WARM))
        result = runner.invoke(app, ["cache", "warm", str(warm_file), "--app", "front", *opts])
        assert result.exit_code == 0 and "2 stored" in result.output, result.output
        result = runner.invoke(app, ["cache", "stats", *opts])
        assert result.exit_code == 0 and "exact" in result.output
        result = runner.invoke(app, ["cache", "clear", "--prefix", "front:", *opts])
        assert result.exit_code == 0 and "removed 2 exact" in result.output, result.output
        result = runner.invoke(app, ["cache", "stats", *opts[:2], "--api-key", "wrong"])
        assert result.exit_code == 1 and "401" in result.output
