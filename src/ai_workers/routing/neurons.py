"""How many of today's free Workers AI neurons are left.

Cloudflare gives each account a daily allocation of free neurons (10,000; resets 00:00 UTC; the figure
is the catalog's ``free_neurons_per_day``). While some remain, a Workers AI model costs nothing, so the
router prefers one.

The usage service already keeps the authoritative count (``UsageService.free_neurons``: charged as each
request is priced, seeded from today's usage records at start, shared between processes through Redis
when configured), so the router reads that pool through ``UsagePoolView``. ``FreeNeuronTracker`` is
the stand-alone fallback for a usage service without one: it counts neurons itself as a usage listener,
per process (``free_neuron_reserve`` in the routing config leaves head-room for other processes).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Protocol

from ai_workers.core.context import RequestContext


def utc_day(epoch_s: float) -> dt.date:
    return dt.datetime.fromtimestamp(epoch_s, dt.UTC).date()


class FreeNeurons(Protocol):
    def remaining(self) -> float: ...


class NeuronPool(Protocol):
    """The usage service's count of today's free neurons (``usage.pricing.FreeNeuronPool``)."""

    @property
    def free_per_day(self) -> float: ...
    @property
    def used(self) -> float: ...
    @property
    def day(self) -> dt.date | None: ...


class UsagePoolView:
    """Read-only view of the usage service's pool (``free_per_day``, ``used``, ``day`` attributes)."""

    def __init__(self, pool: NeuronPool, *, clock: Callable[[], float] = time.time) -> None:
        self.pool = pool
        self._clock = clock

    def remaining(self) -> float:
        if self.pool.day != utc_day(self._clock()):
            return float(self.pool.free_per_day)  # nothing charged yet today
        return max(0.0, float(self.pool.free_per_day) - float(self.pool.used))


class FreeNeuronTracker:
    def __init__(self, daily_free: float = 10_000.0, *, clock: Callable[[], float] = time.time) -> None:
        self.daily_free = daily_free
        self._clock = clock
        self._day = utc_day(clock())
        self._used = 0.0

    def _roll(self) -> None:
        today = utc_day(self._clock())
        if today != self._day:
            self._day = today
            self._used = 0.0

    @property
    def used(self) -> float:
        self._roll()
        return self._used

    def remaining(self) -> float:
        self._roll()
        return max(0.0, self.daily_free - self._used)

    def add(self, neurons: float) -> None:
        if neurons > 0:
            self._roll()
            self._used += neurons

    def observe(self, ctx: RequestContext) -> None:
        """Usage listener: count the neurons a finished request spent (cache hits spend none)."""
        neurons = ctx.neurons if ctx.neurons is not None else ctx.usage.neurons
        if neurons:
            self.add(neurons)
