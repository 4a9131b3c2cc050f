"""``ai-workers apps``: list apps with their PHI policy; create and change apps and their budgets.

An app whose policy is ``off`` declared that it never handles patient data: no PHI scan, images and
audio pass. The table makes that decision visible next to the apps that keep the fail-closed default.

Apps created here live in the gateway's database (``apps create``), like those made in the console:
running servers apply them, and budget changes, within a few seconds (their 2 s refresh), without a
restart. Apps in the config file are changed in the file. Every change is audited (actor ``cli:USER``).
"""

from __future__ import annotations

import asyncio
import getpass
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import msgspec
import typer
from rich.table import Table

from ai_workers.cli.common import console, fail, settings_from, table_console
from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.errors import AIWorkersError
from ai_workers.safety.config import app_policies
from ai_workers.server.app_registry import AppRegistry, BudgetChange, BudgetInput
from ai_workers.usage.audit import write_now

T = TypeVar("T")

app = typer.Typer(
    help="Apps: list (the default), create, update; their budgets.", invoke_without_command=True
)
budget_app = typer.Typer(help="Budgets of an app: set (create or change) and remove.", no_args_is_help=True)
app.add_typer(budget_app, name="budget")


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def run(settings: Settings, action: Callable[[AppRegistry, Any], Awaitable[T]]) -> T:
    """Run ``action(registry, database)`` against the configured database (migrated first)."""
    from ai_workers.db.engine import Database

    async def main() -> T:
        database = Database(settings.resolved_database_url())
        try:
            await database.migrate()
            registry = AppRegistry(database, ConfigStore(settings))
            await registry.refresh()
            return await action(registry, database)
        finally:
            await database.dispose()

    try:
        return asyncio.run(main())
    except AIWorkersError as exc:
        fail(exc)


@app.callback()
def apps(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the apps as JSON."),
) -> None:
    """List the apps with their PHI policy (block, redact, allow or off) and where they are defined."""
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_from(ctx)
    if settings.database_url or settings.resolved_data_dir().joinpath("ai-workers.db").exists():

        async def overlaid(registry: AppRegistry, _: Any) -> Settings:
            return registry.config.current  # the file's apps plus those registered in the database

        settings = run(settings, overlaid)
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


def _models(raw: str | None) -> list[str] | None:
    return [m.strip() for m in raw.split(",") if m.strip()] if raw else None


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The app's name (lower case, digits, '.', '_', '-').")],
    description: Annotated[str | None, typer.Option(help="What the app is for.")] = None,
    phi_policy: Annotated[
        str | None, typer.Option("--phi-policy", help="block, redact, allow or off (default: safety's).")
    ] = None,
    models: Annotated[
        str | None, typer.Option(help="Comma-separated models the app may use (default: any).")
    ] = None,
    daily_usd: Annotated[float | None, typer.Option("--daily-usd", help="A daily budget in dollars.")] = None,
    monthly_usd: Annotated[
        float | None, typer.Option("--monthly-usd", help="A monthly budget in dollars.")
    ] = None,
) -> None:
    """Create an app with its policy and budgets; running servers apply it within seconds."""
    budgets = [BudgetInput(period="daily", usd=daily_usd)] if daily_usd is not None else []
    if monthly_usd is not None:
        budgets.append(BudgetInput(period="monthly", usd=monthly_usd))

    async def action(registry: AppRegistry, database: Any) -> dict[str, Any]:
        record = await registry.create_app(
            name,
            description=description,
            phi_policy=phi_policy,
            allowed_models=_models(models),
            budgets=budgets,
        )
        await write_now(database, app=name, action="app_create", actor=actor(), details=record.to_dict())
        return record.to_dict()

    record = run(settings_from(ctx), action)
    console.print(
        f"Created app [bold]{record['name']}[/] (phi_policy {record['phi_policy'] or 'default'}, "
        f"{len(record['budgets'])} budget(s))."
    )


@app.command("update")
def update(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="An app created with `apps create` or in the console.")],
    description: Annotated[str | None, typer.Option(help="What the app is for.")] = None,
    phi_policy: Annotated[
        str | None, typer.Option("--phi-policy", help="block, redact, allow or off.")
    ] = None,
    models: Annotated[str | None, typer.Option(help="Comma-separated models ('*' or '' for any).")] = None,
) -> None:
    """Change an app's description, PHI policy or allowed models."""
    changes: dict[str, Any] = {}
    if description is not None:
        changes["description"] = description
    if phi_policy is not None:
        changes["phi_policy"] = phi_policy
    if models is not None:
        changes["allowed_models"] = None if models.strip() in ("", "*") else _models(models)
    if not changes:
        fail("nothing to change: give --description, --phi-policy or --models", code=2)

    async def action(registry: AppRegistry, database: Any) -> None:
        await registry.update_app(name, changes)
        await write_now(database, app=name, action="app_update", actor=actor(), details={"changes": changes})

    run(settings_from(ctx), action)
    console.print(f"Updated app [bold]{name}[/]: {', '.join(changes)}.")


@budget_app.command("set")
def set_budget(
    ctx: typer.Context,
    app_name: Annotated[str, typer.Argument(help="The app.")],
    period: Annotated[str, typer.Option(help="daily or monthly.")] = "daily",
    usd: Annotated[float | None, typer.Option(help="Dollar limit.")] = None,
    requests: Annotated[int | None, typer.Option(help="Request limit.")] = None,
    soft_pct: Annotated[
        float | None, typer.Option("--soft-pct", help="Warning threshold in percent (new budgets: 80).")
    ] = None,
) -> None:
    """Create the app's budget for this period, or change the one it has."""

    async def action(registry: AppRegistry, database: Any) -> dict[str, Any]:
        await registry.require(app_name)
        existing = next(
            (
                b
                for a in await registry.list_apps()
                if a.name == app_name
                for b in a.budgets
                if b.get("source") == "console" and b["period"] == period and b["scope"] == "app"
            ),
            None,
        )
        if existing is None:
            created = await registry.create_budget(
                app_name, BudgetInput(period=period, usd=usd, requests=requests, soft_pct=soft_pct or 80.0)
            )
            await write_now(database, app=app_name, action="budget_create", actor=actor(), details=created)
            return created
        # Only what was given changes: `--requests 100` keeps the dollar limit.
        change = BudgetChange(
            usd=msgspec.UNSET if usd is None else usd,
            requests=msgspec.UNSET if requests is None else requests,
            soft_pct=msgspec.UNSET if soft_pct is None else soft_pct,
        )
        before, after = await registry.update_budget(int(existing["id"]), change)
        details = {"before": before, "after": after}
        await write_now(database, app=app_name, action="budget_update", actor=actor(), details=details)
        return after

    budget = run(settings_from(ctx), action)
    console.print(
        f"Budget {budget['id']} of {app_name}: {budget['period']} usd={budget['usd']} "
        f"requests={budget['requests']} soft {budget['soft_pct']:g}%."
    )


@budget_app.command("list")
def list_budgets(
    ctx: typer.Context,
    app_name: Annotated[str | None, typer.Argument(help="Only this app's budgets.")] = None,
) -> None:
    """Every app's budgets: from the config file (read-only here) and made in the console or CLI (with
    the id that `budget remove` takes)."""

    async def action(registry: AppRegistry, _: Any) -> list[Any]:
        return [a for a in await registry.list_apps() if app_name is None or a.name == app_name]

    table = Table(title="budgets")
    for column in ("id", "app", "period", "scope", "usd", "requests", "soft %", "from"):
        table.add_column(column, overflow="fold")
    for record in run(settings_from(ctx), action):
        for b in record.budgets:
            table.add_row(
                str(b.get("id", "")),
                record.name,
                str(b.get("period", "daily")),
                str(b.get("scope", "app")) + (f" {b['user']}" if b.get("user") else ""),
                "" if b.get("usd") is None else f"${b['usd']:g}",
                "" if b.get("requests") is None else str(b["requests"]),
                f"{b.get('soft_pct', 80):g}",
                "config file" if b.get("source") == "config" else "console/CLI",
            )
    table_console().print(table)


@budget_app.command("remove")
def remove_budget(
    ctx: typer.Context,
    budget_id: Annotated[int, typer.Argument(help="The budget's id (`apps budget list`).")],
) -> None:
    """Remove a budget made in the console or CLI."""

    async def action(registry: AppRegistry, database: Any) -> dict[str, Any]:
        removed = await registry.delete_budget(budget_id)
        await write_now(database, app=removed["app"], action="budget_delete", actor=actor(), details=removed)
        return removed

    removed = run(settings_from(ctx), action)
    console.print(f"Removed budget {budget_id} of {removed['app']}.")
