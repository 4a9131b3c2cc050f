"""`ai-workers serve` as a user starts it: a subprocess on a free port, waited for until it answers, and
stopped with SIGTERM (the tests of serve's life cycle and of its event loop share this)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.support.services import free_port


def wait_until(predicate: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@contextmanager
def serving_on_embedded_defaults(data_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """(process, base URL) of `serve` with no config file, once /health answers; killed on exit if the
    test did not stop it."""
    port = free_port()
    env = {**os.environ, "AI_WORKERS_DATA_DIR": str(data_dir)}
    env.pop("AI_WORKERS_CONFIG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ai_workers.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                return httpx.get(url + "/health").status_code == 200
            except httpx.TransportError:
                return False

        wait_until(up, "the server to start")
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def stop_gracefully(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then the exit and the log line of a graceful shutdown."""
    proc.send_signal(signal.SIGTERM)
    # uvicorn re-raises the signal after its graceful shutdown, so the status may be -SIGTERM.
    assert proc.wait(timeout=60) in (0, -signal.SIGTERM)
    output = proc.stdout.read().decode() if proc.stdout else ""
    assert "Application shutdown complete" in output, output
