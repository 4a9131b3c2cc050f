"""The lean keep-alive client (providers/pool.py) against a scripted raw HTTP server on loopback.

Each test scripts what the server does with each request it reads (answer, close, stall, cut) and
checks what a provider call would see: the response, a clear error, and connections that are reused
only when that is safe.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import ipaddress
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ai_workers.providers.pool import SURPLUS_LINGER_S, HTTPClient, ResponseBroken

BODY = b'{"ok":true}'
Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[bool]]


def ok(body: bytes = BODY, extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        + extra
        + (b"content-length: %d\r\n\r\n" % len(body))
        + body
    )


class ScriptedServer:
    """Reads one request at a time; ``behaviour(reader, writer, n)`` answers request n (True: keep going)."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.connections = 0
        self.open_now = 0
        self.most_open = 0
        self.requests: list[bytes] = []
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                self.requests.append(head + await reader.readexactly(length))
                if not await self.behaviour(reader, writer, len(self.requests)):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open_now -= 1
            writer.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[tuple[ScriptedServer, str]]]]:
    servers: list[asyncio.Server] = []

    async def start(behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> tuple[ScriptedServer, str]:
        scripted = ScriptedServer(behaviour)
        server = await asyncio.start_server(scripted.handle, "127.0.0.1", 0, ssl=tls)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return scripted, f"{'https' if tls else 'http'}://127.0.0.1:{port}/v1/chat/completions"

    yield start
    for server in servers:
        server.close()


async def post(client: HTTPClient, url: str, timeout_s: float = 5.0) -> tuple[int, bytes]:
    response = await client.request(
        "POST",
        url,
        headers={"content-type": "application/json"},
        content=b'{"q":1}',
        connect_timeout_s=2.0,
        timeout_s=timeout_s,
    )
    return response.status_code, response.content


async def test_keep_alive_reuses_one_connection_and_sends_one_well_formed_request(serve) -> None:
    async def answer(reader, writer, n):
        writer.write(ok())
        return True

    server, url = await serve(answer)
    client = HTTPClient(headers={"x-app-default": "1"})
    for _ in range(5):
        assert await post(client, url) == (200, BODY)
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(b"POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:")
    assert b"x-app-default: 1\r\n" in first and b"content-type: application/json\r\n" in first
    assert first.endswith(b'content-length: 7\r\n\r\n{"q":1}')
    client.close()


async def test_a_connection_the_server_closed_while_idle_is_replaced_transparently(serve) -> None:
    async def answer_then_close(reader, writer, n):
        writer.write(ok())
        await writer.drain()
        return False  # close after each answer, without saying "connection: close"

    server, url = await serve(answer_then_close)
    client = HTTPClient()
    for _ in range(3):
        assert await post(client, url) == (200, BODY)
        await asyncio.sleep(0.05)  # let the close arrive, as it does between real calls
    assert server.connections == 3
    for _ in range(20):  # back to back: the close races the next request on the same connection
        assert await post(client, url) == (200, BODY)
    assert server.connections == 23
    client.close()


async def test_connection_close_header_and_expired_idle_connections_are_not_reused(serve) -> None:
    async def answer(reader, writer, n):
        writer.write(ok(extra=b"connection: close\r\n" if n == 1 else b""))
        return n != 1

    server, url = await serve(answer)
    client = HTTPClient(keepalive_expiry_s=0.05)
    assert await post(client, url) == (200, BODY)
    assert await post(client, url) == (200, BODY)  # new connection: the first said close
    await asyncio.sleep(0.1)
    assert await post(client, url) == (200, BODY)  # new connection: the idle one expired
    assert server.connections == 3
    client.close()


async def test_chunked_gzip_and_read_to_close_bodies(serve) -> None:
    packed = gzip.compress(BODY)

    async def answer(reader, writer, n):
        if n == 1:
            head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
            writer.write(head + b'4\r\n{"ok\r\n7\r\n":true}\r\n0\r\n\r\n')
            return True
        if n == 2:
            writer.write(ok(packed, extra=b"content-encoding: gzip\r\n"))
            return True
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n" + BODY)
        return False  # the end of the body is the end of the connection

    _, url = await serve(answer)
    client = HTTPClient()
    assert await post(client, url) == (200, BODY)
    assert await post(client, url) == (200, BODY)
    assert await post(client, url) == (200, BODY)
    client.close()


async def test_headers_are_case_insensitive_and_error_statuses_come_back_as_responses(serve) -> None:
    async def answer(reader, writer, n):
        writer.write(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\ncontent-length: 2\r\n\r\n{}")
        return True

    _, url = await serve(answer)
    client = HTTPClient()
    response = await client.request(
        "POST", url, headers=None, content=b"{}", connect_timeout_s=2.0, timeout_s=5.0
    )
    assert response.status_code == 429
    assert response.headers.get("retry-after") == "7" and response.headers["Retry-After"] == "7"
    assert "RETRY-AFTER" in response.headers
    client.close()


async def test_a_timed_out_call_never_hands_its_late_answer_to_the_next_call(serve) -> None:
    async def slow_first(reader, writer, n):
        if n == 1:
            await asyncio.sleep(0.3)
            writer.write(ok(b'{"late":true}'))
        else:
            writer.write(ok())
        return True

    _, url = await serve(slow_first)
    client = HTTPClient()
    with pytest.raises(TimeoutError):
        await post(client, url, timeout_s=0.1)
    assert await post(client, url) == (200, BODY)
    client.close()


async def test_a_response_cut_mid_body_and_garbage_are_errors_not_answers(serve) -> None:
    async def cut(reader, writer, n):
        if n == 1:
            writer.write(b'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"partial')
        else:
            writer.write(b"this is not http\r\n\r\n")
        await writer.drain()
        return False

    _, url = await serve(cut)
    client = HTTPClient()
    with pytest.raises(ResponseBroken, match="mid-response"):
        await post(client, url)
    with pytest.raises(ResponseBroken, match="invalid HTTP"):
        await post(client, url)
    client.close()


async def test_refused_connection_is_an_oserror() -> None:
    client = HTTPClient()
    with pytest.raises(OSError):
        await post(client, "http://127.0.0.1:9/v1/chat/completions")
    client.close()


async def test_the_connection_limit_holds_under_concurrency(serve) -> None:
    async def answer(reader, writer, n):
        await asyncio.sleep(0.02)
        writer.write(ok())
        return True

    server, url = await serve(answer)
    client = HTTPClient(max_connections=3)
    results = await asyncio.gather(*(post(client, url) for _ in range(20)))
    assert results == [(200, BODY)] * 20
    assert server.most_open <= 3
    client.close()


async def test_traffic_above_max_idle_reuses_connections_and_the_surplus_closes_after_a_burst(serve) -> None:
    """Waves of 12 overlapping calls with max_idle 4: connections coming back beyond 4 are kept for the
    next wave (closing them on return made about one call in five open a new connection at 64
    concurrent requests), and once the traffic stops they close within SURPLUS_LINGER_S, long before
    the keep-alive expiry."""

    async def answer(reader, writer, n):
        await asyncio.sleep(0.02)
        writer.write(ok())
        return True

    server, url = await serve(answer)
    client = HTTPClient(max_idle=4, keepalive_expiry_s=30.0)
    for _ in range(5):
        assert await asyncio.gather(*(post(client, url) for _ in range(12))) == [(200, BODY)] * 12
    assert server.connections == 12  # the first wave's connections served every later wave
    assert server.open_now == 12
    await asyncio.sleep(SURPLUS_LINGER_S * 2 + 0.2)
    assert server.open_now == 4  # the surplus closed; max_idle stay for the keep-alive expiry
    assert await post(client, url) == (200, BODY)
    assert server.connections == 12  # and one of those served the next call
    client.close()


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ai-workers test upstream")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


async def test_https_verifies_the_certificate(serve, tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)

    async def answer(reader, writer, n):
        writer.write(ok())
        return True

    server, url = await serve(answer, tls)
    trusted = HTTPClient(ca_file=str(cert))
    assert await post(trusted, url) == (200, BODY)
    assert await post(trusted, url) == (200, BODY)
    assert server.connections == 1
    untrusted = HTTPClient()  # the system store does not know this certificate
    with pytest.raises(ssl.SSLCertVerificationError):
        await post(untrusted, url)
    trusted.close()
    untrusted.close()
