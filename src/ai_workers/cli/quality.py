"""``ai-workers report quality``: satisfaction, errors, latency and cost per provider / split arm.

Reads the usage records and feedback in the configured database (the same one the server writes), so
it answers "is the Workers AI arm as good as the OpenAI arm, and what does each cost?" before someone
turns a split's weight up or rolls it back.

Below the table it shows the tier threshold recalibration that the feedback per tier suggests for each
app (``routing.recalibrate``), with its effect per tier, and whether the gateway applies it
(``routing.recalibration.apply``) or only proposes it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys

import typer
from rich.table import Table

from ai_workers.cli.common import console, fail, settings_from, table_console
from ai_workers.routing.config import RoutingConfig
from ai_workers.routing.quality import GROUP_COLUMNS, QualityRow, quality_report
from ai_workers.routing.recalibrate import Proposal, recalibrate


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
    show_recalibration: bool = typer.Option(
        True, "--recalibration/--no-recalibration", help="Show the tier thresholds feedback suggests per app."
    ),
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

    async def run() -> tuple[list[QualityRow], list[Proposal]]:
        database = Database(settings.resolved_database_url())
        try:
            await database.migrate()
            rows = await quality_report(database, since=start, app=app_name, group_by=group_by)
            proposals = await recalibrate(database, settings, app=app_name) if show_recalibration else []
            return rows, proposals
        finally:
            await database.dispose()

    rows, proposals = asyncio.run(run())
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
    if show_recalibration:
        _print_recalibration(proposals, settings.section("routing", RoutingConfig).recalibration.apply)


def _print_recalibration(proposals: list[Proposal], apply: bool) -> None:
    """The proposed tier boundaries per app and what they would move, never hidden from the operator."""
    state = "applied by the gateway" if apply else "proposals only (routing.recalibration.apply: false)"
    if not proposals:
        console.print(f"Tier recalibration: no change suggested by the feedback per tier ({state}).")
        return
    table = Table(title=f"Tier recalibration from feedback per tier · {state}")
    for header in ("app", "tier", "max_score", "proposed", "satisfaction", "rated", "effect per tier", "why"):
        table.add_column(header)
    for p in proposals:
        effect = ", ".join(f"{t} {n:+d}" for t, n in p.effect.items()) or "-"
        table.add_row(
            p.app,
            p.tier,
            f"{p.current:g}",
            f"{p.proposed:g}",
            _pct(p.satisfaction),
            str(p.rated),
            effect,
            p.reason,
        )
    table_console().print(table)
