"""One named background coroutine that a component starts once and stops by cancelling it.

The config watcher, the API key refresher and the health prober each ran a loop as a task and wrote
the same start (create it unless already running) and stop (cancel, wait for it to finish, forget it)
by hand; this is that code once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from ai_workers.core.outage import Outage


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
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
