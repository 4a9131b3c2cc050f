"""``ai-workers serve``: the HTTP gateway under uvicorn (uvloop + httptools).

Settings come from the embedded defaults, ``--config``/``AI_WORKERS_CONFIG`` and ``AI_WORKERS_*``
variables; they are validated here first so a bad file is one clear line, not a worker traceback.
The process then execs ``server.launch`` (uvicorn without the CLI's modules). On SIGTERM/SIGINT
uvicorn stops accepting connections, lets in-flight requests finish (up to ``server.graceful_timeout_s``),
then runs the app's shutdown, which flushes queued usage records.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ai_workers.cli.common import config_path_from, fail
from ai_workers.core.config import ConfigError, load_settings


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on (default from config: 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from config: 8787).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default from config: 1).")] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="YAML settings file (else AI_WORKERS_CONFIG).")
    ] = None,
    access_log: Annotated[
        bool, typer.Option(help="Log every request line (off: it costs throughput).")
    ] = False,
) -> None:
    """Start the gateway: OpenAI- and Workers-AI-compatible API, dashboard, metrics."""
    from ai_workers.server.launch import exec_server  # this process becomes the server (see there)

    config = config or config_path_from(ctx)  # `serve --config` or the global `ai-workers --config`
    if config is not None:
        # Worker processes build their settings from the environment (app_from_env).
        os.environ["AI_WORKERS_CONFIG"] = str(config.expanduser().resolve())
    try:
        settings = load_settings()
    except ConfigError as exc:
        fail(exc, code=2)
    server = settings.server
    if workers is not None:
        # The workers read their settings from the environment: tell them how many they are, so that
        # without Redis they share budget counters (usage.shared_counters) instead of each keeping its own.
        os.environ["AI_WORKERS_WORKERS"] = str(workers)
    exec_server(
        {
            "host": host or server.host,
            "port": port or server.port,
            "workers": workers or server.workers,
            "loop": "ai_workers.server.event_loop:new_event_loop",  # uvloop, draining accepts
            "http": "httptools",
            "lifespan": "on",
            "access_log": access_log,
            "log_level": settings.log_level.lower(),
            "timeout_graceful_shutdown": int(server.graceful_timeout_s),
            "timeout_keep_alive": 30,
        }
    )
