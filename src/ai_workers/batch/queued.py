"""Workers AI asynchronous batches: a batch's lines for one model go upstream as ONE queued request.

Each line still runs the whole pipeline on its own (key and model list, budget, PHI redaction,
routing, cache, usage record with route ``batch``); only the provider call differs. The batch worker
runs a line inside ``QueuedLines.line_scope``, which sets ``providers.queued.current`` for that line's
request. If routing sends the line to a model the catalog marks ``async_batch`` (feature flag) on a
provider with a queued API, the provider hands its upstream input here instead of calling
synchronously; a fallback to any other target runs synchronously as before.

Here the inputs of one batch for one model are gathered (until no line joined for ``gather_s``, the
first waited ``max_gather_s``, or ``max_lines``/``max_bytes`` is reached), each tagged with its line
number as ``external_reference``, and sent as one ``?queueRequest=true`` request: a 429 is retried after
its ``Retry-After``, a 5xx with backoff. The request id is stored on the lines (``batch_lines.
upstream_request_id``) before polling starts, so a line claimed again after a restart or crash joins
the poll of that request instead of being sent twice. The poll backs off from ``poll_s`` to
``max_poll_s``; failed polls (5xx, malformed JSON) are retried. When the request is done each line
gets its own result back (matched by ``external_reference``) with its usage: the result's own, or its
share of the request's usage by input size. The pipeline then restores PHI placeholders and records
the line as for a synchronous answer.

A line waiting here is "parked": it holds no upstream connection, so the worker does not count it
against ``max_concurrency`` (``max_parked`` caps them) and keeps claiming lines to fill the request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec

from ai_workers.batch.config import BatchConfig
from ai_workers.batch.store import BatchStore, ClaimedLine
from ai_workers.core.background import cancel_and_wait
from ai_workers.core.errors import ProviderError
from ai_workers.core.types import Usage
from ai_workers.providers import queued as seam
from ai_workers.providers.base import CallOptions

log = logging.getLogger("ai_workers.batch")

_encode = msgspec.json.Encoder().encode
ModelKey = tuple[str, str]  # (provider name, provider model id)


class _Gone(Exception):
    """The queued request cannot be polled any more (upstream no longer knows it): send again."""


class _Split(Exception):
    """Workers AI refused a queued request of several lines as a whole (a 4xx): each line is sent in
    a request of its own, so one line at fault does not fail the others; a line refused on its own
    runs synchronously (``providers.queued.RunSynchronously``), as it would without queued batches."""


@dataclass(slots=True)
class _Member:
    line: ClaimedLine
    ref: str
    upstream_input: dict[str, Any]
    size: int
    future: asyncio.Future[tuple[seam.QueuedItem, Usage | None]]


@dataclass(slots=True)
class _Group:
    """Lines of one batch for one model waiting to be sent together."""

    api: seam.QueuedBatchAPI
    model_id: str
    options: CallOptions
    members: list[_Member] = field(default_factory=list)
    size: int = 0
    created: float = field(default_factory=time.monotonic)
    last_join: float = field(default_factory=time.monotonic)
    sent: bool = False


@dataclass(slots=True)
class _Poller:
    """Lines waiting on one queued request, by ``external_reference``."""

    request_id: str
    waiters: dict[str, list[tuple[asyncio.Future[tuple[seam.QueuedItem, Usage | None]], int | None]]] = field(
        default_factory=dict
    )
    task: asyncio.Task[None] | None = None

    def add(
        self, ref: str, future: asyncio.Future[tuple[seam.QueuedItem, Usage | None]], size: int | None
    ) -> None:
        self.waiters.setdefault(ref, []).append((future, size))

    def futures(self) -> list[asyncio.Future[tuple[seam.QueuedItem, Usage | None]]]:
        return [future for entries in self.waiters.values() for future, _ in entries]


class QueuedLines:
    """One per server process, beside its ``BatchWorker``: gathers, sends and polls queued requests."""

    def __init__(
        self,
        store: BatchStore,
        config: Callable[[], BatchConfig],
        *,
        on_park: Callable[[], None] | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.store = store
        self.config = config
        self.on_park = on_park
        self.sleep = sleep
        self._groups: dict[tuple[str, str, str], _Group] = {}
        self._pollers: dict[str, _Poller] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.parked_by_app: dict[str, int] = {}
        self.parked_lines: set[tuple[str, int]] = set()

    @property
    def parked(self) -> int:
        return len(self.parked_lines)

    @contextlib.contextmanager
    def line_scope(self, line: ClaimedLine, app: str, models: frozenset[ModelKey]) -> Iterator[None]:
        """Run one line's pipeline with its ``QueuedCall`` visible to the provider call."""
        if not models or not self.config().queued.enabled:
            yield
            return
        token = seam.current.set(_LineCall(self, line, app, models))
        try:
            yield
        finally:
            seam.current.reset(token)

    async def close(self) -> None:
        """Stop gathering and polling (shutdown): waiting lines are cancelled by the worker and resume
        from the stored request id when claimed again."""
        await cancel_and_wait(*self._tasks)
        self._groups.clear()
        self._pollers.clear()

    # -- one line -------------------------------------------------------------------------------------

    async def run_line(
        self,
        call: _LineCall,
        api: seam.QueuedBatchAPI,
        model_id: str,
        request: seam.QueueableRequest,
        upstream_input: dict[str, Any],
        options: CallOptions,
    ) -> seam.QueueableResponse:
        line = call.line
        ref = str(line.idx)
        tagged = {**upstream_input, "external_reference": ref}
        key = (line.batch_id, line.idx)
        self.parked_lines.add(key)
        self.parked_by_app[call.app] = self.parked_by_app.get(call.app, 0) + 1
        if self.on_park is not None:
            self.on_park()
        try:
            item: seam.QueuedItem | None = None
            usage: Usage | None = None
            if line.upstream_request_id is not None:
                try:
                    item, usage = await self._join(api, model_id, line.upstream_request_id, ref, options)
                except _Gone:
                    log.warning("batch line %s/%d: its queued request is gone; sending it again", *key)
                    line.upstream_request_id = None
            if item is None:
                try:
                    try:
                        item, usage = await self._enqueue(api, model_id, line, ref, tagged, options)
                    except _Split:
                        try:
                            item, usage = await self._enqueue(
                                api, model_id, line, ref, tagged, options, alone=True
                            )
                        except ProviderError as exc:
                            if exc.kind != "client":
                                raise
                            raise seam.RunSynchronously from exc  # refused on its own: call as usual
                except _Gone as exc:
                    raise api_error(api, model_id, "the queued request was lost upstream") from exc
        finally:
            self.parked_lines.discard(key)
            self.parked_by_app[call.app] -= 1
        if not item.success:
            # Only our own words: an upstream message could echo the line's text.
            raise api_error(api, model_id, "the queued request's answer for this line is an error")
        return api.queued_answer(model_id, request, item.result, usage)

    async def _join(
        self, api: seam.QueuedBatchAPI, model_id: str, request_id: str, ref: str, options: CallOptions
    ) -> tuple[seam.QueuedItem, Usage | None]:
        """Wait on a request sent before this run of the line (a restart mid-poll)."""
        future: asyncio.Future[tuple[seam.QueuedItem, Usage | None]] = (
            asyncio.get_running_loop().create_future()
        )
        self._poller(api, model_id, request_id, options).add(ref, future, None)
        return await future

    async def _enqueue(
        self,
        api: seam.QueuedBatchAPI,
        model_id: str,
        line: ClaimedLine,
        ref: str,
        tagged: dict[str, Any],
        options: CallOptions,
        *,
        alone: bool = False,
    ) -> tuple[seam.QueuedItem, Usage | None]:
        config = self.config().queued
        size = len(_encode(tagged))
        group_key = (line.batch_id, api.name, model_id if not alone else f"{model_id}#{line.idx}")
        group = self._groups.get(group_key)
        if group is not None and (group.size + size > config.max_bytes):
            self._send(group_key, group)
            group = None
        if group is None:
            group = _Group(api, model_id, options)
            self._groups[group_key] = group
            self._spawn(self._gather(group_key, group))
        future: asyncio.Future[tuple[seam.QueuedItem, Usage | None]] = (
            asyncio.get_running_loop().create_future()
        )
        group.members.append(_Member(line, ref, tagged, size, future))
        group.size += size
        group.last_join = time.monotonic()
        if alone or len(group.members) >= config.max_lines:
            self._send(group_key, group)
        return await future

    # -- gathering and sending --------------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _gather(self, key: tuple[str, str, str], group: _Group) -> None:
        while not group.sent:
            config = self.config().queued
            await self.sleep(config.gather_s / 4)
            now = time.monotonic()
            if now - group.last_join >= config.gather_s or now - group.created >= config.max_gather_s:
                self._send(key, group)

    def _send(self, key: tuple[str, str, str], group: _Group) -> None:
        if group.sent:
            return
        group.sent = True
        if self._groups.get(key) is group:
            del self._groups[key]
        self._spawn(self._submit(key[0], group))

    async def _submit(self, batch_id: str, group: _Group) -> None:
        members = [m for m in group.members if not m.future.done()]  # lines cancelled meanwhile: not sent
        if not members:
            return
        config = self.config().queued
        request_id: str | None = None
        delay = config.poll_s
        for attempt in range(1, config.submit_attempts + 1):
            try:
                request_id = await group.api.submit_queued(
                    group.model_id, [m.upstream_input for m in members], group.options
                )
                break
            except ProviderError as exc:
                if not exc.retryable and len(members) > 1:
                    _fail(members, _Split())
                    return
                if not exc.retryable or attempt == config.submit_attempts:
                    _fail(members, exc)
                    return
                wait = exc.retry_after if exc.retry_after is not None else delay
                delay = min(config.max_poll_s, delay * 2)
                await self.sleep(wait)
            except Exception as exc:  # a bug must not strand the lines: they fail (and are retried)
                log.error("batch: sending a queued request failed unexpectedly", exc_info=exc)
                _fail(members, api_error(group.api, group.model_id, "sending the queued request failed"))
                return
        assert request_id is not None
        try:
            await self.store.set_upstream(batch_id, [m.line.idx for m in members], request_id)
        except Exception as exc:  # polling goes on; only a crash before the answer would send these again
            log.warning("batch: could not store queued request %s: %s", request_id, type(exc).__name__)
        poller = self._poller(group.api, group.model_id, request_id, group.options)
        for member in members:
            member.line.upstream_request_id = request_id
            poller.add(member.ref, member.future, member.size)

    # -- polling ------------------------------------------------------------------------------------------

    def _poller(
        self, api: seam.QueuedBatchAPI, model_id: str, request_id: str, options: CallOptions
    ) -> _Poller:
        poller = self._pollers.get(request_id)
        if poller is None:
            poller = _Poller(request_id)
            self._pollers[request_id] = poller
            self._spawn(self._poll(api, model_id, poller, options))
        return poller

    async def _poll(
        self, api: seam.QueuedBatchAPI, model_id: str, poller: _Poller, options: CallOptions
    ) -> None:
        config = self.config().queued
        delay = config.poll_s
        failures = 0
        try:
            while True:
                await self.sleep(delay)
                if all(f.done() for f in poller.futures()):
                    return  # every waiting line was cancelled (shutdown): nobody to answer
                try:
                    status = await api.poll_queued(model_id, poller.request_id, options)
                except ProviderError as exc:
                    failures += 1
                    if not exc.retryable:
                        _fail_poller(poller, _Gone(str(exc.kind)))
                        return
                    if failures >= config.poll_failures:
                        _fail_poller(poller, exc)
                        return
                    delay = max(exc.retry_after or 0.0, min(config.max_poll_s, delay * 2))
                    continue
                failures = 0
                if not status.done:
                    delay = min(config.max_poll_s, delay * 2)
                    continue
                _answer(poller, status)
                return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("batch: polling a queued request failed unexpectedly", exc_info=exc)
            _fail_poller(poller, api_error(api, model_id, "polling the queued request failed"))
        finally:
            if self._pollers.get(poller.request_id) is poller:
                del self._pollers[poller.request_id]


@dataclass(slots=True)
class _LineCall:
    """``providers.queued.QueuedCall`` for one line's run."""

    lines: QueuedLines
    line: ClaimedLine
    app: str
    models: frozenset[ModelKey]

    def accepts(self, provider: str, model_id: str, request_id: str | None) -> bool:
        # The line's own request only: a subcall made for it (Llama Guard, cache embeddings) has its own id.
        return request_id == self.line.request_id and (provider, model_id) in self.models

    async def run(
        self,
        api: seam.QueuedBatchAPI,
        model_id: str,
        request: seam.QueueableRequest,
        upstream_input: dict[str, Any],
        options: CallOptions,
    ) -> seam.QueueableResponse:
        return await self.lines.run_line(self, api, model_id, request, upstream_input, options)


def api_error(api: seam.QueuedBatchAPI, model_id: str, message: str) -> ProviderError:
    """A transient upstream failure of one line: the executor retries it, then the worker re-queues it."""
    return ProviderError(f"{api.name}: {message}", provider=api.name, model=model_id, kind="bad_response")


def _fail(members: list[_Member], exc: BaseException) -> None:
    for member in members:
        if not member.future.done():
            member.future.set_exception(exc)


def _fail_poller(poller: _Poller, exc: BaseException) -> None:
    for future in poller.futures():
        if not future.done():
            future.set_exception(exc)


def _answer(poller: _Poller, status: seam.QueuedPoll) -> None:
    """Give each waiting line its item and its usage share (by input size when every line's size is
    known here, else an even split)."""
    refs = list(status.items)
    sizes: dict[str, int] = {}
    for ref, entries in poller.waiters.items():
        known = [size for _, size in entries if size is not None]
        if known:
            sizes[ref] = known[0]
    weights = [float(sizes[r]) for r in refs] if refs and all(r in sizes for r in refs) else [1.0] * len(refs)
    shares = dict(zip(refs, split_usage(status.usage, weights), strict=True)) if status.usage else {}
    for ref, entries in poller.waiters.items():
        item = status.items.get(ref) or seam.QueuedItem(success=False, error="missing from the answer")
        for future, _ in entries:
            if not future.done():
                future.set_result((item, shares.get(ref)))


def split_usage(usage: Usage | None, weights: list[float]) -> list[Usage]:
    """``usage`` split by ``weights`` in whole tokens that add up to it exactly (cumulative rounding)."""
    total = sum(weights)
    if usage is None or not weights or total <= 0:
        return [Usage() for _ in weights]
    out: list[Usage] = []
    cumulative = 0.0
    taken = {"prompt_tokens": 0, "completion_tokens": 0}
    for weight in weights:
        cumulative += weight
        share: dict[str, int] = {}
        for name in taken:
            whole = round(getattr(usage, name) * cumulative / total)
            share[name] = whole - taken[name]
            taken[name] = whole
        out.append(
            Usage(
                prompt_tokens=share["prompt_tokens"],
                completion_tokens=share["completion_tokens"],
                total_tokens=share["prompt_tokens"] + share["completion_tokens"],
            )
        )
    return out
