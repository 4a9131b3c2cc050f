"""``ai-workers report ...``: daily summaries, costs, savings and budgets from the usage database.

Reports read the database the server writes (``database_url``, default the SQLite file in the data
dir). Daily summaries are rolled up first, so a report never waits for the server's scheduled task.
Output is a rich table, or Markdown/CSV/JSON with ``--format`` (to ``--output FILE`` or stdout).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from ai_workers.cli.common import console, fail, settings_from, table_console
from ai_workers.cli.quality import quality
from ai_workers.core.config import Settings
from ai_workers.core.errors import AIWorkersError
from ai_workers.db.engine import Database
from ai_workers.usage.report_delivery import ReportSender, report_settings
from ai_workers.usage.reports import (
    GROUPS,
    Report,
    costs_report,
    daily_report,
    format_cell,
    render,
    savings_report,
)
from ai_workers.usage.rollup import rollup_range

app = typer.Typer(help="Usage, cost and savings reports.", no_args_is_help=True)
app.command("quality")(quality)

FORMATS = ("table", "md", "csv", "json")


def _date(value: str | None, default: dt.date, name: str) -> dt.date:
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{name}: expected a date like 2026-01-31, got {value!r}")


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _run(settings: Settings, work: Callable[[Database], Awaitable[Report]]) -> Report:
    async def main() -> Report:
        db = Database(settings.resolved_database_url())
        try:
            await db.migrate()
            return await work(db)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except AIWorkersError as exc:
        fail(exc)
    except OSError as exc:
        fail(f"cannot open the usage database: {exc}")


def _emit(report: Report, fmt: str, output: Path | None) -> None:
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}")
    if fmt == "table":
        if output is not None:
            fail("--output needs --format md, csv or json")
        table = Table(title=report.title, show_footer=report.totals is not None)
        totals: list[Any] = report.totals or [None] * len(report.columns)
        for column, total in zip(report.columns, totals, strict=True):
            numeric = bool(report.rows) and isinstance(
                report.rows[0][report.columns.index(column)], int | float
            )
            table.add_column(
                column, footer=format_cell(total, column), justify="right" if numeric else "left"
            )
        for row in report.rows:
            table.add_row(*(format_cell(v, c) for v, c in zip(row, report.columns, strict=True)))
        table_console().print(table)
        for note in report.notes:
            console.print(f"[dim]{note}[/]", highlight=False)
        if not report.rows:
            console.print("[yellow]No usage recorded in this range.[/]")
        return
    text = render(report, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, "utf-8")
        console.print(f"Wrote {output}")


FormatOption = typer.Option("table", "--format", "-f", help="table, md, csv or json.")
OutputOption = typer.Option(None, "--output", "-o", help="Write the report to this file (md/csv/json).")
AppOption = typer.Option(None, "--app", help="Only this app.")


@app.command()
def daily(
    ctx: typer.Context,
    date: str | None = typer.Option(None, "--date", "-d", help="UTC day (default: today)."),
    app_name: str | None = AppOption,
    fmt: str = FormatOption,
    output: Path | None = OutputOption,
    deliver: bool = typer.Option(
        False, "--deliver", help="Also send it to the webhook/email configured under usage.daily_report."
    ),
) -> None:
    """Requests, tokens, cost, latency (avg, p95), errors and cache hits per app, provider and model."""
    day = _date(date, _today(), "--date")
    settings = settings_from(ctx)
    try:
        options = report_settings(settings) if deliver else None
    except AIWorkersError as exc:
        fail(exc, code=2)
    if options is not None and not options.channels():
        fail("--deliver: no channel is configured under usage.daily_report (webhook_url or "
             "webhook_url_env, or email_to with smtp_host)", code=2)  # fmt: skip

    async def work(db: Database) -> Report:
        await rollup_range(db, day, day)
        return await daily_report(db, day, app=app_name)

    report = _run(settings, work)
    _emit(report, fmt, output)
    if options is not None:
        delivered, errors = asyncio.run(ReportSender(options).send(report, day))
        for error in errors:
            console.print(f"[red]Not delivered: {error}[/]", highlight=False)
        if delivered:
            console.print(f"Delivered by {', '.join(delivered)}.")
        if errors:
            raise typer.Exit(1)


@app.command()
def costs(
    ctx: typer.Context,
    date_from: str | None = typer.Option(None, "--from", help="First UTC day (default: 30 days ago)."),
    date_to: str | None = typer.Option(None, "--to", help="Last UTC day, inclusive (default: today)."),
    by: str = typer.Option("app", "--by", help=f"Group by {', '.join(GROUPS)}."),
    app_name: str | None = AppOption,
    fmt: str = FormatOption,
    output: Path | None = OutputOption,
) -> None:
    """Cost per app, user, model, provider, day or capability."""
    last = _date(date_to, _today(), "--to")
    first = _date(date_from, last - dt.timedelta(days=30), "--from")

    async def work(db: Database) -> Report:
        return await costs_report(db, first, last, by=by, app=app_name)

    _emit(_run(settings_from(ctx), work), fmt, output)


@app.command()
def savings(
    ctx: typer.Context,
    baseline: str = typer.Option("gpt-4o", "--baseline", help="Price the same traffic on this chat model."),
    date_from: str | None = typer.Option(None, "--from", help="First UTC day (default: 30 days ago)."),
    date_to: str | None = typer.Option(None, "--to", help="Last UTC day, inclusive (default: today)."),
    app_name: str | None = AppOption,
    fmt: str = FormatOption,
    output: Path | None = OutputOption,
    as_json: bool = typer.Option(False, "--json", help="Same as --format json (the /api/savings body)."),
) -> None:
    """What the traffic cost against the same traffic on OpenAI (chat on the baseline; embeddings,
    speech and rerank on their OpenAI equivalents), with the free neuron allocation, a month/year
    projection from the last 7 days and the three largest opportunities."""
    if as_json:
        fmt = "json"
    settings = settings_from(ctx)
    last = _date(date_to, _today(), "--to")
    first = _date(date_from, last - dt.timedelta(days=30), "--from")

    async def work(db: Database) -> Report:
        return await savings_report(db, settings.catalog, first, last, baseline=baseline, app=app_name)

    _emit(_run(settings, work), fmt, output)


@app.command()
def rollup(
    ctx: typer.Context,
    date_from: str | None = typer.Option(None, "--from", help="First UTC day (default: yesterday)."),
    date_to: str | None = typer.Option(None, "--to", help="Last UTC day (default: today)."),
) -> None:
    """Recompute the daily summaries for a range of days (the server does today and yesterday)."""
    last = _date(date_to, _today(), "--to")
    first = _date(date_from, last - dt.timedelta(days=1), "--from")
    if last < first:
        fail("--to is before --from")

    async def work(db: Database) -> Report:
        count = await rollup_range(db, first, last)
        return Report(
            title="Roll-up", columns=["from", "to", "summary_rows"], rows=[[str(first), str(last), count]]
        )

    report = _run(settings_from(ctx), work)
    console.print(f"Rolled up {first} to {last}: {report.rows[0][2]} summary rows.")
