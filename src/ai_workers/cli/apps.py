"""``ai-workers apps``: each configured app with its effective PHI policy (and where it comes from).

An app whose policy is ``off`` declared that it never handles patient data: no PHI scan, images and
audio pass. The table makes that decision visible next to the apps that keep the fail-closed default.
"""

from __future__ import annotations

import json

import msgspec
import typer
from rich.table import Table

from ai_workers.cli.common import console, settings_from, table_console
from ai_workers.safety.config import app_policies


def apps(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the apps as JSON."),
) -> None:
    """List the configured apps with their PHI policy (block, redact, allow or off)."""
    settings = settings_from(ctx)
    policies = app_policies(settings, sorted({*settings.apps, settings.default_app}))
    if as_json:
        console.print_json(json.dumps(msgspec.to_builtins(policies)))
        return
    table = Table(title=f"ai-workers apps ({len(policies)})")
    for column in ("app", "phi_policy", "from", "description"):
        table.add_column(column, overflow="fold")
    for item in policies:
        source = "apps.<app>.phi_policy" if item.source == "app" else "safety.phi_policy (default)"
        table.add_row(item.app, item.phi_policy, source, item.description or "")
    table_console().print(table)
