"""``ai-workers batch submit|status|results`` against a running gateway: the CLI queues the lines in
the gateway's database as ``--app``; the server's workers run them; the results come back by id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from typer.testing import CliRunner

from ai_workers.cli.main import app
from tests.batch.helpers import chat_line, jsonl
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer


def test_cli_submits_follows_and_writes_results(
    fakes: tuple[Any, Any], tmp_path: Path, batch_settings: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AI_WORKERS_DATA_DIR", str(tmp_path))  # the CLI then opens the server's database
    workers, upstream = fakes
    settings = fake_settings(workers, upstream, data_dir=str(tmp_path), **batch_settings)
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(msgspec.to_builtins(settings)))
    lines = [chat_line(i, model="not-this-one") for i in range(30)]
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(lines))
    runner = CliRunner()
    with LiveServer(settings) as server:
        submitted = runner.invoke(
            app,
            [
                "--config",
                str(config),
                "batch",
                "submit",
                str(source),
                "--model",
                "gpt-4o-mini",
                "--app",
                "clinic",
            ],
        )
        assert submitted.exit_code == 0, submitted.output
        assert "completed (30 done, 0 failed of 30)" in submitted.output
        batch_id = submitted.output.split("Queued ")[1].split(":")[0].strip()
        status = runner.invoke(app, ["--config", str(config), "batch", "status", batch_id, "--json"])
        assert status.exit_code == 0, status.output
        assert json.loads(status.output)["app"] == "clinic"
        out = tmp_path / "out.jsonl"
        written = runner.invoke(app, ["--config", str(config), "batch", "results", batch_id, "-o", str(out)])
        assert written.exit_code == 0, written.output
        # The dashboard's list shows the batch with its app and progress (dev mode: an admin).
        import httpx

        listed = httpx.get(f"{server.url}/api/batches").json()["data"]
        assert listed[0]["id"] == batch_id and listed[0]["app"] == "clinic" and listed[0]["progress"] == 1.0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["custom_id"] for r in rows) == sorted(line["custom_id"] for line in lines)
    assert {r["response"]["body"]["model"] for r in rows} == {"gpt-4o-mini"}
    missing = runner.invoke(app, ["--config", str(config), "batch", "status", "batch_nope"])
    assert missing.exit_code == 1 and "No such batch" in missing.output
