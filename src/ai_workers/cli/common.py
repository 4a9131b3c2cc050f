"""What every CLI command shares: the global ``--config`` option's value and one rich console.

Commands in other modules (``serve``, ``report``, ``scan``...) call ``settings_from(ctx)`` to get the
Settings the user pointed at, and ``fail(exc)`` to turn a library error into a red message and exit 1.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from ai_workers.core.config import ConfigError, Settings, load_settings
from ai_workers.core.errors import AIWorkersError

console = Console()
err_console = Console(stderr=True)


def table_console() -> Console:
    """Where tables go: the terminal at its width; piped or redirected (a file, grep, a CI log), a console
    wide enough that rich does not squeeze the columns into an assumed 80 and cut values to "cli…"."""
    return console if console.is_terminal else Console(file=sys.stdout, width=240)


@dataclass
class CLIState:
    config_path: Path | None = None
    _settings: Settings | None = None

    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings(self.config_path)
            except ConfigError as exc:
                fail(exc)
        return self._settings


def state_from(ctx: typer.Context) -> CLIState:
    root = ctx.find_root()
    if not isinstance(root.obj, CLIState):
        root.obj = CLIState()
    return root.obj


def settings_from(ctx: typer.Context) -> Settings:
    """The Settings for this invocation (``--config``, ``AI_WORKERS_CONFIG`` or built-in defaults)."""
    return state_from(ctx).settings()


def config_path_from(ctx: typer.Context) -> Path | None:
    return state_from(ctx).config_path


def fail(exc: AIWorkersError | ConfigError | str, code: int = 1) -> NoReturn:
    message = exc if isinstance(exc, str) else getattr(exc, "message", str(exc))
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)
