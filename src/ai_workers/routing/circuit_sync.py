"""Circuit transitions shared between gateway processes through Redis pub/sub.

Why: each worker and replica keeps its own circuits; when one of them discovers that a target is down
(its circuit opens), the others would each have to fail their own share of requests to find out. With
a top-level ``redis_url``, every local open/close is published on ``aiw:circuits`` and every other
process applies it at once (``HealthMonitor.apply_remote``). Only transitions travel, never request
data. Redis is optional here: the client fails fast (db/fast_redis.py), a lost message only means a
process finds out by itself, and the subscriber reconnects after a pause.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import TYPE_CHECKING, Any

import msgspec

from ai_workers.core.background import cancel_and_wait
from ai_workers.db.redis_client import optional_redis_client

if TYPE_CHECKING:
    from ai_workers.routing.health import HealthMonitor, TargetHealth

log = logging.getLogger("ai_workers.routing.circuit_sync")

CHANNEL = "aiw:circuits"
RECONNECT_S = 1.0


class Transition(msgspec.Struct):
    origin: str  # the publishing process, so it ignores its own messages
    key: str  # provider:model
    event: str  # "open" or "close"
    cooldown_s: float = 0.0


class CircuitSync:
    """Publishes this process' circuit opens and closes and applies the other processes' ones."""

    def __init__(self, monitor: HealthMonitor, url: str, *, client: Any = None) -> None:
        self.monitor = monitor
        self.origin = uuid.uuid4().hex
        self.redis: Any = client or optional_redis_client(url)
        self._listener: asyncio.Task[None] | None = None
        self._pending: set[asyncio.Task[None]] = set()
        self.subscribed = asyncio.Event()

    def start(self) -> None:
        self.monitor.listeners.append(self._on_transition)
        self._listener = asyncio.get_running_loop().create_task(self._listen(), name="circuit-sync")

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.monitor.listeners.remove(self._on_transition)
        if self._listener is not None:
            await cancel_and_wait(self._listener)
            self._listener = None
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        await self.redis.aclose()

    def _on_transition(self, entry: TargetHealth, event: str) -> None:
        if self.monitor.applying_remote or event not in ("open", "close"):
            return
        message = Transition(self.origin, f"{entry.provider}:{entry.model}", event, entry.cooldown_s)
        task = asyncio.get_running_loop().create_task(self._publish(msgspec.json.encode(message)))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _publish(self, payload: bytes) -> None:
        try:
            await self.redis.publish(CHANNEL, payload)
        except Exception as exc:  # optional: the others find out by themselves
            log.debug("could not publish a circuit transition: %r", exc)

    async def _listen(self) -> None:
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(CHANNEL)
                self.subscribed.set()
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None:
                        self._apply(message.get("data"))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.subscribed.clear()
                log.debug("circuit subscription lost, retrying: %r", exc)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(RECONNECT_S)

    def _apply(self, data: Any) -> None:
        if not isinstance(data, bytes | str):
            return
        try:
            message = msgspec.json.decode(data, type=Transition)
        except msgspec.MsgspecError:
            return
        if message.origin != self.origin:
            self.monitor.apply_remote(message.key, message.event, message.cooldown_s)
