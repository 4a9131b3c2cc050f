"""``ai-workers ingest`` and ``ai-workers ask`` as a user runs them (typer's CliRunner), on both stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from ai_workers.cli.main import app
from tests.rag.corpus import BROKEN_FILES, GOOD_FILES, UNANSWERABLE

runner = CliRunner()


def _config(tmp_path: Path, rag: dict[str, Any]) -> Path:
    path = tmp_path / "ai-workers.yaml"
    path.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "rag": rag}))
    return path


def test_ingest_then_ask_json(
    rag_section: dict[str, Any], tmp_path: Path, corpus: Path, apps: tuple[str, str]
) -> None:
    config = str(_config(tmp_path, rag_section))
    app_name, _ = apps
    ingest = ["--config", config, "ingest", str(corpus), "--collection", "docs", "--app", app_name]
    result = runner.invoke(app, ingest)
    assert result.exit_code == 0, result.output
    for name in GOOD_FILES | BROKEN_FILES:
        assert name in result.stdout
    assert "5 added, 0 replaced, 0 skipped, 2 failed" in result.stdout
    assert "empty file" in result.stdout  # the reason a file failed is shown

    again = runner.invoke(app, ingest)
    assert again.exit_code == 0 and "0 added, 0 replaced, 5 skipped, 2 failed" in again.stdout

    ask = [
        "--config",
        config,
        "ask",
        "How long does the pump warranty last?",
        "-C",
        "docs",
        "--app",
        app_name,
    ]
    asked = runner.invoke(app, [*ask, "--json", "--top-k", "3"])
    assert asked.exit_code == 0, asked.output
    answer = json.loads(asked.stdout)
    assert answer["found"] is True and "[1]" in answer["answer"]
    assert answer["citations"][0]["source"] == "pump.pdf" and answer["citations"][0]["page"] == 2
    assert len(answer["sources"]) == 3
    assert answer["sources"][0]["source"] == "pump.pdf"
    assert all(isinstance(s["score"], float) and s["scores"] for s in answer["sources"])
    assert "latency_ms" in answer and "cost_usd" in answer and "embed_query" in answer["steps"]

    plain = runner.invoke(app, ask)
    assert plain.exit_code == 0, plain.output
    assert "five years" in plain.stdout and "[1] pump.pdf" in plain.stdout and "p. 2" in plain.stdout

    refused = runner.invoke(app, [*ask[:3], UNANSWERABLE, *ask[4:], "--json"])
    assert json.loads(refused.stdout)["answer"] == "Not found in the documents."


def test_ingest_fails_only_when_nothing_could_be_ingested(
    rag_section: dict[str, Any], tmp_path: Path, apps: tuple[str, str]
) -> None:
    config = str(_config(tmp_path, rag_section))
    app_name, _ = apps
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "empty.md").write_text("")
    (broken / "corrupt.docx").write_bytes(b"PK\x03\x04 not a zip")
    result = runner.invoke(app, ["--config", config, "ingest", str(broken), "-C", "docs", "--app", app_name])
    assert result.exit_code == 1
    assert "empty.md" in result.stdout and "corrupt.docx" in result.stdout
    assert "0 added, 0 replaced, 0 skipped, 2 failed" in result.stdout

    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "image.png").write_bytes(b"\x89PNG")
    result = runner.invoke(app, ["--config", config, "ingest", str(nothing), "-C", "docs", "--app", app_name])
    assert result.exit_code == 1 and "no supported files" in result.output

    missing = runner.invoke(app, ["--config", config, "ingest", str(tmp_path / "nope"), "-C", "docs"])
    assert missing.exit_code == 1 and "no such file or folder" in missing.output

    unknown = runner.invoke(
        app, ["--config", config, "ask", "anything", "-C", "never-made", "--app", app_name]
    )
    assert unknown.exit_code == 1 and "no collection named 'never-made'" in unknown.output

    bad_mode = runner.invoke(app, ["--config", config, "ask", "anything", "-C", "docs", "--mode", "fuzzy"])
    assert bad_mode.exit_code == 1 and "mode" in bad_mode.output
