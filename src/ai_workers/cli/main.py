"""The ``ai-workers`` command: one typer app; each concern adds its commands with one line below.

Base commands (this module and cli/models.py): ``models``, ``chat`` (streams to the terminal) and
``embed``. The global ``--config PATH`` option (or ``AI_WORKERS_CONFIG``) applies to every command;
commands read it with ``ai_workers.cli.common.settings_from(ctx)``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import typer

from ai_workers.cli.apps import app as apps_app
from ai_workers.cli.batch import app as batch_app
from ai_workers.cli.cache import app as cache_app
from ai_workers.cli.common import CLIState, console, err_console, fail, settings_from
from ai_workers.cli.deploy import nginx_config
from ai_workers.cli.keys import app as keys_app
from ai_workers.cli.models import models
from ai_workers.cli.rag import ask, ingest
from ai_workers.cli.report import app as report_app
from ai_workers.cli.scan import scan
from ai_workers.cli.serve import serve
from ai_workers.core.errors import AIWorkersError
from ai_workers.core.types import Usage

app = typer.Typer(
    name="ai-workers",
    help="AI gateway for Cloudflare Workers AI, OpenAI and local models.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    config: Path | None = typer.Option(
        None,
        "--config",
        "-c",
        envvar="AI_WORKERS_CONFIG",
        help="YAML config file (default: built-in defaults).",
    ),
) -> None:
    ctx.obj = CLIState(config_path=config)


app.command("models")(models)


@app.command()
def chat(
    ctx: typer.Context,
    prompt: str = typer.Argument(..., help="The message to send ('-' reads it from stdin)."),
    model: str = typer.Option(
        "llama-3.3-70b-instruct-fp8-fast", "--model", "-m", help="Model name or alias."
    ),
    app_name: str = typer.Option("default", "--app", help="Record and budget the call as this app."),
    system: str | None = typer.Option(None, "--system", "-s", help="A system message."),
    max_tokens: int | None = typer.Option(None, "--max-tokens", help="Cap on the answer's length."),
    no_stream: bool = typer.Option(
        False, "--no-stream", help="Wait for the whole answer instead of streaming."
    ),
) -> None:
    """Send one chat message and stream the answer to the terminal."""
    from ai_workers.client import AsyncClient

    text = sys.stdin.read() if prompt == "-" else prompt
    messages: list[dict[str, str]] = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": text})
    params = {"max_tokens": max_tokens} if max_tokens else {}

    async def run() -> None:
        async with AsyncClient(settings_from(ctx), app=app_name) as client:
            usage: Usage | None
            if no_stream:
                response = await client.chat(messages, model, **params)
                console.print(response.text, highlight=False, markup=False)
                info, usage = response.x_ai_workers, response.usage
            else:
                stream = client.stream(messages, model, **params)
                async for chunk in stream:
                    sys.stdout.write(chunk.text)
                    sys.stdout.flush()
                sys.stdout.write("\n")
                info, usage = stream.info, stream.usage
            if info is not None:
                cost = f", ${info.cost_usd:.6f}" if info.cost_usd is not None else ""
                tokens = f"{usage.prompt_tokens}+{usage.completion_tokens} tokens" if usage else ""
                where = f"{info.provider}:{info.provider_model}"
                err_console.print(
                    f"[dim]{where} · {tokens}{cost} · {info.latency_ms:.0f} ms[/]",
                    highlight=False,
                )

    try:
        asyncio.run(run())
    except AIWorkersError as exc:
        fail(exc)


@app.command()
def embed(
    ctx: typer.Context,
    texts: list[str] = typer.Argument(..., help="One or more texts to embed."),
    model: str = typer.Option("bge-m3", "--model", "-m", help="Embedding model name or alias."),
    app_name: str = typer.Option("default", "--app", help="Record and budget the call as this app."),
    as_json: bool = typer.Option(False, "--json", help="Print the full vectors as JSON."),
) -> None:
    """Embed texts and print the vectors (a preview, or everything with --json)."""
    from ai_workers.client import AsyncClient

    async def run() -> None:
        async with AsyncClient(settings_from(ctx), app=app_name) as client:
            response = await client.embed(texts, model)
        vectors = response.vectors()
        if as_json:
            sys.stdout.write(json.dumps({"model": response.model, "embeddings": vectors}) + "\n")
            return
        for text, vector in zip(texts, vectors, strict=True):
            preview = ", ".join(f"{v:.4f}" for v in vector[:6])
            console.print(f"{len(vector)}-d  [{preview}, ...]  {text[:60]}", highlight=False, markup=False)
        info = response.x_ai_workers
        if info is not None:
            err_console.print(f"[dim]{info.provider}:{info.provider_model} · {info.latency_ms:.0f} ms[/]")

    try:
        asyncio.run(run())
    except AIWorkersError as exc:
        fail(exc)


# -- commands owned by other packages register here, one line each ------------------------------------
app.command("serve")(serve)
app.command("nginx-config")(nginx_config)  # nginx in front of N replicas
app.add_typer(keys_app, name="keys")
app.add_typer(apps_app, name="apps")  # apps, their PHI policy and budgets
app.add_typer(report_app, name="report")
app.add_typer(cache_app, name="cache")
app.add_typer(batch_app, name="batch")  # batch submit | status | results
app.command("scan")(scan)  # PHI scan of a file, stdin or JSONL export
app.command("ingest")(ingest)  # RAG ingest of a file or folder into a collection
app.command("ask")(ask)  # RAG question over a collection, with citations


if __name__ == "__main__":  # pragma: no cover
    app()
