"""``ai-workers ingest PATH --collection NAME`` and ``ai-workers ask "QUESTION" --collection NAME``.

Both run in-process through ``ai_workers.client.AsyncClient.rag``, so embeddings (and rerank and chat
calls) go through the gateway pipeline as ``--app``: cached, costed and recorded like any other call.
``ingest`` shows a progress bar that advances per file and ends with a summary table; it exits non-zero
only when nothing could be ingested (every file failed, or no supported file was found), because one
bad file in a folder is reported, not fatal. ``ask --json`` prints the whole answer struct (answer,
citations, ranked sources with file names and scores, per-step timings and costs), the same JSON
``POST /api/rag/query`` returns.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import msgspec
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ai_workers.cli.common import console, err_console, fail, settings_from
from ai_workers.core.errors import AIWorkersError
from ai_workers.rag.service import ANSWER_MODES, RETRIEVAL_MODES
from ai_workers.rag.types import Answer, IngestItem, IngestReport

_STATUS_STYLE = {"added": "green", "replaced": "cyan", "skipped": "dim", "failed": "red"}


def _summary(report: IngestReport) -> Table:
    table = Table(title=f"Collection '{report.collection}'", title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("status")
    table.add_column("chunks", justify="right")
    table.add_column("pages", justify="right")
    table.add_column("note", overflow="fold")
    for item in report.items:
        style = _STATUS_STYLE.get(item.status, "")
        table.add_row(
            item.source,
            f"[{style}]{item.status}[/]" if style else item.status,
            str(item.chunks),
            str(item.pages or ""),
            item.error or "",
        )
    return table


def _totals(report: IngestReport) -> str:
    counts = ", ".join(
        f"{report.count(status)} {status}" for status in ("added", "replaced", "skipped", "failed")
    )
    cost = sum(step.cost_usd for step in report.steps.values())
    timing = ", ".join(f"{name} {step.ms:.0f} ms" for name, step in report.steps.items())
    return f"{counts} · ${cost:.6f}" + (f" · {timing}" if timing else "")


def ingest(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A file, or a folder (every supported file under it)."),
    collection: str = typer.Option(..., "--collection", "-C", help="The collection to add documents to."),
    app_name: str = typer.Option("default", "--app", help="The app that owns the collection."),
    embedding_model: str | None = typer.Option(
        None, "--embedding-model", help="Embedding model of a new collection (default: rag.embedding_model)."
    ),
) -> None:
    """Ingest text, Markdown, HTML, PDF and DOCX files into a collection (unchanged files are skipped)."""
    from ai_workers.client import AsyncClient

    progress = Progress(
        TextColumn("[bold]ingest[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),
        console=err_console,
        transient=False,
    )
    task = progress.add_task("", total=None)

    def advance(item: IngestItem, done: int, total: int) -> None:
        progress.update(task, completed=done, total=total, description=item.source)

    async def run() -> IngestReport:
        async with AsyncClient(settings_from(ctx), app=app_name) as client:
            return await client.rag.ingest(
                path, collection=collection, embedding_model=embedding_model, progress=advance
            )

    try:
        with progress:
            report = asyncio.run(run())
    except AIWorkersError as exc:
        fail(exc)
    if not report.items:
        fail(f"no supported files found at {path} (text, Markdown, HTML, PDF, DOCX)")
    console.print(_summary(report))
    console.print(_totals(report), highlight=False, markup=False)
    if report.count("failed") == len(report.items):
        raise typer.Exit(1)


def _print_answer(answer: Answer) -> None:
    console.print(answer.answer, highlight=False, markup=False)
    if answer.citations:
        console.print()
    for citation in answer.citations:
        where = citation.source
        if citation.heading:
            where += f" — {citation.heading}"
        if citation.page is not None:
            where += f", p. {citation.page}"
        console.print(f"[{citation.n}] {where}", highlight=False, markup=False)
    note = f" · {answer.note}" if answer.note else ""
    err_console.print(
        f"[dim]{answer.mode} · {len(answer.sources)} sources · ${answer.cost_usd:.6f} · "
        f"{answer.latency_ms:.0f} ms{note}[/]",
        highlight=False,
    )


def ask(
    ctx: typer.Context,
    question: str = typer.Argument(..., help="The question ('-' reads it from stdin)."),
    collection: str = typer.Option(..., "--collection", "-C", help="The collection to search."),
    app_name: str = typer.Option("default", "--app", help="The app that owns the collection."),
    top_k: int | None = typer.Option(None, "--top-k", "-k", min=1, max=100, help="Sources to use."),
    mode: str = typer.Option("rerank", "--mode", help=f"Retrieval: {', '.join(RETRIEVAL_MODES)}."),
    answer_mode: str = typer.Option(
        "auto", "--answer-mode", help=f"Answer: {', '.join(ANSWER_MODES)} (none: sources only)."
    ),
    document_ids: list[str] | None = typer.Option(
        None, "--document", help="Only search this document id (repeatable)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print answer, citations and ranked sources (with scores) as JSON."
    ),
) -> None:
    """Answer a question from a collection's documents, citing [n] file, heading and page."""
    from ai_workers.client import AsyncClient

    text = sys.stdin.read().strip() if question == "-" else question

    async def run() -> Answer:
        async with AsyncClient(settings_from(ctx), app=app_name) as client:
            return await client.rag.query(
                text,
                collection=collection,
                document_ids=document_ids or None,
                top_k=top_k,
                mode=mode,
                answer_mode=answer_mode,
            )

    try:
        answer = asyncio.run(run())
    except AIWorkersError as exc:
        fail(exc)
    if as_json:
        sys.stdout.write(msgspec.json.encode(answer).decode() + "\n")
        return
    _print_answer(answer)
