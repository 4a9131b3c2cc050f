"""``ai-workers scan``: human view, --json offsets into the input, --jsonl streaming line by line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ai_workers.cli.main import app

TEXT = "Patient: John Smith, DOB 03/14/1952, MRN: 00482913. Call (217) 555-0134. A1c 7.2, E11.9."


def test_json_spans_are_character_offsets(tmp_path: Path) -> None:
    src = tmp_path / "note.txt"
    src.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", "--json", str(src)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    got = {(TEXT[s["start"] : s["end"]], s["type"]) for s in out["spans"]}
    assert got == {
        ("John Smith", "NAME"),
        ("03/14/1952", "DATE"),
        ("00482913", "MRN"),
        ("(217) 555-0134", "PHONE"),
    }
    assert out["phi_types"] == ["DATE", "MRN", "NAME", "PHONE"]


def test_human_view_and_redact_from_stdin() -> None:
    result = CliRunner().invoke(app, ["scan", "-"], input=TEXT)
    assert result.exit_code == 0
    assert "[NAME]" in result.stdout and "4 identifier(s)" in result.stdout
    redacted = CliRunner().invoke(app, ["scan", "--redact", "-"], input=TEXT)
    assert "[NAME_1]" in redacted.stdout and "John" not in redacted.stdout


def test_jsonl_writes_one_line_per_document_and_reports_bad_lines() -> None:
    docs = [{"id": "a", "text": TEXT}, {"id": 2, "text": "no identifiers, A1c 7.2"}]
    lines = [json.dumps(docs[0]), "{not json", json.dumps(docs[1]), "", '{"id": 3, "txt": "Ana"}', "[1]"]
    result = CliRunner().invoke(app, ["scan", "--jsonl", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1  # unreadable lines
    assert "line 2: skipped: not valid JSON" in result.output
    assert 'line 5: skipped: no "text" string' in result.output
    assert "line 6: skipped: not a JSON object" in result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in rows] == ["a", 2]
    assert len(rows[0]["spans"]) == 4 and rows[1]["spans"] == []
    assert "not json" not in result.output  # the bad line itself is never echoed (it may hold PHI)
