"""`ai-workers serve --workers 2`: connections spread over both workers; a killed worker is replaced."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.serve import wait_until
from tests.support.services import free_port


def _workers(parent: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{parent}/task").iterdir():
        for pid in (task / "children").read_text().split():
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                out.append(int(pid))
    return sorted(out)


def _established(pid: int, port: int) -> int:
    """How many established TCP connections to ``port`` the process holds (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # 01: ESTABLISHED
                inodes.add(fields[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            held += 1
    return held


def test_connections_spread_over_workers_and_a_killed_worker_is_replaced(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "AI_WORKERS_DATA_DIR": str(tmp_path)}
    env.pop("AI_WORKERS_CONFIG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ai_workers.cli.main", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    connections: list[http.client.HTTPConnection] = []
    try:

        def up() -> bool:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                ok = httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
            except httpx.TransportError:
                return False
            return ok and len(_workers(proc.pid)) == 2

        wait_until(up, "two workers to serve")
        time.sleep(1.0)  # both workers listening, not only the first one up
        # A client pool opening its keep-alive connections in a burst: with one shared listening socket
        # the first worker to wake took most of them; each worker's own socket spreads them.
        for _ in range(32):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/health")
            assert conn.getresponse().read()
            connections.append(conn)
        first, second = _workers(proc.pid)
        held = [_established(first, port), _established(second, port)]
        assert sum(held) == 32
        assert min(held) >= 6, held  # a fair coin per connection: fewer than 6 of 32 is p < 1e-4

        os.kill(first, signal.SIGKILL)
        wait_until(lambda: first not in _workers(proc.pid) and up(), "the killed worker to be replaced")
        for _ in range(20):  # new connections reach a live worker, whichever socket they hash to
            assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=30).status_code == 200

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        output = proc.stdout.read().decode() if proc.stdout else ""
        assert output.count("Application shutdown complete") == 2, output
        assert "worker 0 died" in output or "worker 1 died" in output, output
    finally:
        for conn in connections:
            conn.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
