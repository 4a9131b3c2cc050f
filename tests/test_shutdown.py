"""Stopping background loops ends them even when a cancel is lost.

On Python 3.11 ``asyncio.wait_for`` drops a cancel that lands in the same loop iteration as the call it
waits for completes (CPython gh-86296). redis-py wraps every socket write in it, so a rate-limit lease
loop cancelled mid-command carried on, and the gateway's shutdown waited for it forever (seen as a racer
process of tests/usage/test_leases.py that never exited).
"""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest

from ai_workers.core.background import BackgroundTask, cancel_and_wait
from ai_workers.core.outage import Outage


async def _a_loop_parked_in_wait_for() -> tuple[BackgroundTask, asyncio.Future[None]]:
    """A ``start_every`` loop whose step waits in ``wait_for`` on a future the caller completes."""
    parked = asyncio.Event()
    inner: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def step() -> None:
        parked.set()
        await asyncio.wait_for(inner, 30)

    loop = BackgroundTask("parked")
    loop.start_every(0.001, step, Outage(logging.getLogger("test"), "test"), "test")
    await parked.wait()
    return loop, inner


async def test_a_cancel_landing_as_wait_for_completes_is_lost_on_this_python() -> None:
    """The premise: without a second cancel the loop goes on (on 3.11; later Pythons keep the cancel)."""
    loop, inner = await _a_loop_parked_in_wait_for()
    task = loop.task
    assert task is not None
    inner.set_result(None)
    task.cancel()  # in the same iteration as the completion
    await asyncio.wait({task}, timeout=0.3)
    lost = not task.done()
    assert lost == (sys.version_info < (3, 12))
    await loop.stop()


async def test_stop_ends_a_loop_whose_cancel_was_lost(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "ai_workers.background")
    loop, inner = await _a_loop_parked_in_wait_for()
    task = loop.task
    assert task is not None
    inner.set_result(None)
    stopping = asyncio.ensure_future(loop.stop())
    await asyncio.wait({stopping}, timeout=10)  # before the fix this waited forever
    assert stopping.done(), "stop() is still waiting for a loop that lost its cancel"
    assert task.cancelled()
    assert loop.task is None
    if sys.version_info < (3, 12):  # the operator sees which task needed a second cancel
        assert "task parked went on after being cancelled" in caplog.text


async def test_cancel_and_wait_ends_tasks_that_swallow_a_cancel_and_retrieves_errors() -> None:
    swallowed = 0

    async def stubborn() -> None:
        nonlocal swallowed
        while True:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                swallowed += 1
                if swallowed > 1:
                    raise

    async def failing() -> None:
        raise RuntimeError("boom")

    tasks = [asyncio.ensure_future(stubborn()), asyncio.ensure_future(failing())]
    await asyncio.sleep(0)
    waiting = asyncio.ensure_future(cancel_and_wait(*tasks))
    await asyncio.wait({waiting}, timeout=10)
    assert waiting.done()
    assert swallowed == 2 and tasks[0].cancelled()
    assert isinstance(tasks[1].exception(), RuntimeError)
