"""``ai-workers report quality``: satisfaction, errors, latency and cost per provider / split arm.

Reads the usage records and feedback in the configured database (the same one the server writes), so
it answers "is the Workers AI arm as good as the OpenAI arm, and what does each cost?" before someone
turns a split's weight up or rolls it back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys

import typer
from rich.table import Table

from ai_workers.cli.common import console, fail, settings_from, table_console
from ai_workers.routing.quality import GROUP_COLUMNS, QualityRow, quality_report


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def quality(
    ctx: typer.Context,
    days: float = typer.Option(7.0, "--days", "-d", help="How many days back to report."),
    since: str | None = typer.Option(None, "--since", help="Start date (ISO, UTC); overrides --days."),
    app_name: str | None = typer.Option(None, "--app", help="Only this app's requests."),
    by: str = typer.Option(
        "provider,arm", "--by", help=f"Group by these columns (comma-separated: {', '.join(GROUP_COLUMNS)})."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON."),
) -> None:
    """Quality per provider and A/B arm: satisfaction, error rate, latency p50/p95, cost per request."""
    from ai_workers.db.engine import Database

    group_by = [g.strip() for g in by.split(",") if g.strip()]
    unknown = [g for g in group_by if g not in GROUP_COLUMNS]
    if unknown:
        fail(f"cannot group by {', '.join(unknown)}; choose from {', '.join(GROUP_COLUMNS)}")
    if since:
        try:
            start = dt.datetime.fromisoformat(since)
        except ValueError:
            fail("--since must be an ISO date such as 2026-05-01")
        start = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
    else:
        start = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    settings = settings_from(ctx)

    async def run() -> list[QualityRow]:
        database = Database(settings.resolved_database_url())
        try:
            await database.migrate()
            return await quality_report(database, since=start, app=app_name, group_by=group_by)
        finally:
            await database.dispose()

    rows = asyncio.run(run())
    if as_json:
        sys.stdout.write(json.dumps([r.to_dict() for r in rows], indent=2) + "\n")
        return
    table = Table(
        title=f"Quality since {start:%Y-%m-%d %H:%M} UTC" + (f" · app {app_name}" if app_name else "")
    )
    for column in group_by:
        table.add_column(column)
    for header in ("requests", "satisfaction", "rated", "error rate", "p50 ms", "p95 ms", "$/request"):
        table.add_column(header, justify="right")
    for row in rows:
        table.add_row(
            *[str(row.group[c] or "-") for c in group_by],
            str(row.requests),
            _pct(row.satisfaction),
            str(row.rated),
            _pct(row.error_rate),
            _ms(row.latency_p50_ms),
            _ms(row.latency_p95_ms),
            f"{row.cost_per_request_usd:.6f}",
        )
    if not rows:
        console.print("No chat requests in that period.")
        return
    table_console().print(table)
