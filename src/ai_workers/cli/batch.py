"""``ai-workers batch submit|status|results``: queue a JSONL batch and follow it from the terminal.

The CLI writes straight into the gateway's database (the same one ``ai-workers serve`` uses, from the
config), as ``keys create`` does: ``submit`` stores the file and queues its lines as ``--app``, and the
running gateway's batch workers do the work, exactly as for a batch sent through ``POST /v1/batches``.
Nothing runs while no gateway is serving that database; the progress bar then waits (Ctrl-C leaves the
batch queued; ``batch status`` looks again later).
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import msgspec
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ai_workers.batch import jsonl
from ai_workers.batch.config import BatchConfig
from ai_workers.batch.objects import batch_object
from ai_workers.batch.store import BatchStore
from ai_workers.cli.common import console, fail, settings_from
from ai_workers.core.config import Settings
from ai_workers.db.engine import Database

app = typer.Typer(help="Batch jobs: queue a JSONL file of requests, follow it, fetch its results.")

FINAL = ("completed", "failed", "cancelled", "expired")


def _with_model(content: bytes, model: str | None) -> bytes:
    """Every line's ``body.model`` set to ``model`` (``--model``), other fields untouched."""
    if model is None:
        return content
    out = []
    for raw in content.splitlines():
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            line.setdefault("body", {})["model"] = model
            out.append(json.dumps(line))
        except (ValueError, AttributeError, TypeError):
            out.append(raw.decode("utf-8", "replace"))  # left for the validation to name its line
    return ("\n".join(out) + "\n").encode()


async def _open(settings: Settings) -> tuple[Database, BatchStore]:
    database = Database(settings.resolved_database_url())
    await database.migrate()
    return database, BatchStore(database)


async def _status(store: BatchStore, batch_id: str) -> dict[str, Any]:
    row = await store.get_batch(None, batch_id)
    if row is None:
        fail(f"No such batch: {batch_id}")
    counts = await store.counts([row.id])
    item = batch_object(row, counts[row.id])
    item["app"] = row.app
    return item


async def _follow(store: BatchStore, batch_id: str, total: int, poll_s: float = 0.5) -> dict[str, Any]:
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(batch_id, total=total, failed=0)
        while True:
            item = await _status(store, batch_id)
            counts = item["request_counts"]
            progress.update(task, completed=counts["completed"] + counts["failed"], failed=counts["failed"])
            if item["status"] in FINAL:
                return item
            await asyncio.sleep(poll_s)


@app.command()
def submit(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="JSONL: {custom_id, method, url, body}"
    ),
    model: str | None = typer.Option(None, "--model", "-m", help="Run every line on this model."),
    app_name: str = typer.Option("default", "--app", help="Run, budget and record the lines as this app."),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Show a progress bar until the batch ends."),
) -> None:
    """Queue a batch for the gateway's workers (``ai-workers serve``) and follow its progress."""
    settings = settings_from(ctx)
    config = settings.section("batch", BatchConfig)
    content = _with_model(file.read_bytes(), model)
    if len(content) > config.max_file_bytes:
        fail(f"{file} is larger than batch.max_file_bytes ({config.max_file_bytes} bytes)")

    async def run() -> dict[str, Any]:
        database, store = await _open(settings)
        try:
            lines, errors = jsonl.parse(content, max_lines=config.max_lines)
            if errors:
                for error in errors:
                    console.print(f"[red]{error.message}[/red]")
                fail(f"{file} cannot be run as a batch ({len(errors)} problem(s) above)")
            stored = await store.create_file(app_name, file.name, "batch", content)
            identity = {"key_id": None, "role": "app", "allowed_models": None, "user": None}
            endpoint = lines[0].url if jsonl.is_served(lines[0].url) else jsonl.CHAT_URL
            row = await store.create_batch(
                app_name, identity, endpoint, stored.id, "24h", {"submitted_by": "cli"}, lines, []
            )
            console.print(f"Queued [bold]{row.id}[/bold]: {len(lines)} lines as app '{app_name}'")
            if not wait:
                return await _status(store, row.id)
            return await _follow(store, row.id, len(lines))
        finally:
            await database.dispose()

    item = asyncio.run(run())
    counts = item["request_counts"]
    console.print(
        f"{item['id']}: {item['status']} ({counts['completed']} done, {counts['failed']} failed "
        f"of {counts['total']})"
    )


@app.command()
def status(
    ctx: typer.Context,
    batch_id: str = typer.Argument(...),
    as_json: bool = typer.Option(False, "--json", help="The OpenAI batch object as JSON."),
) -> None:
    """A batch's status and line counts."""
    settings = settings_from(ctx)

    async def run() -> dict[str, Any]:
        database, store = await _open(settings)
        try:
            return await _status(store, batch_id)
        finally:
            await database.dispose()

    item = asyncio.run(run())
    if as_json:
        console.print_json(msgspec.json.encode(item).decode())
        return
    counts = item["request_counts"]
    created = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(item["created_at"]))
    console.print(
        f"{item['id']}  app {item['app']}  [bold]{item['status']}[/bold]  created {created}\n"
        f"  {counts['completed']} done, {counts['failed']} failed, of {counts['total']} lines"
    )
    for error in (item.get("errors") or {}).get("data", []):
        console.print(f"  [red]{error.get('code')}: {error.get('message')}[/red]")


@app.command()
def results(
    ctx: typer.Context,
    batch_id: str = typer.Argument(...),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the output lines (JSONL)."),
    errors: Path | None = typer.Option(None, "--errors", "-e", help="Where to write the error lines."),
) -> None:
    """Write a finished batch's output file (and, with ``--errors``, its error file)."""
    settings = settings_from(ctx)

    async def run() -> tuple[int, int]:
        database, store = await _open(settings)
        try:
            row = await store.get_batch(None, batch_id)
            if row is None:
                fail(f"No such batch: {batch_id}")
            if row.output_file_id is None:
                fail(f"{batch_id} is {row.status}; its results are written when it ends")
            written = []
            for file_id, path in ((row.output_file_id, output), (row.error_file_id, errors)):
                count = 0
                if path is not None and file_id is not None:
                    file = await store.get_file(row.app, file_id)
                    with path.open("wb") as handle:
                        if file is not None:
                            async for chunk in store.file_content(file):
                                handle.write(chunk)
                                count += chunk.count(b"\n")
                written.append(count)
            return written[0], written[1]
        finally:
            await database.dispose()

    done, failed = asyncio.run(run())
    console.print(
        f"{done} output lines -> {output}" + (f"; {failed} error lines -> {errors}" if errors else "")
    )
