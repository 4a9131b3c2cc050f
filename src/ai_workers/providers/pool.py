"""A lean HTTP/1.1 keep-alive client for the gateway's JSON calls to providers.

Why our own rather than a library: every non-streaming request the gateway serves makes one of these
calls, so the client's CPU is paid on the hot path. Measured side by side on ``bench/bench_gateway.py``
(one worker, same fake upstream, same run), replacing aiohttp's ``ClientSession`` with this client cut
the gateway's CPU per request from 1,865 to 1,157 us at concurrency 1 and from 1,079 to 852 us at 64,
and its added p50 latency at concurrency 1 from 1.64 to 0.85 ms. (httpx2's pool cost more than
aiohttp.) It does one job: a request whose headers and body go out in one write, a response read to
its end by ``httptools`` (the C parser uvicorn uses), the connection kept for the next call. Streams
and multipart uploads still go through httpx2 (``providers/http.py``).

What it handles: ``http`` and ``https`` (certificate verification on, optional CA file), a connection
limit per origin, a connect timeout and a response timeout, at most ``max_idle`` idle connections per
origin (the rest close as they come back, so a burst does not leave one open connection per request it
had in flight) and idle connections closed by a timer before the common 5 s server keep-alive timeout,
chunked and length-delimited and read-to-close bodies,
``gzip``/``deflate`` bodies (it never asks for them), and one immediate retry on a fresh connection
when a reused keep-alive connection turns out to have been closed by the server before it answered
a single byte (the request never reached the application; the race every keep-alive client has).
"""

from __future__ import annotations

import asyncio
import ssl
import time
import zlib
from collections.abc import Awaitable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httptools

# How long an idle connection beyond ``max_idle`` stays open for the next call before it is closed.
SURPLUS_LINGER_S = 0.5


class Headers(dict[str, str]):
    """Response headers with lower-case names; lookups ignore case (as httpx's and aiohttp's do)."""

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)


class UpstreamResponse:
    """A finished, fully read upstream response: what the adapters read of one (as httpx names it)."""

    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: Headers, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


class ResponseBroken(ConnectionError):
    """The upstream's response was cut off or was not valid HTTP."""


class _Connection(asyncio.Protocol):
    """One keep-alive connection; at most one request in flight (no pipelining)."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[UpstreamResponse] | None = None
        self.open = True
        self.idle_since = 0.0
        self.received = False  # any byte of the current response
        self._headers = Headers()
        self._body: list[bytes] = []
        self._header_name = ""
        self._headers_done = False

    # -- asyncio.Protocol ---------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(ResponseBroken("the upstream switched protocols"))
        except httptools.HttpParserError as exc:
            self._fail(ResponseBroken(f"invalid HTTP from the upstream: {exc}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        if self._headers_done and "content-length" not in self._headers and not self._chunked():
            self._complete()  # a body delimited by the end of the connection (RFC 9112 6.3)
            return
        if not self.received:
            self._fail(ConnectionResetError("the upstream closed the connection without answering"))
        else:
            self._fail(ResponseBroken("the upstream closed the connection mid-response"))

    # -- httptools callbacks ------------------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        previous = self._headers.get(key)
        dict.__setitem__(self._headers, key, text if previous is None else f"{previous}, {text}")

    def on_headers_complete(self) -> None:
        self._headers_done = True

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        if not self.parser.should_keep_alive():
            self.open = False
        self._complete()

    # -- the request --------------------------------------------------------------------------------

    def start(self, raw: bytes, waiter: asyncio.Future[UpstreamResponse]) -> None:
        self.waiter = waiter
        self.received = False
        self._headers = Headers()
        self._body = []
        self._headers_done = False
        assert self.transport is not None
        self.transport.write(raw)

    def close(self) -> None:
        self.open = False
        if self.transport is not None:
            self.transport.close()

    def _chunked(self) -> bool:
        return "chunked" in self._headers.get("transfer-encoding", "").lower()

    def _complete(self) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is None or waiter.done():
            return
        body = b"".join(self._body)
        encoding = self._headers.get("content-encoding", "").strip().lower()
        if encoding and encoding != "identity":
            try:
                body = _decode_body(body, encoding)
            except (ValueError, zlib.error) as exc:
                self.close()
                waiter.set_exception(ResponseBroken(f"undecodable {encoding} body: {exc}"))
                return
        waiter.set_result(UpstreamResponse(self.parser.get_status_code(), self._headers, body))

    def _fail(self, exc: BaseException) -> None:
        self.close()
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)


def _decode_body(body: bytes, encoding: str) -> bytes:
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompress(body, 47)  # 47: accept a gzip or a zlib header
    raise ValueError("unsupported content-encoding")


class OriginPool:
    """Keep-alive connections to one scheme://host:port, at most ``max_connections`` at a time."""

    def __init__(
        self,
        scheme: str,
        host: str,
        port: int,
        *,
        max_connections: int,
        keepalive_expiry_s: float,
        ssl_context: ssl.SSLContext | None,
        max_idle: int | None = None,
    ) -> None:
        self.host = host
        self.max_idle = max_connections if max_idle is None else max_idle
        self._sweep: asyncio.TimerHandle | None = None
        self._trim: asyncio.TimerHandle | None = None
        self.port = port
        self.keepalive_expiry_s = keepalive_expiry_s
        self.ssl_context = ssl_context if scheme == "https" else None
        self.host_header = host if port == (443 if scheme == "https" else 80) else f"{host}:{port}"
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(max_connections)

    async def request(self, raw: bytes, *, connect_timeout_s: float, timeout_s: float) -> UpstreamResponse:
        # acquire/release rather than ``async with``: the same semaphore, two coroutines fewer per call.
        await self._slots.acquire()
        try:
            conn = self._take_idle()
            if conn is not None:
                try:
                    return await self._exchange(conn, raw, timeout_s)
                except ConnectionResetError:
                    if conn.received:
                        raise
                    # The server had closed this idle connection before our request reached it.
            conn = await self._connect(connect_timeout_s)
            return await self._exchange(conn, raw, timeout_s)
        finally:
            self._slots.release()

    def _take_idle(self) -> _Connection | None:
        now = time.monotonic()
        while self._idle:
            conn = self._idle.pop()  # the most recently used: the least likely to have been closed
            if conn.open and now - conn.idle_since < self.keepalive_expiry_s:
                return conn
            conn.close()
        return None

    async def _connect(self, timeout_s: float) -> _Connection:
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(timeout_s):
            _, conn = await loop.create_connection(
                _Connection,
                self.host,
                self.port,
                ssl=self.ssl_context,
                server_hostname=self.host if self.ssl_context is not None else None,
            )
        return conn

    async def _exchange(self, conn: _Connection, raw: bytes, timeout_s: float) -> UpstreamResponse:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[UpstreamResponse] = loop.create_future()
        timer = loop.call_later(timeout_s, _expire, conn, waiter)
        try:
            conn.start(raw, waiter)
            response = await waiter
        except BaseException:
            conn.close()  # timed out, cancelled or broken: its late answer must never reach another call
            raise
        finally:
            timer.cancel()
        if conn.open:
            conn.idle_since = time.monotonic()
            self._idle.append(conn)
            self._schedule_sweep()
            if len(self._idle) > self.max_idle and self._trim is None:
                self._trim = loop.call_later(SURPLUS_LINGER_S, self._trim_surplus)
        return response

    def _trim_surplus(self) -> None:
        """Close the idle connections beyond ``max_idle`` that no call took within ``SURPLUS_LINGER_S``
        (the least recently used first: ``_idle`` is a stack, the newest on top)."""
        self._trim = None
        cutoff = time.monotonic() - SURPLUS_LINGER_S
        surplus = len(self._idle) - self.max_idle
        closing = 0
        while closing < surplus and self._idle[closing].idle_since <= cutoff:
            self._idle[closing].close()
            closing += 1
        if closing:
            del self._idle[:closing]
        if len(self._idle) > self.max_idle:
            self._trim = asyncio.get_running_loop().call_later(SURPLUS_LINGER_S, self._trim_surplus)

    def _schedule_sweep(self) -> None:
        if self._sweep is None:
            self._sweep = asyncio.get_running_loop().call_later(self.keepalive_expiry_s, self._expire_idle)

    def _expire_idle(self) -> None:
        """Close connections idle for ``keepalive_expiry_s`` even when no request comes to take them."""
        self._sweep = None
        now = time.monotonic()
        keep = []
        for conn in self._idle:
            if conn.open and now - conn.idle_since < self.keepalive_expiry_s:
                keep.append(conn)
            else:
                conn.close()
        self._idle = keep
        if keep:
            self._schedule_sweep()

    def idle_count(self) -> int:
        return len(self._idle)

    def close(self) -> None:
        if self._sweep is not None:
            self._sweep.cancel()
            self._sweep = None
        if self._trim is not None:
            self._trim.cancel()
            self._trim = None
        for conn in self._idle:
            conn.close()
        self._idle.clear()


def _expire(conn: _Connection, waiter: asyncio.Future[UpstreamResponse]) -> None:
    if not waiter.done():
        conn.close()
        waiter.set_exception(TimeoutError("no complete response within the timeout"))


class HTTPClient:
    """Pools per origin; ``post`` sends one request and returns the whole response."""

    def __init__(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        max_connections: int = 200,
        keepalive_expiry_s: float = 4.0,
        ca_file: str | None = None,
        max_idle: int = 32,
    ) -> None:
        self.max_connections = max_connections
        self.max_idle = max_idle
        self.keepalive_expiry_s = keepalive_expiry_s
        self._ca_file = ca_file
        self._ssl_context: ssl.SSLContext | None = None
        self._default_headers = _encode_headers(headers or {})
        self._pools: dict[str, OriginPool] = {}
        self._targets: dict[str, tuple[OriginPool, bytes]] = {}  # url -> (pool, request-line prefix)

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None,
        content: bytes | None,
        connect_timeout_s: float,
        timeout_s: float,
    ) -> Awaitable[UpstreamResponse]:
        """Send one request (await the result): builds its bytes and hands back the origin pool's
        coroutine, so a call costs one coroutine here, not two."""
        target = self._targets.get(url)
        if target is None:
            target = self._targets[url] = self._target(url)
        pool, host_line = target
        body = content or b""
        raw = b"".join(
            (
                method.encode("ascii"),
                b" ",
                host_line,
                self._default_headers,
                _encode_headers(headers) if headers else b"",
                b"content-length: ",
                str(len(body)).encode("ascii"),
                b"\r\n\r\n",
                body,
            )
        )
        return pool.request(raw, connect_timeout_s=connect_timeout_s, timeout_s=timeout_s)

    def _target(self, url: str) -> tuple[OriginPool, bytes]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        port = parts.port or (443 if scheme == "https" else 80)
        origin = f"{scheme}://{parts.hostname}:{port}"
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = OriginPool(
                scheme,
                parts.hostname,
                port,
                max_connections=self.max_connections,
                keepalive_expiry_s=self.keepalive_expiry_s,
                ssl_context=self._tls() if scheme == "https" else None,
                max_idle=self.max_idle,
            )
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        line = f"{path} HTTP/1.1\r\nhost: {pool.host_header}\r\n"
        if len(self._targets) > 10_000:  # URLs carry model names: bound the cache anyway
            self._targets.clear()
        return pool, line.encode("utf-8")

    def _tls(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context(cafile=self._ca_file)
        return self._ssl_context

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()
        self._targets.clear()


def _encode_headers(headers: Mapping[str, str]) -> bytes:
    out = []
    for name, value in headers.items():
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
            raise ValueError(f"header {name!r} contains a line break")
        out.append(f"{name}: {value}\r\n")
    return "".join(out).encode("latin-1")
