"""N ``ai-workers serve`` replicas behind Debian's nginx, on one host's ports.

Shared by ``bench/bench_gateway.py --replicas N`` and the scale-out test (``tests/scaleout/``): each
replica is its own ``ai-workers serve`` process (its own config file, so its own data directory for the
usage journal and spool, as on separate machines), all sharing the PostgreSQL and Redis the configs
name; nginx runs the configuration ``ai-workers nginx-config`` generates (``ai_workers.cli.deploy``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from ai_workers.cli.deploy import nginx_site, nginx_standalone

ROOT = Path(__file__).resolve().parents[1]


def nginx_binary() -> str | None:
    """Debian's nginx (``apt-get install nginx-light``), or None when it is not installed."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes] | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s")
        time.sleep(0.05)


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 60.0) -> int:
    """Signal the process group (the server and anything it spawned), then wait."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    return proc.returncode


class Replica:
    """One ``ai-workers serve`` process on its own port, with its own config file and log."""

    def __init__(
        self, index: int, config: Path, log: Path, *, port: int | None = None, workers: int = 1
    ) -> None:
        self.index, self.config, self.log, self.workers = index, config, log, workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, env: dict[str, str] | None = None) -> None:
        env = {
            **os.environ,
            **(env or {}),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        env.pop("AI_WORKERS_DATA_DIR", None)  # the config file names each replica's own
        env.pop("AI_WORKERS_CONFIG", None)
        command = [sys.executable, "-m", "ai_workers.cli.main", "--config", str(self.config), "serve",
                   "--port", str(self.port), "--workers", str(self.workers)]  # fmt: skip
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 120.0) -> None:
        wait_port(self.port, self.proc, timeout)

    def pids(self) -> list[int]:
        """The serving processes: the server itself with one worker, else its worker children."""
        if self.proc is None or self.proc.poll() is not None:
            return []
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        kids = [int(x) for x in children.read_text().split()] if children.exists() else []
        serving = []
        for kid in kids:
            with contextlib.suppress(OSError):
                if b"resource_tracker" not in Path(f"/proc/{kid}/cmdline").read_bytes():
                    serving.append(kid)
        return serving or [self.proc.pid]

    def kill(self) -> None:
        """SIGKILL, as a crashed machine or the OOM killer would: nothing is flushed."""
        if self.proc is not None:
            _stop(self.proc, signal.SIGKILL, timeout=10)

    def stop(self) -> int | None:
        """SIGTERM: in-flight requests finish and queued usage records are flushed."""
        return _stop(self.proc) if self.proc is not None else None


class Nginx:
    """nginx in front of ``ports``, with every file it writes under ``prefix``."""

    def __init__(
        self, ports: list[int], prefix: Path, *, listen_port: int | None = None, workers: int = 1
    ) -> None:
        self.ports, self.prefix, self.workers = ports, prefix, workers
        self.port = listen_port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed: apt-get install -y nginx-light")
        self.prefix.mkdir(parents=True, exist_ok=True)
        site = nginx_site(self.ports, listen=f"127.0.0.1:{self.port}", fail_timeout_s=3)
        # As root, nginx's workers would drop to an unprivileged user that cannot enter a private temp dir.
        user = "root" if os.geteuid() == 0 else None
        conf = self.prefix / "nginx.conf"
        conf.write_text(nginx_standalone(site, self.prefix, worker_processes=self.workers, user=user))
        command = [binary, "-p", str(self.prefix), "-e", str(self.prefix / "error.log"), "-c", str(conf),
                   "-g", "daemon off;"]  # fmt: skip
        with (self.prefix / "stdout.log").open("ab") as out:
            self.proc = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_port(self.port, self.proc, 30)

    def pids(self) -> list[int]:
        if self.proc is None:
            return []
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        kids = [int(x) for x in children.read_text().split()] if children.exists() else []
        return [self.proc.pid, *kids]

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc, signal.SIGQUIT, timeout=20)
