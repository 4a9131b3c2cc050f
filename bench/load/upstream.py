"""The fake upstream of the load suite: the test suite's fake OpenAI with a realistic answer time.

Every answer takes 200-800 ms (uniform); a streamed chat answer sends 8 content chunks spread over that
time, as a model generating tokens does, instead of all at once. Faults are injected with the fakes'
own ``inject`` (``"500"``, ``"429"``, ``"cut_stream"`` ...).
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from tests.fakes.openai import FakeOpenAI
from tests.fakes.server import Fault, RecordedRequest, Reply
from tests.fakes.settings import openai_key

ANSWER = "The visit notes say the patient is stable today."  # 9 words: role chunk + 8 content chunks


class SlowOpenAI(FakeOpenAI):
    def __init__(self, *, low_s: float = 0.2, high_s: float = 0.8, seed: int = 7) -> None:
        super().__init__(api_key=openai_key())
        self.reply_text = " ".join(ANSWER.split()[:8])
        self.low_s, self.high_s = low_s, high_s
        self._random = random.Random(seed)

    async def respond(self, request: RecordedRequest) -> Reply:
        reply = await super().respond(request)
        delay = self._random.uniform(self.low_s, self.high_s)
        if reply.events is None:
            reply.delay = delay
        else:
            reply.headers["x-fake-pace"] = repr(delay / max(1, len(reply.events)))
        return reply

    async def _write_stream(self, writer: asyncio.StreamWriter, reply: Reply, fault: Fault | None) -> bool:
        pace = float(reply.headers.pop("x-fake-pace", "0"))
        events = list(reply.events or [])
        if fault is not None and fault.kind == "cut_stream":
            events = [e for e in events if e != "[DONE]"][: fault.after]
        self._write_head(writer, reply.status, "text/event-stream", reply.headers, length=None)
        for event in events:
            await asyncio.sleep(pace)
            payload = f"data: {event}\n\n".encode()
            writer.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
            await writer.drain()
        if fault is not None and fault.kind == "cut_stream":
            writer.transport.abort()  # the connection drops mid-stream
            return False
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True


def start_upstream(**kwargs: Any) -> SlowOpenAI:
    upstream = SlowOpenAI(**kwargs)
    upstream.start()
    return upstream
