"""``ai-workers keys``: create, list and revoke app API keys in the gateway's database.

A running server picks up keys created or revoked here within a few seconds (its key snapshot refresh).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Column, Table

from ai_workers.cli.common import fail, settings_from, table_console
from ai_workers.core.config import ConfigError, Settings, load_settings
from ai_workers.core.errors import AIWorkersError
from ai_workers.server.keys import KeyInfo, KeyStore

T = TypeVar("T")

app = typer.Typer(help="App API keys: create (shown once), list, revoke.", no_args_is_help=True)
ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="YAML settings file.")]


def _settings(ctx: typer.Context, config: Path | None) -> Settings:
    if config is None:
        return settings_from(ctx)  # the global `ai-workers --config` / AI_WORKERS_CONFIG
    try:
        return load_settings(config)
    except ConfigError as exc:
        fail(exc, code=2)


def _run(settings: Settings, action: Callable[[KeyStore], Awaitable[T]]) -> T:
    from ai_workers.db.engine import Database
    from ai_workers.server.key_sync import KeyChanges

    async def main() -> T:
        database = Database(settings.resolved_database_url())
        try:
            await database.migrate()
            changes = KeyChanges(settings.resolved_data_dir(), settings.redis_url)  # reach running servers
            try:
                return await action(KeyStore(database, changes=changes))
            finally:
                await changes.stop()
        finally:
            await database.dispose()

    try:
        return asyncio.run(main())
    except AIWorkersError as exc:
        fail(exc)


@app.command("create")
def create(
    ctx: typer.Context,
    app_name: Annotated[str, typer.Option("--app", help="The app this key belongs to.")],
    role: Annotated[str, typer.Option(help="app, or admin (admin routes and the dashboard).")] = "app",
    models: Annotated[
        str | None, typer.Option(help="Comma-separated models this key may use (default: the app's).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="A label for the key, e.g. who holds it.")] = None,
    config: ConfigOption = None,
) -> None:
    """Create a key and print it ONCE: only its hash is stored."""
    if role not in ("app", "admin"):
        fail("--role must be 'app' or 'admin'", code=2)
    settings = _settings(ctx, config)
    model_list = [m.strip() for m in models.split(",") if m.strip()] if models else None
    if model_list:
        unknown = [m for m in model_list if m != "*" and settings.catalog.find(m) is None]
        if unknown:
            fail(f"unknown models: {', '.join(unknown)}", code=2)
    info, key = _run(settings, lambda store: store.create(app_name, role=role, models=model_list, name=name))
    err = Console(stderr=True)
    err.print(f"Created key [bold]{info.id}[/] for app [bold]{info.app}[/] (role {info.role}).")
    err.print("Store it now: it is shown only this once.")
    typer.echo(key)


@app.command("list")
def list_keys(
    ctx: typer.Context,
    app_name: Annotated[str | None, typer.Option("--app", help="Only this app's keys.")] = None,
    all_keys: Annotated[bool, typer.Option("--all", help="Include revoked keys.")] = False,
    config: ConfigOption = None,
) -> None:
    """List keys (ids, apps, roles, models; never the keys themselves)."""
    keys: list[KeyInfo] = _run(
        _settings(ctx, config), lambda store: store.list_keys(app=app_name, include_revoked=all_keys)
    )
    table = Table(
        Column("id", no_wrap=True), "app", "role", "models", "name", "created", "last used", "status"
    )
    for k in keys:
        table.add_row(
            k.id,
            k.app,
            k.role,
            ",".join(k.allowed_models) if k.allowed_models else "(app's)",
            k.name or "",
            k.created_at.strftime("%Y-%m-%d %H:%M") if k.created_at else "",
            k.last_used_at.strftime("%Y-%m-%d %H:%M") if k.last_used_at else "never",
            "revoked" if k.revoked_at else "active",
        )
    table_console().print(table)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")],
    config: ConfigOption = None,
) -> None:
    """Revoke a key: running servers refuse it within seconds."""
    info = _run(_settings(ctx, config), lambda store: store.revoke(key_id))
    if info is None:
        fail(f"no key with id {key_id}")
    typer.echo(f"Revoked key {info.id} of app {info.app}.")
