"""``ai-workers keys``: create, list and revoke app API keys in the gateway's database.

A running server picks up keys created or revoked here within a few seconds (its key snapshot refresh).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Column, Table

from ai_workers.cli.apps import actor
from ai_workers.cli.common import fail, settings_from, table_console
from ai_workers.core.config import ConfigError, ConfigStore, Settings, load_settings
from ai_workers.core.errors import AIWorkersError
from ai_workers.server.app_registry import AppRegistry
from ai_workers.server.keys import KeyInfo, KeyStore
from ai_workers.server.routes.admin_apps import parse_expiry
from ai_workers.usage.audit import write_now

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

    async def main() -> T:
        database = Database(settings.resolved_database_url())
        try:
            await database.migrate()
            return await action(KeyStore(database))
        finally:
            await database.dispose()

    try:
        return asyncio.run(main())
    except AIWorkersError as exc:
        fail(exc)


def _expiry(raw: str | None) -> dt.datetime | None:
    try:
        return parse_expiry(raw)
    except AIWorkersError as exc:
        fail(exc.message.replace("expires_at:", "--expires:"), code=2)


@app.command("create")
def create(
    ctx: typer.Context,
    app_name: Annotated[str, typer.Option("--app", help="The app this key belongs to.")],
    role: Annotated[str, typer.Option(help="app, or admin (admin routes and the dashboard).")] = "app",
    models: Annotated[
        str | None, typer.Option(help="Comma-separated models this key may use (default: the app's).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="A label for the key, e.g. who holds it.")] = None,
    expires: Annotated[
        str | None, typer.Option(help="When the key stops working (2027-01-31 or 2027-01-31T12:00, UTC).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Create a key (for an app that exists) and print it ONCE: only its hash is stored."""
    if role not in ("app", "admin"):
        fail("--role must be 'app' or 'admin'", code=2)
    settings = _settings(ctx, config)
    model_list = [m.strip() for m in models.split(",") if m.strip()] if models else None
    if model_list:
        unknown = [m for m in model_list if m != "*" and settings.catalog.find(m) is None]
        if unknown:
            fail(f"unknown models: {', '.join(unknown)}", code=2)
    expiry = _expiry(expires)

    async def make(store: KeyStore) -> tuple[KeyInfo, str]:
        registry = AppRegistry(store.database, ConfigStore(settings))
        await registry.refresh()
        await registry.require(app_name, param="--app")  # a typo is not a new app
        info, key = await store.create(app_name, role=role, models=model_list, name=name, expires_at=expiry)
        details = {"key_id": info.id, "role": info.role}
        await write_now(store.database, app=info.app, action="key_create", actor=actor(), details=details)  # type: ignore[arg-type]
        return info, key

    info, key = _run(settings, make)
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
        Column("id", no_wrap=True),
        "app",
        "role",
        "models",
        "name",
        "created",
        "last used",
        "expires",
        "status",
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
            k.expires_at.strftime("%Y-%m-%d %H:%M") if k.expires_at else "never",
            "revoked" if k.revoked_at else "expired" if k.expired() else "active",
        )
    table_console().print(table)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")],
    config: ConfigOption = None,
) -> None:
    """Revoke a key: running servers refuse it within seconds."""

    async def action(store: KeyStore) -> KeyInfo | None:
        info = await store.revoke(key_id)
        if info is not None:
            details = {"key_id": info.id}
            await write_now(store.database, app=info.app, action="key_revoke", actor=actor(), details=details)  # type: ignore[arg-type]
        return info

    info = _run(_settings(ctx, config), action)
    if info is None:
        fail(f"no key with id {key_id}")
    typer.echo(f"Revoked key {info.id} of app {info.app}.")


@app.command("rotate")
def rotate(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")],
    grace_hours: Annotated[
        float, typer.Option("--grace-hours", help="How long the old key keeps working.")
    ] = 24.0,
    config: ConfigOption = None,
) -> None:
    """Make a new key with the old one's app, role, models and name; print it ONCE. The old key works
    for the grace period, then expires."""
    if not 0 <= grace_hours <= 24 * 30:
        fail("--grace-hours must be between 0 and 720", code=2)
    settings = _settings(ctx, config)

    async def action(store: KeyStore) -> tuple[KeyInfo, KeyInfo, str] | None:
        done = await store.rotate(key_id, grace=dt.timedelta(hours=grace_hours))
        if done is not None:
            old, new, _ = done
            details = {"key_id": old.id, "new_key_id": new.id, "grace_hours": grace_hours}
            await write_now(store.database, app=old.app, action="key_rotate", actor=actor(), details=details)  # type: ignore[arg-type]
        return done

    done = _run(settings, action)
    if done is None:
        fail(f"no key with id {key_id}")
    old, new, key = done
    err = Console(stderr=True)
    until = old.expires_at.strftime("%Y-%m-%d %H:%M UTC") if old.expires_at else "never"
    err.print(
        f"Rotated key [bold]{old.id}[/] of app [bold]{old.app}[/]: new key [bold]{new.id}[/]; "
        f"the old key works until {until}."
    )
    err.print("Store it now: it is shown only this once.")
    typer.echo(key)


@app.command("expire")
def expire(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")],
    at: Annotated[str, typer.Option("--at", help="2027-01-31 or 2027-01-31T12:00 (UTC), or 'never'.")],
    config: ConfigOption = None,
) -> None:
    """Set when a key stops working (or 'never')."""
    expiry = None if at == "never" else _expiry(at)
    settings = _settings(ctx, config)

    async def action(store: KeyStore) -> KeyInfo | None:
        info = await store.set_expiry(key_id, expiry)
        if info is not None:
            details = {"key_id": info.id, "expires_at": expiry.isoformat() if expiry else None}
            await write_now(store.database, app=info.app, action="key_expiry", actor=actor(), details=details)  # type: ignore[arg-type]
        return info

    info = _run(settings, action)
    if info is None:
        fail(f"no key with id {key_id}")
    typer.echo(f"Key {info.id} of app {info.app} expires {expiry.isoformat() if expiry else 'never'}.")
