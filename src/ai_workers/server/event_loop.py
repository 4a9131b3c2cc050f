"""The gateway's event loop: uvloop, but a listening socket that is readable gets drained.

libuv (uvloop bundles 1.52) accepts one connection per loop iteration since 1.45 (libuv#3696: the
second ``accept()`` nearly always failed with EAGAIN). A saturated worker's loop iteration runs every
ready request's callbacks, tens of milliseconds, so a burst of new connections (a client's pool
opening, a load balancer reconnecting, ``wrk``) was accepted one per iteration: of 64 connections
opened at once to one busy worker, the last waited about 1 s before its request was read, though the
gateway answered each request within 100 ms once read (seen with strace as one ``accept4`` per
iteration; bench/bench_gateway.py's 1-worker p99 at c=64 was this). Python's own selector loop
accepts up to ``backlog`` connections per readiness event; ``GatewayLoop`` does the same on uvloop for
the plain TCP listening sockets the gateway serves on: the socket is watched with ``add_reader`` and
accepted from until EAGAIN, and each connection is handed to uvloop (``connect_accepted_socket``),
whose transports are the same as for connections it accepts itself.

TLS and Unix-socket servers keep uvloop's own accepting.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from collections.abc import Callable
from typing import Any

import uvloop

log = logging.getLogger("uvicorn.error")

# accept() errors that say the process or the machine is out of a resource: stop accepting for a
# moment instead of spinning on a listening socket that stays readable (what asyncio does).
_RESOURCE_ERRORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
RESOURCE_PAUSE_S = 1.0


class DrainingServer(asyncio.AbstractServer):
    """A listening TCP socket accepted from until it has nothing pending, on every readiness event."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        protocol_factory: Callable[[], asyncio.BaseProtocol],
        sock: socket.socket,
        backlog: int,
    ) -> None:
        self._loop = loop
        self._protocol_factory = protocol_factory
        self._sock: socket.socket | None = sock
        self._backlog = backlog
        self._connecting: set[asyncio.Task[Any]] = set()
        self._closed = asyncio.Event()
        sock.setblocking(False)
        sock.listen(backlog)
        self._watch()

    def _watch(self) -> None:
        if self._sock is not None:
            self._loop.add_reader(self._sock.fileno(), self._accept_pending)

    def _accept_pending(self) -> None:
        sock = self._sock
        if sock is None:
            return
        for _ in range(self._backlog):
            try:
                conn, _address = sock.accept()
            except (BlockingIOError, InterruptedError):
                return  # drained
            except OSError as exc:
                if exc.errno in _RESOURCE_ERRORS:
                    log.error("accepting connections paused for %gs: %s", RESOURCE_PAUSE_S, exc)
                    self._loop.remove_reader(sock.fileno())
                    self._loop.call_later(RESOURCE_PAUSE_S, self._watch)
                return  # ECONNABORTED and the like: that connection is gone, the next event goes on
            conn.setblocking(False)
            task = self._loop.create_task(self._loop.connect_accepted_socket(self._protocol_factory, conn))
            self._connecting.add(task)
            task.add_done_callback(self._connected)

    def _connected(self, task: asyncio.Task[Any]) -> None:
        self._connecting.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.debug("an accepted connection failed before its protocol started: %r", error)

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return () if self._sock is None else (self._sock,)

    def close(self) -> None:
        """Stop accepting and close the listening socket; connections already made stay open."""
        sock, self._sock = self._sock, None
        if sock is not None:
            self._loop.remove_reader(sock.fileno())
            sock.close()
        for task in self._connecting:
            task.cancel()
        self._closed.set()

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def is_serving(self) -> bool:
        return self._sock is not None

    async def start_serving(self) -> None:
        """Serving starts when the server is made (as ``create_server``'s default ``start_serving``)."""

    async def serve_forever(self) -> None:
        await self._closed.wait()

    async def wait_closed(self) -> None:
        await self._closed.wait()
        if self._connecting:
            await asyncio.wait(set(self._connecting))


class GatewayLoop(uvloop.Loop):
    """uvloop with ``DrainingServer`` for servers on a given plain TCP socket (see the module doc)."""

    async def create_server(  # type: ignore[override]
        self,
        protocol_factory: Callable[[], asyncio.BaseProtocol],
        host: Any = None,
        port: Any = None,
        *,
        sock: socket.socket | None = None,
        backlog: int = 100,
        ssl: Any = None,
        **kwargs: Any,
    ) -> asyncio.AbstractServer:
        plain_tcp = sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6)
        if not plain_tcp or ssl is not None or host is not None or port is not None or kwargs:
            server: asyncio.AbstractServer = await super().create_server(
                protocol_factory, host, port, sock=sock, backlog=backlog, ssl=ssl, **kwargs
            )
            return server
        assert sock is not None
        return DrainingServer(self, protocol_factory, sock, backlog)


def new_event_loop() -> asyncio.AbstractEventLoop:
    """The loop factory ``serve`` gives uvicorn (``--loop ai_workers.server.event_loop:new_event_loop``)."""
    return GatewayLoop()
