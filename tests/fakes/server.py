"""A tiny HTTP/1.1 server on loopback, in a background thread, with faults injected on demand.

Written on asyncio streams rather than uvicorn because the faults need the raw connection: a reset is a
TCP RST (SO_LINGER 0), a cut stream ends the chunked body without its terminator event. Keep-alive is
supported so the gateway's pooled clients behave as against the real APIs, and it is fast enough for the
server's integration tests and benchmarks (thousands of requests per second).

Subclasses implement ``respond(request) -> Reply`` and ``error_reply(status, fault)`` for their wire format.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import hashlib
import json
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any

FAULTS = ("429", "500", "502", "503", "slow", "reset", "malformed", "cut_stream")

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class RecordedRequest:
    """What the fake received, for tests to assert the exact wire format."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    query: str = ""  # the request target after "?", if any
    received: float = field(default_factory=time.monotonic)  # when it arrived (time.monotonic)

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, Any]:
        """A multipart/form-data body as ``{name: str | (filename, bytes)}``."""
        ctype = self.headers.get("content-type", "")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {ctype}\r\n\r\n".encode() + self.body
        )
        out: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            filename = part.get_filename()
            out[str(name)] = (filename, payload) if filename is not None else payload.decode()
        return out

    @property
    def streaming(self) -> bool:
        if not self.body.startswith(b"{"):
            return False
        try:
            return bool(json.loads(self.body).get("stream"))
        except ValueError:
            return False


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    events: list[str] | None = None  # SSE ``data:`` payloads; the last one is the terminator ("[DONE]")
    delay: float = 0.0


@dataclass
class Fault:
    kind: str
    times: int
    match: str | None = None
    retry_after: str | None = "1"
    delay: float = 5.0
    after: int = 2  # cut_stream: events sent before the cut
    status: int | None = None
    code: int | None = None
    first_try_only: bool = False  # fail each distinct request body once: its retries pass
    failed_bodies: set[bytes] = field(default_factory=set)


class FakeUpstream:
    """Base class: start/stop, request log, fault queue and the HTTP/1.1 plumbing."""

    base_path = ""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self.port = 0
        self._gate = threading.Event()  # cleared by ``hold``: requests wait until ``release``
        self._gate.set()
        self.waiting = 0  # requests held at the gate right now

    # -- lifecycle ----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_path}"

    def start(self) -> FakeUpstream:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)

            async def serve() -> None:
                self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024)
                self.port = self._server.sockets[0].getsockname()[1]
                ready.set()

            loop.run_until_complete(serve())
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name=type(self).__name__, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake upstream did not start")
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._connections):
                writer.transport.abort()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        self._loop = None

    def __enter__(self) -> FakeUpstream:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults -------------------------------------------------------------------------------------

    def inject(
        self,
        fault: str | int,
        times: int = 1,
        *,
        match: str | None = None,
        retry_after: str | None = "1",
        delay: float = 5.0,
        after: int = 2,
        code: int | None = None,
        first_try_only: bool = False,
    ) -> None:
        """Make the next ``times`` requests (whose path contains ``match``, if given) fail with ``fault``.

        ``fault``: "429" (with ``Retry-After: retry_after``), "500", "502", "503", "slow" (answers after
        ``delay`` seconds), "reset" (TCP RST, no response), "malformed" (200 with broken JSON),
        "cut_stream" (a stream that stops after ``after`` events without its [DONE] marker), or an
        upstream-specific error such as Workers AI's "3036"/"3040".

        ``first_try_only``: fail ``times`` distinct request bodies once each, so that a retry (the same
        body) is never handed a fault meant for another request still on its first try.
        """
        with self._lock:
            self._faults.append(
                Fault(
                    str(fault),
                    times,
                    match=match,
                    retry_after=retry_after,
                    delay=delay,
                    after=after,
                    code=code,
                    first_try_only=first_try_only,
                )
            )

    def hold(self) -> None:
        """Hold every request from now on (after it is recorded) until ``release``: a test can then act
        while a known set of requests is in flight, however fast or slow the machine is."""
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    def clear(self) -> None:
        self._gate.set()
        with self._lock:
            self._faults.clear()
            self.requests.clear()

    def _take_fault(self, request: RecordedRequest) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.match is None or fault.match in request.path:
                    if fault.first_try_only:
                        if request.body in fault.failed_bodies:
                            continue
                        fault.failed_bodies.add(request.body)
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # -- to implement -------------------------------------------------------------------------------

    async def respond(self, request: RecordedRequest) -> Reply:
        raise NotImplementedError

    def error_reply(self, status: int, fault: Fault) -> Reply:
        raise NotImplementedError

    # -- HTTP plumbing ------------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(writer)
        try:
            while True:
                request = await self._read_request(reader)
                if request is None:
                    return
                self.requests.append(request)
                keep_open = await self._serve(request, writer)
                if not keep_open or request.headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._connections.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()

    async def _read_request(self, reader: asyncio.StreamReader) -> RecordedRequest | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int((await reader.readline()).strip().split(b";")[0], 16)
                if size == 0:
                    await reader.readline()
                    break
                body += await reader.readexactly(size)
                await reader.readline()
            data = bytes(body)
        else:
            data = await reader.readexactly(int(headers.get("content-length", "0")))
        path, _, query = target.partition("?")
        return RecordedRequest(method, path, headers, data, query)

    async def _serve(self, request: RecordedRequest, writer: asyncio.StreamWriter) -> bool:
        if not self._gate.is_set():
            self.waiting += 1
            try:
                # A threading.Event: the test's thread releases it. Polled, not waited on in a thread
                # per request (the default executor has only a few threads).
                while not self._gate.is_set():  # noqa: ASYNC110
                    await asyncio.sleep(0.005)
            finally:
                self.waiting -= 1
        fault = self._take_fault(request)
        if fault is not None and fault.kind == "reset":
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            fault = None
        if fault is not None and fault.kind == "malformed":
            reply = Reply(body=b'{"result": {"response": "trunc', content_type="application/json")
        elif fault is not None and fault.kind != "cut_stream":
            status = int(fault.kind) if fault.kind.isdigit() and int(fault.kind) < 600 else 429
            reply = self.error_reply(status, fault)
        else:
            try:
                reply = await self.respond(request)
            except Exception as exc:  # a bug in the fake shows up as a 500 the test can read
                reply = Reply(status=500, body=json.dumps({"fake_error": repr(exc)}).encode())
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.events is not None:
            return await self._write_stream(writer, reply, fault)
        body = reply.body
        cut = fault is not None and fault.kind == "cut_stream"
        if cut:
            body = body[: len(body) // 2]
        self._write_head(writer, reply.status, reply.content_type, reply.headers, length=len(body))
        writer.write(body)
        await writer.drain()
        if cut:
            writer.transport.abort()
            return False
        return True

    def _write_head(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        ctype: str,
        headers: dict[str, str],
        *,
        length: int | None,
    ) -> None:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}", f"Content-Type: {ctype}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append(f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def _write_stream(self, writer: asyncio.StreamWriter, reply: Reply, fault: Fault | None) -> bool:
        events = list(reply.events or [])
        if fault is not None and fault.kind == "cut_stream":
            events = [e for e in events if e != "[DONE]"][: fault.after]
        self._write_head(writer, reply.status, "text/event-stream", reply.headers, length=None)
        for event in events:
            payload = f"data: {event}\n\n".encode()
            writer.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True


def words(text: str) -> int:
    """Token count the fakes report: whitespace-separated words (deterministic, easy to assert)."""
    return len(text.split())


def text_vector(text: str, dims: int) -> list[float]:
    """The embedding the fakes return for ``text``: values in [0, 1) on a 0.001 grid, seeded by a digest
    of the text. Not ``hash((text, i))``: Python's tuple hash is salted per process (a run could not be
    repeated) and, for some salts, two texts shared their first components (a CI run saw two of 120
    vectors agree on the first eight)."""
    seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=16).digest(), "big")
    draw = random.Random(seed).random
    return [int(draw() * 1000) / 1000.0 for _ in range(dims)]
