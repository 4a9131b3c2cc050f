"""``ai-workers cache``: clear (by app, model or key prefix), warm from a JSONL file, stats.

Two ways to reach the cache:

- ``--server URL --api-key ADMIN_KEY`` (or ``AI_WORKERS_URL`` / ``AI_WORKERS_API_KEY``): through a running
  gateway's admin API. This is the only way to reach the default in-process cache, which lives inside
  the server process.
- Without ``--server``: directly on the configured shared backend (``cache.backend: redis``); warming
  then runs the requests through an in-process gateway with the same config.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import httpx
import msgspec
import typer
from rich.table import Table

from ai_workers.cli.common import console, fail, settings_from, table_console
from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.errors import AIWorkersError

T = TypeVar("T")

app = typer.Typer(help="The response cache: clear, warm, stats.", no_args_is_help=True)

ServerOption = Annotated[
    str | None,
    typer.Option("--server", envvar="AI_WORKERS_URL", help="A running gateway's URL (uses its admin API)."),
]
KeyOption = Annotated[
    str | None,
    typer.Option("--api-key", envvar="AI_WORKERS_API_KEY", help="An admin key for --server."),
]


def _require_shared(settings: Settings) -> None:
    from ai_workers.cache.config import backend_spec

    try:
        spec = backend_spec(settings)
    except ValueError as exc:
        fail(str(exc))
    if spec.kind == "memory":
        fail(
            "The cache is in-process (cache.backend: memory), so it lives inside the running server: "
            "pass --server URL --api-key ADMIN_KEY, or configure cache.backend: redis."
        )


def _direct(settings: Settings, action: Callable[[Any], Awaitable[T]]) -> T:
    from ai_workers.cache.stage import CacheStage

    _require_shared(settings)

    async def main() -> T:
        stage = CacheStage(ConfigStore(settings))
        try:
            return await action(stage)
        finally:
            await stage.stop()

    try:
        return asyncio.run(main())
    except AIWorkersError as exc:
        fail(exc)
    except OSError as exc:
        fail(f"cannot reach the cache backend: {exc}")


def _admin(server: str, key: str | None, method: str, path: str, **kwargs: Any) -> Any:
    if not key:
        fail("--server needs an admin key: --api-key or AI_WORKERS_API_KEY")
    try:
        response = httpx.request(
            method,
            server.rstrip("/") + path,
            headers={"Authorization": f"Bearer {key}"},
            timeout=600,
            **kwargs,
        )
    except httpx.HTTPError as exc:
        fail(f"cannot reach {server}: {exc}")
    if response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:200]
        fail(f"{response.status_code}: {message}")
    return response.json()


@app.command("clear")
def clear(
    ctx: typer.Context,
    app_name: Annotated[str | None, typer.Option("--app", help="Only this app's entries.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Only entries answered by this model.")] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="Only keys starting with this prefix.")
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", help="One entry, as a hit's x-ai-workers-cache-key header names it."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Everything (needed when no filter is given).")] = False,
    server: ServerOption = None,
    api_key: KeyOption = None,
) -> None:
    """Invalidate cached answers; every given filter must match."""
    if app_name is None and model is None and prefix is None and key is None and not all_:
        fail("give --app, --model, --prefix or --key, or --all to clear the whole cache")
    if server:
        body = {"app": app_name, "model": model, "prefix": prefix, "key": key, "all": all_}
        removed = _admin(server, api_key, "POST", "/admin/cache/invalidate", json=body)["removed"]
    else:
        removed = _direct(
            settings_from(ctx),
            lambda stage: stage.invalidate(app=app_name, model=model, prefix=prefix, key=key),
        )
    console.print(f"removed {removed['exact']} exact and {removed['semantic']} semantic entries")


@app.command("warm")
def warm_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSONL: one chat (or embedding) request body per line.")],
    app_name: Annotated[str, typer.Option("--app", help="Run the requests as this app.")],
    server: ServerOption = None,
    api_key: KeyOption = None,
) -> None:
    """Run a file of requests through the gateway so their answers are cached."""
    from ai_workers.cache.warm import WarmReport, parse_warm_file, warm

    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text("utf-8")
    except OSError as exc:
        fail(f"cannot read {file}: {exc}")
    if server:
        report = msgspec.convert(
            _admin(server, api_key, "POST", f"/admin/cache/warm?app={app_name}", content=text.encode()),
            WarmReport,
        )
    else:
        settings = settings_from(ctx)
        _require_shared(settings)
        try:
            requests = parse_warm_file(text)
        except AIWorkersError as exc:
            fail(exc)

        async def main() -> WarmReport:
            from ai_workers.core.context import AppIdentity, RequestContext
            from ai_workers.core.types import Capability, ChatRequest
            from ai_workers.gateway import Gateway

            async with Gateway(settings) as gateway:

                async def run(request: Any) -> RequestContext:
                    capability = (
                        Capability.CHAT if isinstance(request, ChatRequest) else Capability.EMBEDDINGS
                    )
                    ctx = gateway.context(
                        AppIdentity(app_name), capability, request.model, route="cache-warm"
                    )
                    await gateway.run(ctx, request)
                    return ctx

                result = await warm(run, requests)
                await gateway.cache.flush()
                return result

        report = asyncio.run(main())
    console.print(
        f"{report.requests} requests: {report.stored} stored, {report.already_cached} already cached, "
        f"{report.not_cacheable} not cacheable, {report.failed} failed"
    )
    for error in report.errors:
        console.print(f"  [red]{error}[/]", highlight=False)
    if report.failed:
        raise typer.Exit(1)


@app.command("stats")
def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the raw JSON.")] = False,
    server: ServerOption = None,
    api_key: KeyOption = None,
) -> None:
    """Entries, bytes and hit rate (hit counts are per server process, so only --server has them)."""
    if server:
        data = _admin(server, api_key, "GET", "/admin/cache/stats")
    else:

        async def get(stage: Any) -> Any:
            return msgspec.to_builtins(await stage.stats())

        data = _direct(settings_from(ctx), get)
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    table = Table("store", "backend", "entries", "bytes")
    table.add_row(
        "exact", data["exact"]["backend"], str(data["exact"]["entries"]), f"{data['exact']['bytes']:,}"
    )
    sem = data["semantic"]
    table.add_row(
        "semantic", sem["backend"], f"{sem['entries']} in {sem['scopes']} scopes", f"{sem['bytes']:,}"
    )
    table_console().print(table)
    for kind, counts in sorted(data["requests"].items()):
        console.print(f"{kind}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if data.get("hit_rate") is not None:
        console.print(f"hit rate: {data['hit_rate']:.1%}")
