"""Prometheus label children looked up once.

``labels()`` validates, hashes and takes a lock on every call; stages that count every request keep
each child they have used. Label values must come from a small, fixed set (tiers, models, apps, types),
as for any Prometheus label.
"""

from __future__ import annotations

from typing import Any


class LabelChildren:
    """``children(*values)`` is ``metric.labels(*values)``, looked up once per distinct values."""

    __slots__ = ("_children", "_metric")

    def __init__(self, metric: Any) -> None:
        self._metric = metric
        self._children: dict[tuple[str, ...], Any] = {}

    def __call__(self, *values: str) -> Any:
        child = self._children.get(values)
        if child is None:
            child = self._children[values] = self._metric.labels(*values)
        return child
