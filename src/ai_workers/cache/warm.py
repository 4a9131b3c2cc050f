"""Warming: run a file of requests through the gateway so their answers are cached before users ask.

The file is JSONL, one OpenAI request body per line: chat requests (``messages``) or embedding requests
(``input``). Each runs through the whole pipeline as the given app (safety, routing, budgets, usage
records all apply, so warming costs what the calls cost and is recorded like any other traffic).
The report counts outcomes and names failing lines by number only: never the prompt text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable

import msgspec

from ai_workers.core.context import RequestContext
from ai_workers.core.errors import AIWorkersError, InvalidRequestError
from ai_workers.core.types import ChatRequest, EmbeddingRequest

WarmRequest = ChatRequest | EmbeddingRequest
#: Runs one request through the gateway (non-streamed) and returns its finished context.
Runner = Callable[[WarmRequest], Awaitable[RequestContext]]


class WarmReport(msgspec.Struct):
    requests: int = 0
    stored: int = 0  # answered upstream and now cached
    already_cached: int = 0  # were hits already
    not_cacheable: int = 0  # skipped by policy (e.g. temperature > 0 without opt-in)
    failed: int = 0
    errors: list[str] = msgspec.field(default_factory=list)  # "line 3: <error type>: <message>"


def parse_warm_file(text: str) -> list[tuple[int, WarmRequest]]:
    """(line number, request) per non-empty line; raises InvalidRequestError naming the bad line."""
    out: list[tuple[int, WarmRequest]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            raw = msgspec.json.decode(line)
            if not isinstance(raw, dict):
                raise InvalidRequestError(f"line {number}: expected a JSON object")
            kind: type[WarmRequest] = (
                EmbeddingRequest if "input" in raw and "messages" not in raw else ChatRequest
            )
            request = msgspec.convert(raw, kind)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InvalidRequestError(f"line {number}: not a chat or embedding request: {exc}") from None
        if isinstance(request, ChatRequest):
            request = msgspec.structs.replace(request, stream=None, stream_options=None)
        out.append((number, request))
    return out


async def warm(
    run: Runner, requests: Iterable[tuple[int, WarmRequest]], *, concurrency: int = 4
) -> WarmReport:
    report = WarmReport()
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(number: int, request: WarmRequest) -> None:
        async with gate:
            try:
                ctx = await run(request)
            except AIWorkersError as exc:
                report.failed += 1
                report.errors.append(f"line {number}: {type(exc).__name__}: {exc.message}")
                return
            except Exception as exc:
                report.failed += 1
                report.errors.append(f"line {number}: {type(exc).__name__}")
                return
        if ctx.cache in {"hit", "semantic_hit"}:
            report.already_cached += 1
        elif ctx.state.get("cache_stored"):
            report.stored += 1
        else:
            report.not_cacheable += 1

    items = list(requests)
    report.requests = len(items)
    await asyncio.gather(*(one(n, r) for n, r in items))
    report.errors.sort(key=lambda e: int(e.split(":", 1)[0].removeprefix("line ")))
    return report
