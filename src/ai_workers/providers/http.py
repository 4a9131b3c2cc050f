"""What every HTTP adapter shares: one pooled client, credential lookup, error mapping, SSE lines.

Kept apart from the adapters so each adapter is only its wire format. Everything here is cheap per call:
the ``AsyncClient`` is created once per provider instance (keep-alive pooling), credentials are one
``os.environ`` lookup, and responses are decoded by msgspec.

Two clients, each where it is measurably best:

* JSON POSTs (every non-streaming call: chat, embeddings, rerank, guard...) go through
  ``providers/pool.py``, a lean keep-alive HTTP/1.1 client on ``httptools``. On the gateway benchmark
  (bench/bench_gateway.py) httpx2's pool cost about 350 us of CPU per call sequentially and 800 us with
  64 in flight; aiohttp, which it replaced, about 700 us more per request at concurrency 1 than the
  lean client (see that module for the figures).
* Streams and multipart uploads use ``httpx2`` (encode's successor to httpx, same API, already
  required by the OpenAI SDK), whose streaming and multipart APIs the adapters are written against.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import httpx2
import msgspec

from ai_workers.core.config import ProviderConfig
from ai_workers.core.errors import ConfigurationError, ProviderError
from ai_workers.providers.base import CallOptions, Provider
from ai_workers.providers.pool import HTTPClient, ResponseBroken, UpstreamResponse

_json_decoder = msgspec.json.Decoder()
_json_encoder = msgspec.json.Encoder()


def encode_json(obj: Any) -> bytes:
    return _json_encoder.encode(obj)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def kind_for_status(status: int) -> str:
    """The resilience kind for an upstream HTTP status (see ``ProviderError``)."""
    if status == 429:
        return "rate_limit"
    if status in (401, 403):
        return "auth"
    if status == 408:
        return "timeout"
    if status >= 500:
        return "server"
    return "client"


#: What ``HTTPProvider.send`` returns: both expose ``status_code``, ``headers``, ``content`` and ``text``.
Response = httpx2.Response | UpstreamResponse


class HTTPProvider(Provider):
    """A provider reached over HTTP: owns one pooled ``httpx2.AsyncClient`` created on first use."""

    #: env vars that must be set for this provider to work (checked before every call, cheaply)
    required_env: tuple[str, ...] = ()

    def __init__(
        self, name: str, config: ProviderConfig, *, transport: httpx2.AsyncBaseTransport | None = None
    ):
        super().__init__(name, config)
        self._transport = transport
        self._client: httpx2.AsyncClient | None = None
        self._pool: HTTPClient | None = None
        self._max_connections = int(config.options.get("max_connections", 200))
        # Connections kept open between bursts: more stay idle only until they come back to the pool,
        # and idle ones close after keepalive_expiry_s (below the common 5 s server keep-alive).
        self._max_idle = min(self._max_connections, int(config.options.get("max_idle_connections", 32)))
        self._keepalive_expiry_s = float(config.options.get("keepalive_expiry_s", 4.0))
        self._limits = httpx2.Limits(
            max_connections=self._max_connections,
            max_keepalive_connections=self._max_idle,
            keepalive_expiry=self._keepalive_expiry_s,
        )

    @property
    def client(self) -> httpx2.AsyncClient:
        if self._client is None:
            self._client = httpx2.AsyncClient(
                transport=self._transport,
                limits=self._limits,
                headers=self.config.headers,
                timeout=httpx2.Timeout(60.0, connect=5.0),
                follow_redirects=False,
            )
        return self._client

    @property
    def pool(self) -> HTTPClient:
        """The keep-alive client for JSON POSTs, created on first use."""
        if self._pool is None:
            self._pool = HTTPClient(
                headers=self.config.headers,
                max_connections=self._max_connections,
                max_idle=self._max_idle,
                keepalive_expiry_s=self._keepalive_expiry_s,
                ca_file=self.config.options.get("ca_file"),
            )
        return self._pool

    def env(self, var: str | None) -> str | None:
        return os.environ.get(var) if var else None

    def missing_env(self) -> list[str]:
        return [var for var in self.required_env if not os.environ.get(var)]

    def check_configured(self) -> None:
        missing = self.missing_env()
        if missing:
            raise ConfigurationError(
                f"provider '{self.name}' is not configured: set {' and '.join(missing)}",
            )

    def timeout(self, options: CallOptions) -> httpx2.Timeout:
        read = self.config.timeout_s or options.timeout_s
        connect = self.config.connect_timeout_s or options.connect_timeout_s
        return httpx2.Timeout(read, connect=connect)

    def error(
        self,
        model: str,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        code: int | str | None = None,
    ) -> ProviderError:
        return ProviderError(
            f"{self.name}: {message}",
            provider=self.name,
            model=model,
            kind=kind,
            upstream_status=status,
            retry_after=retry_after,
            upstream_code=code,
        )

    def transport_error(self, model: str, exc: httpx2.HTTPError) -> ProviderError:
        """Map httpx's exceptions to resilience kinds (timeouts and resets are retryable)."""
        if isinstance(exc, httpx2.TimeoutException):
            return self.error(model, "timeout", f"timed out ({type(exc).__name__})")
        if isinstance(exc, httpx2.RemoteProtocolError):
            return self.error(model, "connection", f"connection dropped: {exc}")
        if isinstance(exc, httpx2.TransportError):
            return self.error(model, "connection", f"connection failed ({type(exc).__name__}): {exc}")
        return self.error(model, "connection", f"{type(exc).__name__}: {exc}")

    def send(
        self,
        model: str,
        method: str,
        url: str,
        options: CallOptions,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        files: Any = None,
        data: dict[str, Any] | None = None,
    ) -> Awaitable[Response]:
        """One request with the call's timeout; transport failures become ``ProviderError``.

        A plain function handing back the coroutine that sends (await it): JSON POSTs go straight to
        the keep-alive pool without a wrapper coroutine in between."""
        if files is None and data is None and self._transport is None:
            return self._send_pooled(model, method, url, options, headers=headers, content=content)
        return self._send_httpx(
            model, method, url, options, headers=headers, content=content, files=files, data=data
        )

    async def _send_httpx(
        self,
        model: str,
        method: str,
        url: str,
        options: CallOptions,
        *,
        headers: dict[str, str] | None,
        content: bytes | None,
        files: Any,
        data: dict[str, Any] | None,
    ) -> Response:
        try:
            return await self.client.request(
                method,
                url,
                headers=headers,
                content=content,
                files=files,
                data=data,
                timeout=self.timeout(options),
            )
        except httpx2.HTTPError as exc:
            raise self.transport_error(model, exc) from exc

    async def _send_pooled(
        self,
        model: str,
        method: str,
        url: str,
        options: CallOptions,
        *,
        headers: dict[str, str] | None,
        content: bytes | None,
    ) -> UpstreamResponse:
        read = self.config.timeout_s or options.timeout_s
        connect = self.config.connect_timeout_s or options.connect_timeout_s
        try:
            return await self.pool.request(
                method, url, headers=headers, content=content, connect_timeout_s=connect, timeout_s=read
            )
        except TimeoutError as exc:
            raise self.error(model, "timeout", "timed out waiting for the upstream") from exc
        except ResponseBroken as exc:
            raise self.error(model, "connection", f"response broke off: {exc}") from exc
        except ConnectionResetError as exc:
            raise self.error(model, "connection", f"connection dropped: {exc}") from exc
        except OSError as exc:  # refused, unreachable, DNS, TLS (ssl.SSLError is an OSError)
            raise self.error(model, "connection", f"connection failed ({type(exc).__name__}): {exc}") from exc

    async def open_stream(
        self, model: str, url: str, options: CallOptions, *, headers: dict[str, str], content: bytes
    ) -> httpx2.Response:
        """Start a streamed POST; the caller must ``aclose()`` the response."""
        request = self.client.build_request(
            "POST", url, headers=headers, content=content, timeout=self.timeout(options)
        )
        try:
            return await self.client.send(request, stream=True)
        except httpx2.HTTPError as exc:
            raise self.transport_error(model, exc) from exc

    def decode(self, model: str, body: bytes, *, status: int | None = None) -> Any:
        try:
            return _json_decoder.decode(body)
        except msgspec.DecodeError as exc:
            raise self.error(
                model, "bad_response", f"malformed JSON from upstream: {exc}", status=status
            ) from exc

    def convert(self, model: str, obj: Any, kind: type[Any]) -> Any:
        """Validate a decoded body against the shape we expect; a wrong shape is a bad response."""
        try:
            return msgspec.convert(obj, kind)
        except msgspec.ValidationError as exc:
            raise self.error(model, "bad_response", f"unexpected response shape: {exc}") from exc

    async def sse_data(
        self, model: str, response: httpx2.Response, *, done_marker: str = "[DONE]"
    ) -> AsyncIterator[bytes]:
        """The ``data:`` payloads of a server-sent-event stream, until the ``[DONE]`` marker.

        A stream that ends without the marker was cut (upstream crash, proxy timeout): that is a
        ``stream_cut`` error, never a quiet success with a truncated answer.
        """
        try:
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue  # comments, event:, id:, blank separators
                payload = line[5:].strip()
                if payload == done_marker:
                    return
                if payload:
                    yield payload.encode()
        except httpx2.HTTPError as exc:
            if isinstance(exc, httpx2.TimeoutException):
                raise self.error(model, "timeout", "stream stalled past the read timeout") from exc
            raise self.error(model, "stream_cut", f"stream broke off: {type(exc).__name__}") from exc
        raise self.error(model, "stream_cut", "stream ended without its [DONE] marker")

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.close()


def estimate_tokens(texts: Iterable[str]) -> int:
    """About four characters per token: used only where an upstream reports no token counts."""
    return sum((len(t) + 3) // 4 for t in texts)


def first(items: Iterable[Any], pred: Callable[[Any], bool]) -> Any:
    return next((i for i in items if pred(i)), None)
