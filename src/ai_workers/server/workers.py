"""``serve --workers N``: N uvicorn worker processes, each accepting on its own ``SO_REUSEPORT`` socket.

uvicorn's own multi-process mode binds one listening socket and lets every worker accept from it. On
Linux the worker whose event loop wakes first takes every connection waiting in the queue, so a client
that opens its connections in a burst (a pool, a load balancer's keep-alive connections, ``wrk``) lands
most of them on one worker, and keep-alive keeps them there: measured with 64 connections and 2
workers, 45/19 and 19/45 splits, one worker saturated while the other idled, and two workers served no
more than one. With one socket per worker in a ``SO_REUSEPORT`` group the kernel spreads new
connections over the workers' sockets by a hash of their addresses instead (32 +/- a few of 64).

The supervisor is uvicorn's, reduced to what the gateway needs: it starts the workers (multiprocessing
*spawn*, as uvicorn does), restarts one that dies (on a fresh socket: connections queued on a dead
worker's socket are refused, not left waiting for its replacement), stops when a worker fails at
start-up (exit code 3, uvicorn's: a broken app or configuration would fail the same way every time),
and on SIGTERM/SIGINT passes SIGTERM to every worker (each finishes its requests in flight and flushes
its usage records) and waits for them. SIGHUP replaces the workers one by one.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
from multiprocessing.process import BaseProcess
from typing import Any

APP = "ai_workers.server.app:app_from_env"
STARTUP_FAILURE = 3  # uvicorn's exit code for a worker that could not start
CHECK_S = 0.5

log = logging.getLogger("uvicorn.error")


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) in the port's ``SO_REUSEPORT`` group (listening starts in
    the worker, so the kernel hands it connections only once it serves)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def serve_worker(options: dict[str, Any], sock: socket.socket | None = None) -> None:
    """A worker process: the app under uvicorn on its own socket (run in the spawned process). Without
    a socket (``serve`` with one worker) it binds the configured host and port itself, so one worker is
    served through ``create_server(sock=...)`` too, where server.event_loop drains bursts of accepts."""
    import uvicorn

    config = uvicorn.Config(APP, factory=True, **options)
    server = uvicorn.Server(config)
    server.run(sockets=[sock if sock is not None else config.bind_socket()])
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)


class Workers:
    """Runs ``count`` worker processes until SIGTERM/SIGINT; returns the exit code for the parent."""

    def __init__(self, options: dict[str, Any], count: int) -> None:
        self.options = {k: v for k, v in options.items() if k != "workers"}
        self.count = count
        self.host = str(options.get("host") or "127.0.0.1")
        self.port = int(options.get("port") or 8000)
        self._spawn = multiprocessing.get_context("spawn")
        self._slots: list[tuple[BaseProcess, socket.socket] | None] = [None] * count
        self._stop = threading.Event()
        self._signals: list[int] = []

    def _start(self, slot: int) -> None:
        sock = reuseport_socket(self.host, self.port)
        process = self._spawn.Process(target=serve_worker, args=(self.options, sock), name=f"worker-{slot}")
        process.start()
        self._slots[slot] = (process, sock)

    def _retire(self, slot: int, *, terminate: bool) -> int | None:
        held = self._slots[slot]
        if held is None:
            return None
        process, sock = held
        if terminate and process.is_alive() and process.pid is not None:
            os.kill(process.pid, signal.SIGTERM)
        process.join()
        sock.close()
        self._slots[slot] = None
        return process.exitcode

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._signals.append(signum)
        if signum in (signal.SIGINT, signal.SIGTERM):
            self._stop.set()

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        # Bind once without SO_REUSEPORT first: a port in use (even by another server's SO_REUSEPORT
        # group, which the workers' sockets would silently join) fails now, in one clear line.
        try:
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind((self.host, self.port))
        except OSError as exc:
            log.error("cannot listen on %s:%d: %s", self.host, self.port, exc)
            return STARTUP_FAILURE
        log.info("Started parent process [%d]: %d workers", os.getpid(), self.count)
        for slot in range(self.count):
            self._start(slot)
        code = 0
        while not self._stop.wait(CHECK_S):
            if signal.SIGHUP in self._signals:
                self._signals.clear()
                for slot in range(self.count):  # one at a time: the others keep serving
                    self._retire(slot, terminate=True)
                    self._start(slot)
            for slot, held in enumerate(self._slots):
                if held is None or held[0].is_alive():
                    continue
                exitcode = self._retire(slot, terminate=False)
                if exitcode == STARTUP_FAILURE:
                    log.error("worker %d failed to start; stopping", slot)
                    self._stop.set()
                    code = STARTUP_FAILURE
                    break
                log.warning("worker %d died (exit code %s); starting a new one", slot, exitcode)
                self._start(slot)
        for slot in range(self.count):
            held = self._slots[slot]
            if held is not None and held[0].is_alive() and held[0].pid is not None:
                os.kill(held[0].pid, signal.SIGTERM)  # all at once: they drain in parallel
        for slot in range(self.count):
            self._retire(slot, terminate=False)
        log.info("Stopping parent process [%d]", os.getpid())
        return code
