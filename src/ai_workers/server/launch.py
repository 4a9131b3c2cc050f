"""The process ``ai-workers serve`` becomes once its settings are checked: uvicorn and the app, no CLI.

``serve`` validates the settings (one clear line for a bad file), then replaces itself with this module
(``exec``: same pid, so systemd, signals and ``kill`` see no difference). Two reasons:

* uvicorn starts its worker processes with multiprocessing's *spawn*, which imports the parent's
  ``__main__`` module in every worker before the worker answers the supervisor's first health check.
  When that module was the CLI (typer, rich and every command's imports: about 3 s on a busy 2-core
  machine), a worker could miss uvicorn's 5 s check and be killed and replaced while starting (seen in
  the benchmark: one of two workers gone, its connections reset). This module imports only uvicorn.
* The serving processes no longer hold the CLI's modules (``serve --workers 1`` serves from this
  process itself): less resident memory per worker.

It also caps glibc's malloc arenas (``MALLOC_ARENA_MAX``, read by the C library at process start, so
it is set before the ``exec``): each thread that allocates (database drivers' threads, ``to_thread``)
otherwise gets an arena of its own, and their fragmentation showed as resident memory growing with the
requests served (about 6 MB fewer after 20k requests with 2 arenas). An operator's own setting wins.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

MALLOC_ARENAS = "2"


def exec_server(options: dict[str, Any]) -> NoReturn:
    """Replace this process with ``python -m ai_workers.server.launch`` running uvicorn with ``options``
    (``uvicorn.run`` keywords); the environment (``AI_WORKERS_*``) carries the rest."""
    env = dict(os.environ)
    env.setdefault("MALLOC_ARENA_MAX", MALLOC_ARENAS)
    # The new interpreter must find this package where this one did (a source checkout on sys.path).
    root = str(Path(__file__).resolve().parents[2])
    paths = env.get("PYTHONPATH", "").split(os.pathsep) if env.get("PYTHONPATH") else []
    if root not in paths and not root.endswith(("site-packages", "dist-packages")):
        env["PYTHONPATH"] = os.pathsep.join([root, *paths])
    sys.stdout.flush()
    sys.stderr.flush()
    command = [sys.executable, "-m", "ai_workers.server.launch", json.dumps(options)]
    os.execve(sys.executable, command, env)  # noqa: S606 - our own interpreter, no shell involved


def main() -> None:
    import uvicorn

    from ai_workers.server.workers import APP, Workers, serve_worker

    options = json.loads(sys.argv[1])
    workers = int(options.get("workers") or 1)
    if workers > 1:  # one SO_REUSEPORT socket per worker (server.workers explains why)
        uvicorn.Config(APP, factory=True, **options)  # configures logging as uvicorn.run would
        raise SystemExit(Workers(options, workers).run())
    serve_worker(options)


if __name__ == "__main__":
    main()
