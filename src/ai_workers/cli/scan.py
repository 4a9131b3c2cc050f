"""``ai-workers scan FILE|-``: show what the gateway would redact, or de-identify a whole export.

Three outputs: a human view (identifiers highlighted with their type, and a count per type), ``--json``
(spans with character offsets into the input), and ``--jsonl`` (one ``{"id", "text"}`` document per
input line in, one ``{"id", "spans"}`` line out, streamed line by line so an export of any size runs in
constant memory). ``--redact`` adds the redacted text. Nothing is logged.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import typer
from rich.table import Table
from rich.text import Text

from ai_workers.cli.common import console, err_console, fail, settings_from, table_console
from ai_workers.safety.config import AppSafetyConfig, SafetyConfig
from ai_workers.safety.phi import PhiDetector, Span
from ai_workers.safety.redaction import Vault

_STYLES = {"NAME": "bold magenta", "DATE": "bold cyan", "ADDRESS": "bold yellow", "LOCATION": "yellow"}


def _spans_json(spans: list[Span]) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end, "type": s.type, "score": s.score} for s in spans]


def _open(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    p = Path(path)
    if not p.is_file():
        fail(f"no such file: {path}")
    return p.open(encoding="utf-8", errors="replace", newline="")


def _human(text: str, spans: list[Span], redact: bool) -> None:
    if redact:
        console.print(Vault().redact(text, spans), highlight=False, markup=False, soft_wrap=True)
        return
    view = Text()
    pos = 0
    for s in spans:
        view.append(text[pos : s.start])
        view.append(text[s.start : s.end], style=_STYLES.get(s.type, "bold red"))
        view.append(f"[{s.type}]", style="dim")
        pos = s.end
    view.append(text[pos:])
    console.print(view, soft_wrap=True)
    counts = Counter(s.type for s in spans)
    console.print(f"{len(spans)} identifier(s) would be redacted", highlight=False)
    table = Table(show_edge=False)
    table.add_column("type")
    table.add_column("count", justify="right")
    for kind, n in sorted(counts.items()):
        table.add_row(kind, str(n))
    table_console().print(table)


def _document(line: str) -> tuple[str | None, dict[str, Any], str]:
    """(problem, document, text) for one --jsonl line; problem is None when the line can be scanned."""
    try:
        doc = json.loads(line)
    except ValueError:
        return "not valid JSON", {}, ""
    if not isinstance(doc, dict):
        return 'not a JSON object (expected {"id": ..., "text": "..."})', {}, ""
    text = doc.get("text")
    if not isinstance(text, str):
        return 'no "text" string' if text is None else '"text" is not a string', {}, ""
    return None, doc, text


def _jsonl(lines: Iterator[str], detector: PhiDetector, redact: bool, out: IO[str]) -> int:
    """One output line per input line; returns the number of lines that could not be read."""
    bad = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        problem, doc, text = _document(line)
        if problem is not None:
            bad += 1
            # Only the line number and the kind of problem: never the line itself (it may be PHI).
            err_console.print(f"line {number}: skipped: {problem}", highlight=False)
            continue
        spans = detector.detect(text)
        row: dict[str, Any] = {"id": doc.get("id"), "spans": _spans_json(spans)}
        if redact:
            row["redacted_text"] = Vault().redact(text, spans)
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    return bad


def scan(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="A text file, or '-' for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print the spans as JSON (character offsets)."),
    as_jsonl: bool = typer.Option(
        False, "--jsonl", help='Input is one {"id","text"} JSON per line; output one {"id","spans"} per line.'
    ),
    redact: bool = typer.Option(False, "--redact", help="Print (or add) the redacted text."),
    app_name: str | None = typer.Option(None, "--app", help="Apply this app's safety settings."),
) -> None:
    """Show which identifiers (PHI) the gateway would redact in a text or a JSONL export."""
    if as_json and as_jsonl:
        fail("--json and --jsonl are exclusive")
    settings = settings_from(ctx)
    cfg = settings.section("safety", SafetyConfig)
    disabled = set(cfg.disabled_types)
    if app_name:
        disabled |= set(settings.app_section(app_name, "safety", AppSafetyConfig).disabled_types)
    detector = PhiDetector(disabled=disabled, extra_names=cfg.extra_names)
    handle = _open(source)
    try:
        if as_jsonl:
            bad = _jsonl(iter(handle), detector, redact, sys.stdout)
            if bad:
                raise typer.Exit(1)
            return
        text = handle.read()
    finally:
        if handle is not sys.stdin:
            handle.close()
    spans = detector.detect(text)
    if as_json:
        out: dict[str, Any] = {
            "spans": _spans_json(spans),
            "phi_types": sorted({s.type for s in spans}),
            "count": len(spans),
        }
        if redact:
            out["redacted_text"] = Vault().redact(text, spans)
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    _human(text, spans, redact)
