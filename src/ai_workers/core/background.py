"""One named background coroutine that a component starts once and stops by cancelling it.

The config watcher, the API key refresher and the health prober each ran a loop as a task and wrote
the same start (create it unless already running) and stop (cancel, wait for it to finish, forget it)
by hand; this is that code once.

``cancel_and_wait`` is the one way the gateway stops a task: on Python 3.11 a cancel can be lost.
``asyncio.wait_for`` (which redis-py uses around every socket write) returns the inner result and drops
the cancel when both land in the same loop iteration (CPython gh-86296, fixed in 3.12), so a loop
cancelled during a Redis command carried on and shutdown waited for it forever. The cancel is
delivered again until the task ends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from ai_workers.core.outage import Outage

log = logging.getLogger("ai_workers.background")
# How long a cancelled task may go on before it is cancelled again (its cancel was lost, see above).
RECANCEL_S = 0.5


async def cancel_and_wait(*tasks: asyncio.Future[Any]) -> None:
    """Cancel ``tasks`` and return once every one has ended, whatever it ended with (their errors are
    retrieved, not raised). A task still running ``RECANCEL_S`` after its cancel is cancelled again."""
    pending = {task for task in tasks if not task.done()}
    first = True
    while pending:
        for task in pending:
            if not first:  # one line per round: a task that never ends shows by name, every 0.5 s
                name = task.get_name() if isinstance(task, asyncio.Task) else repr(task)
                log.warning("task %s went on after being cancelled; cancelling it again", name)
            task.cancel()
        first = False
        _, pending = await asyncio.wait(pending, timeout=RECANCEL_S)
    for task in tasks:
        if not task.cancelled():
            task.exception()  # retrieved: no "exception was never retrieved" at garbage collection


class BackgroundTask:
    """Holds at most one task; ``start`` is a no-op while one is held, ``stop`` cancels and awaits it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._task: asyncio.Task[None] | None = None

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The task started and not stopped yet (it may have finished by itself), else None."""
        return self._task

    def start(self, loop: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``loop()`` as a task on the running event loop, unless one was started and not stopped.

        Takes the coroutine function rather than a coroutine so nothing is created (and left never
        awaited) when a task is already running.
        """
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(loop(), name=self.name)

    def start_every(
        self,
        interval_s: float,
        step: Callable[[], Coroutine[Any, Any, None]],
        outage: Outage,
        consequence: str,
    ) -> None:
        """``start`` a loop that awaits ``step()`` every ``interval_s`` seconds, reporting its failures
        (and the end of an outage) to ``outage`` instead of letting one failure end the loop."""

        async def loop() -> None:
            while True:
                await asyncio.sleep(interval_s)
                try:
                    await step()
                except Exception as exc:
                    outage.failed(exc, consequence=consequence)
                else:
                    outage.succeeded()

        self.start(loop)

    async def stop(self) -> None:
        """Cancel the task and wait until it has finished; then ``start`` may run a new one."""
        task = self._task
        if task is not None:
            await cancel_and_wait(task)
            self._task = None
            if not task.cancelled() and (error := task.exception()) is not None:
                raise error
