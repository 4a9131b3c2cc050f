"""Experiment for the benchmark only: the gateway with a lighter upstream HTTP client than httpx.

The profile of ``ai-workers serve`` (see bench_gateway.py --fast-client) shows httpx/httpcore taking most
of the gateway's CPU per request; this module swaps the OpenAI adapter's transport for a minimal pooled
HTTP/1.1 client (asyncio protocol + httptools, the parser uvicorn uses; one write per request) WITHOUT
changing the product code: ``OpenAIProvider.send`` is overridden in a subclass registered through the
registry's ``factories`` hook. It handles only what the benchmark needs (no TLS, no multipart, no
streaming), so it is a measurement of the headroom, not a proposal to ship as is.

    python bench/fast_client.py --config gateway.yaml --port 8787
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any
from urllib.parse import urlsplit

import httptools

from ai_workers.core.config import ConfigStore, ProviderConfig, load_settings
from ai_workers.gateway import Gateway
from ai_workers.providers.openai import OpenAIProvider
from ai_workers.providers.registry import ProviderRegistry
from ai_workers.server.app import create_app


class _Reply:
    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code, self.headers, self.content = status, headers, content


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: Any = None
        self.waiter: asyncio.Future[_Reply] | None = None
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.open = True

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        reply = _Reply(self.parser.get_status_code(), self.headers, b"".join(self.body))
        self.headers, self.body = {}, []
        if not self.parser.should_keep_alive():
            self.open = False
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        self._fail(exc or ConnectionResetError("upstream closed the connection"))

    def _fail(self, exc: BaseException) -> None:
        self.open = False
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)


class FastPool:
    """Keep-alive connections to one host:port; a request takes an idle one or opens a new one."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[_Connection] = []

    async def request(self, raw: bytes, limit_s: float) -> _Reply:
        loop = asyncio.get_running_loop()
        conn = None
        while self.idle:
            candidate = self.idle.pop()
            if candidate.open:
                conn = candidate
                break
        if conn is None:
            _, conn = await loop.create_connection(_Connection, self.host, self.port)
        conn.waiter = loop.create_future()
        conn.transport.write(raw)
        try:
            async with asyncio.timeout(limit_s):
                reply = await conn.waiter
        except BaseException:
            conn.transport.close()
            raise
        if conn.open:
            self.idle.append(conn)
        return reply


class FastClientOpenAI(OpenAIProvider):
    """OpenAIProvider whose JSON POSTs go through FastPool (files and streams still use httpx)."""

    def __init__(self, name: str, config: ProviderConfig) -> None:
        super().__init__(name, config)
        parts = urlsplit(self.base_url)
        self._pool = FastPool(parts.hostname or "127.0.0.1", parts.port or 80)
        self._host = parts.netloc.encode()

    async def send(self, model: str, method: str, url: str, options: Any, **kw: Any) -> Any:
        content = kw.get("content")
        if kw.get("files") is not None or kw.get("data") is not None or content is None:
            return await super().send(model, method, url, options, **kw)
        path = urlsplit(url).path.encode()
        lines = [method.encode(), b" ", path, b" HTTP/1.1\r\nhost: ", self._host, b"\r\n"]
        for name, value in (kw.get("headers") or {}).items():
            lines += [name.encode(), b": ", value.encode(), b"\r\n"]
        lines += [b"content-length: ", str(len(content)).encode(), b"\r\n\r\n", content]
        try:
            return await self._pool.request(b"".join(lines), self.config.timeout_s or options.timeout_s)
        except TimeoutError as exc:
            raise self.error(model, "timeout", "timed out") from exc
        except OSError as exc:
            raise self.error(model, "connection", f"connection failed: {exc}") from exc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    import uvicorn

    os.environ["AI_WORKERS_CONFIG"] = args.config
    settings = load_settings()
    registry = ProviderRegistry(ConfigStore(settings), factories={"openai": FastClientOpenAI})
    app = create_app(Gateway(settings, registry=registry))
    uvicorn.run(
        app, host="127.0.0.1", port=args.port, loop="uvloop", http="httptools",
        access_log=False, log_level="warning",
    )  # fmt: skip


if __name__ == "__main__":
    main()
