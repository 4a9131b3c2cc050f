"""The server's batch workers: claim lines from the durable queue and run them beside live traffic.

One ``BatchWorker`` per server process. It polls the database for active batches, claims only as
many lines as it has free slots (``batch.max_concurrency`` per process, ``batch.per_app_concurrency``
per app), and runs each on a task of its own, so batch work never sits in front of a live request: a
live request never waits for a batch slot, and a claimed line is never parked in memory. Each line
runs through the whole pipeline as the submitting app (the ``LineRunner`` the server supplies).

A transient failure (a 5xx burst that outlasted the executor's retries, a rate limit) puts the line
back in the queue with a growing delay; a hard budget that runs out stops the batch (lines done are
kept, the rest fail with ``budget_exceeded``). Claims are renewed while lines run; a clean shutdown
lets the lines in flight finish (up to ``STOP_GRACE_S``) and hands the rest back; after a crash the
claims expire and another worker (or this one, restarted) takes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from ai_workers.batch.config import BatchConfig
from ai_workers.batch.queued import QueuedLines
from ai_workers.batch.store import BatchStore, ClaimedLine, LineOutcome
from ai_workers.core.background import BackgroundTask, cancel_and_wait
from ai_workers.core.context import AppIdentity
from ai_workers.core.outage import Outage

log = logging.getLogger("ai_workers.batch")

LineRunner = Callable[[AppIdentity, ClaimedLine], Awaitable[LineOutcome]]
BUDGET_CODE = "budget_exceeded"
RETRY_MAX_S = 30.0
WAKE_DEBOUNCE_S = 0.01
RESULTS_PER_COMMIT = 200
WRITE_ATTEMPTS = 5
STOP_GRACE_S = 10.0


def identity_of(row: dict[str, Any], app: str) -> AppIdentity:
    models = row.get("allowed_models")
    return AppIdentity(
        name=app,
        role=str(row.get("role") or "app"),
        key_id=row.get("key_id"),
        allowed_models=tuple(models) if isinstance(models, list) else None,
        user=row.get("user"),
    )


def identity_row(identity: AppIdentity) -> dict[str, Any]:
    """What a batch keeps of its submitter, to run its lines as them later (never the key itself)."""
    return {
        "key_id": identity.key_id,
        "role": identity.role,
        "allowed_models": list(identity.allowed_models) if identity.allowed_models is not None else None,
        "user": identity.user,
    }


class BatchWorker:
    def __init__(
        self,
        store: BatchStore,
        runner: LineRunner,
        config: Callable[[], BatchConfig],
        *,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.runner = runner
        self.config = config
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._loop = BackgroundTask("batch-worker")
        self._heartbeat = BackgroundTask("batch-lease-renewal")
        self._tasks: set[asyncio.Task[None]] = set()
        self._line_tasks: dict[tuple[str, int], asyncio.Task[None]] = {}
        self._per_app: dict[str, int] = {}
        self._wake = asyncio.Event()
        # Workers AI asynchronous batches: lines parked on a queued request do not hold a slot.
        self.queued = QueuedLines(store, config, on_park=self.poke)
        # Finished lines wait here for the result writer, which stores all that are waiting in one
        # transaction: one commit per burst of lines rather than one per line.
        self._results: asyncio.Queue[tuple[ClaimedLine, LineOutcome, asyncio.Future[bool]]] = asyncio.Queue()
        self._writer = BackgroundTask("batch-result-writer")
        # Renewing this worker's claims and writing its results both lock its running lines; taking
        # turns keeps PostgreSQL from seeing the two lock them in different orders (a deadlock).
        self._own_rows = asyncio.Lock()
        self._outage = Outage(log, "the batch queue (database)")

    @property
    def running(self) -> int:
        return len(self._tasks)

    def start(self) -> None:
        self._loop.start(self._run)
        self._heartbeat.start(self._renew)
        self._writer.start(self._write_results)

    def poke(self) -> None:
        """Look for work now (a batch was just created) rather than at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop claiming; give the lines in flight up to ``STOP_GRACE_S`` to finish and store their
        results; cancel the rest and hand their claims back (they have no result)."""
        await self._loop.stop()
        # Lines parked on a Workers AI queued request may wait for hours: they stop now, and resume
        # polling the stored request when claimed again.
        for key in list(self.queued.parked_lines):
            if (task := self._line_tasks.get(key)) is not None:
                task.cancel()
        await self.queued.close()
        tasks = list(self._tasks)
        if tasks:
            await asyncio.wait(tasks, timeout=STOP_GRACE_S)
        await self._heartbeat.stop()
        await cancel_and_wait(*tasks)
        await self._writer.stop()
        with contextlib.suppress(Exception):
            await self.store.release(self.owner)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(self.config().lease_s / 3)
            if self._tasks:
                try:
                    async with self._own_rows:
                        await self.store.renew(self.owner, self.config().lease_s)
                except Exception as exc:  # the database is down: leases may lapse; results stay exact
                    self._outage.failed(exc)

    async def _write_results(self) -> None:
        while True:
            batch = [await self._results.get()]
            while not self._results.empty() and len(batch) < RESULTS_PER_COMMIT:
                batch.append(self._results.get_nowait())
            batch.sort(key=lambda item: (item[0].batch_id, item[0].idx))  # one lock order everywhere
            done = [(line, outcome) for line, outcome, _ in batch]
            stored: list[bool] | None = None
            for attempt in range(WRITE_ATTEMPTS):
                try:
                    async with self._own_rows:
                        stored = await self.store.finish_many(done, self.owner)
                    break
                except Exception as exc:  # a deadlock or a database blip: the same write again
                    self._outage.failed(exc)
                    await asyncio.sleep(0.1 * (attempt + 1))
            if stored is None:  # the claims lapse and the lines run again: no result was stored
                stored = [False] * len(batch)
            for (*_, future), ok in zip(batch, stored, strict=True):
                if not future.done():
                    future.set_result(ok)

    async def _run(self) -> None:
        while True:
            config = self.config()
            # Cleared before the pass, not after: a line that finishes during the pass wakes the next one.
            self._wake.clear()
            try:
                await self.step(config)
                self._outage.succeeded()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._outage.failed(exc)
            with contextlib.suppress(TimeoutError):  # not wait_for: it can lose a cancel on 3.11
                async with asyncio.timeout(config.poll_s):
                    await self._wake.wait()
            await asyncio.sleep(WAKE_DEBOUNCE_S)  # let a few lines finish: claim them in one trip

    async def step(self, config: BatchConfig) -> int:
        """One pass over the active batches: claim what fits in the free slots, finalize what is done.
        Returns how many lines it started."""
        if not config.enabled:
            return 0
        started = 0
        for job in await self.store.active():
            if job.status == "in_progress":
                # Parked lines (waiting on a Workers AI queued request) hold no upstream connection:
                # they do not take a slot, up to ``queued.max_parked`` of them.
                parked = self.queued.parked
                free = min(
                    config.max_concurrency - (len(self._tasks) - parked),
                    config.max_concurrency + config.queued.max_parked - len(self._tasks),
                )
                app_running = self._per_app.get(job.app, 0) - self.queued.parked_by_app.get(job.app, 0)
                app_free = config.per_app_concurrency - app_running
                want = min(free, app_free, config.claim_size)
                if want > 0:
                    lines = await self.store.claim(
                        job.id, self.owner, want, config.lease_s, config.max_attempts
                    )
                    identity = identity_of(job.identity, job.app)
                    for line in lines:
                        self._spawn(job.app, identity, line)
                    started += len(lines)
                    if lines:
                        continue
                    await self.store.fail_exhausted(job.id, config.max_attempts)
                elif want <= 0 and self._tasks:
                    continue  # busy: no slot to fill, and lines of ours are open, so not final
            elif job.status == "cancelling":
                await self.store.drop_abandoned(job.id)
            await self.store.finalize(job.id)
        return started

    def _spawn(self, app: str, identity: AppIdentity, line: ClaimedLine) -> None:
        self._per_app[app] = self._per_app.get(app, 0) + 1
        task = asyncio.get_running_loop().create_task(self._run_line(identity, line))
        self._tasks.add(task)
        key = (line.batch_id, line.idx)
        self._line_tasks[key] = task

        def done(t: asyncio.Task[None]) -> None:
            self._tasks.discard(t)
            if self._line_tasks.get(key) is t:
                del self._line_tasks[key]
            self._per_app[app] -= 1
            self._wake.set()  # a slot is free: claim the next line now

        task.add_done_callback(done)

    async def _run_line(self, identity: AppIdentity, line: ClaimedLine) -> None:
        config = self.config()
        try:
            outcome = await self.runner(identity, line)
        except Exception as exc:  # the runner answers errors itself; this is a bug, kept as a line error
            log.error("batch line failed unexpectedly", exc_info=exc)
            outcome = LineOutcome(
                500,
                b'{"error":{"message":"Internal error","type":"api_error","param":null,"code":null}}',
                error_code="internal_error",
                error_message="Internal error while running the line",
            )
        if outcome.retryable and line.attempts < config.max_attempts:
            delay = min(RETRY_MAX_S, config.retry_base_s * 2 ** (line.attempts - 1))
            await self.store.retry_later(line, self.owner, delay)
            return
        stored = asyncio.get_running_loop().create_future()
        await self._results.put((line, outcome, stored))
        if not await stored:
            log.warning("batch line %s/%d: claim lost before its result was written", line.batch_id, line.idx)
            return
        if outcome.error_code == BUDGET_CODE:
            await self.store.stop_batch(
                line.batch_id,
                BUDGET_CODE,
                outcome.error_message or "A hard budget ran out; the batch stopped.",
            )
