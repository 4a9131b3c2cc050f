"""Prometheus label children looked up once, and children updated without Prometheus on the hot path.

``labels()`` validates, hashes and takes a lock on every call; stages that count every request keep
each child they have used. Label values must come from a small, fixed set (tiers, models, apps, types),
as for any Prometheus label.

Even a cached child costs ~1-2 us per update (a method call that checks the metric, then a lock per
value; a histogram walks its buckets in Python), and a request made about ten of them. ``deferred``
children count with plain arithmetic instead and push what they gathered into their Prometheus child
when the metrics are read (``push_deferred``, called by ``GET /metrics`` before it renders them), so
the exposition shows the same totals. They are for code on the event loop's thread (the request path):
each keeps cumulative totals and pushes only the difference, so a push never loses an update. A
deferred gauge keeps its latest value and sets it when pushed (the routing health gauges were set twice
per request).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from typing import Any


class LabelChildren:
    """``children(*values)`` is ``metric.labels(*values)``, looked up once per distinct values.

    ``deferred=True`` hands out ``DeferredCounter`` children (counters only)."""

    __slots__ = ("_children", "_deferred", "_metric")

    def __init__(self, metric: Any, *, deferred: bool = False) -> None:
        self._metric = metric
        self._deferred = deferred
        self._children: dict[tuple[str, ...], Any] = {}

    def __call__(self, *values: str) -> Any:
        child = self._children.get(values)
        if child is None:
            child = self._metric.labels(*values)
            if self._deferred:
                child = DeferredCounter(child)
            self._children[values] = child
        return child


_DEFERRED: list[DeferredCounter | DeferredGauge | DeferredHistogram] = []
_PUSH_LOCK = threading.Lock()


def push_deferred() -> None:
    """Add what every deferred child counted since the last push to its Prometheus child."""
    with _PUSH_LOCK:
        for child in list(_DEFERRED):
            child.push()


class DeferredCounter:
    """A counter child's ``inc`` as an addition; ``push`` adds the total since the last push to it."""

    __slots__ = ("_child", "_pushed", "total")

    def __init__(self, child: Any) -> None:
        self._child = child
        self.total = 0.0
        self._pushed = 0.0
        _DEFERRED.append(self)

    def inc(self, amount: float = 1.0) -> None:
        if amount < 0:
            raise ValueError("Counters can only be incremented by non-negative amounts.")
        self.total += amount

    def push(self) -> None:
        total = self.total
        if total != self._pushed:
            self._child.inc(total - self._pushed)
            self._pushed = total


class DeferredGauge:
    """A gauge child's ``set`` as an assignment; ``push`` sets the Prometheus child to the latest value."""

    __slots__ = ("_child", "_pushed", "value")

    def __init__(self, child: Any) -> None:
        self._child = child
        self.value: float | None = None
        self._pushed: float | None = None
        _DEFERRED.append(self)

    def set(self, value: float) -> None:
        self.value = value

    def push(self) -> None:
        value = self.value
        if value is not None and value != self._pushed:
            self._child.set(value)
            self._pushed = value


class DeferredHistogram:
    """A histogram child's ``observe`` as one bisection and two additions; ``push`` adds the new
    observations to its buckets and sum (the same bucket Prometheus picks: the first bound >= value)."""

    __slots__ = ("_bounds", "_child", "_pushed_counts", "_pushed_sum", "counts", "sum")

    def __init__(self, child: Any) -> None:
        self._child = child
        self._bounds: list[float] = list(child._upper_bounds)  # the last one is +Inf
        self.counts = [0] * len(self._bounds)
        self.sum = 0.0
        self._pushed_counts = [0] * len(self._bounds)
        self._pushed_sum = 0.0
        _DEFERRED.append(self)

    def observe(self, amount: float) -> None:
        if amount != amount:  # NaN: Prometheus adds it to the sum and to no bucket
            self.sum += amount
            return
        self.counts[bisect_left(self._bounds, amount)] += 1
        self.sum += amount

    def push(self) -> None:
        child = self._child
        for i, count in enumerate(self.counts):
            new = count - self._pushed_counts[i]
            if new:
                child._buckets[i].inc(new)
                self._pushed_counts[i] = count
        total = self.sum
        if total != self._pushed_sum:
            child._sum.inc(total - self._pushed_sum)
            self._pushed_sum = total
