"""The gateway's event loop accepts a burst of new connections at once, even while it is busy.

Stock uvloop (libuv >= 1.45) accepts one connection per loop iteration; a saturated worker's iteration
takes tens of milliseconds, so the last of 64 connections opened together waited about a second before
its request was read. These tests count loop iterations, not time, so they hold on a loaded machine.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvloop

from ai_workers.server import event_loop
from ai_workers.server.event_loop import new_event_loop
from tests.support.serve import serving_on_embedded_defaults, stop_gracefully

BURST = 40


async def _iterations_to_accept(burst: int) -> int:
    """Open ``burst`` connections before the server's loop looks, keep the loop busy (a callback ready
    on every iteration, as in a saturated worker) and count iterations until every one is made."""
    loop = asyncio.get_running_loop()
    made = 0
    all_made = asyncio.Event()

    class Counting(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            nonlocal made
            made += 1
            if made == burst:
                all_made.set()

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = await loop.create_server(Counting, sock=listener, backlog=128)
    port = listener.getsockname()[1]
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(burst)]  # the kernel queues them
    iterations = 0

    def busy() -> None:
        nonlocal iterations
        iterations += 1
        if not all_made.is_set():
            loop.call_soon(busy)

    loop.call_soon(busy)
    try:
        await asyncio.wait_for(all_made.wait(), 60)
    finally:
        server.close()
        await server.wait_closed()
        for client in clients:
            client.close()
    return iterations


def _run(factory: Callable[[], asyncio.AbstractEventLoop], coro: Any) -> Any:
    loop = factory()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def test_stock_uvloop_accepts_one_connection_per_iteration() -> None:
    """The premise: why the gateway has a loop of its own."""
    assert _run(uvloop.new_event_loop, _iterations_to_accept(BURST)) >= BURST


def test_the_gateway_loop_accepts_a_burst_in_a_few_iterations() -> None:
    assert _run(new_event_loop, _iterations_to_accept(BURST)) <= 5


def test_a_closed_server_refuses_new_connections_and_keeps_open_ones() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        received: list[bytes] = []

        class Echo(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self.transport = transport

            def data_received(self, data: bytes) -> None:
                received.append(data)
                self.transport.write(data)  # type: ignore[attr-defined]

        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        server = await loop.create_server(Echo, sock=listener)
        assert server.is_serving() and server.sockets == (listener,)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"one")
        assert await reader.readexactly(3) == b"one"
        server.close()
        await server.wait_closed()
        assert not server.is_serving()
        with pytest.raises(OSError):
            await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"two")  # the connection made before close() still works
        assert await reader.readexactly(3) == b"two"
        writer.close()

    _run(new_event_loop, scenario())


def test_tls_unix_and_host_port_servers_keep_uvloops_own_accepting() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(asyncio.Protocol, host="127.0.0.1", port=0)
        assert not isinstance(server, event_loop.DrainingServer)
        server.close()
        await server.wait_closed()

    _run(new_event_loop, scenario())


def test_out_of_file_descriptors_pauses_accepting_then_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_loop, "RESOURCE_PAUSE_S", 0.05)

    class Exhausted(socket.socket):
        failures = 1

        def accept(self) -> tuple[socket.socket, Any]:
            if Exhausted.failures:
                Exhausted.failures -= 1
                raise OSError(errno.EMFILE, "Too many open files")
            return super().accept()

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        made = asyncio.Event()

        class Made(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                made.set()

        listener = Exhausted()
        listener.bind(("127.0.0.1", 0))
        server = await loop.create_server(Made, sock=listener)
        client = socket.create_connection(listener.getsockname())
        await asyncio.wait_for(made.wait(), 30)  # refused once with EMFILE, accepted after the pause
        assert Exhausted.failures == 0
        client.close()
        server.close()
        await server.wait_closed()

    _run(new_event_loop, scenario())


def test_the_cli_serves_through_the_gateway_loop(tmp_path: Path) -> None:
    """`serve` runs uvicorn on GatewayLoop: 32 connections opened at once are all answered, and it stops
    cleanly."""

    async def burst(url: str) -> list[int]:
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=url, limits=limits) as client:
            answers = await asyncio.gather(*(client.get("/health") for _ in range(32)))
        return [a.status_code for a in answers]

    with serving_on_embedded_defaults(tmp_path) as (proc, url):
        assert asyncio.run(burst(url)) == [200] * 32
        stop_gracefully(proc)
