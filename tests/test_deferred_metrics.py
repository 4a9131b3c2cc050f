"""Deferred metric children: what /metrics shows after a push equals what direct Prometheus updates show."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from ai_workers.core.metrics import (
    DeferredCounter,
    DeferredGauge,
    DeferredHistogram,
    LabelChildren,
    push_deferred,
)

BUCKETS = (0.001, 0.01, 0.1, 1.0)
VALUES = [0.0005, 0.001, 0.0011, 0.05, 0.1, 0.7, 3.0, 0.0, 12.5]


def pair(kind: type, **kw: object) -> tuple[object, object, CollectorRegistry]:
    registry = CollectorRegistry()
    name = "m" + uuid.uuid4().hex[:8]
    direct = kind(name + "direct", "direct", ["x"], registry=registry, **kw)
    deferred = kind(name + "later", "deferred", ["x"], registry=registry, **kw)
    return direct, deferred, registry


def exposition(registry: CollectorRegistry, which: str) -> list[str]:
    """The samples of one of the pair, without their name's prefix (HELP/TYPE and timestamps left out)."""
    lines = generate_latest(registry).decode().splitlines()
    return [
        line.split(which, 1)[1]
        for line in lines
        if which in line and "created" not in line and line[0] != "#"
    ]


def test_counts_reach_prometheus_when_pushed() -> None:
    direct, deferred, registry = pair(Counter)
    child = DeferredCounter(deferred.labels("v"))  # type: ignore[attr-defined]
    for amount in (1, 2.5, 40):
        direct.labels("v").inc(amount)  # type: ignore[attr-defined]
        child.inc(amount)
    assert exposition(registry, "later") != exposition(registry, "direct")  # not pushed yet
    push_deferred()
    assert exposition(registry, "later") == exposition(registry, "direct")
    child.inc()
    push_deferred()
    push_deferred()  # a second push adds nothing twice
    assert deferred.labels("v")._value.get() == 44.5  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        child.inc(-1)


def test_histogram_buckets_and_sum_match_direct_observations() -> None:
    direct, deferred, registry = pair(Histogram, buckets=BUCKETS)
    child = DeferredHistogram(deferred.labels("v"))  # type: ignore[attr-defined]
    for value in VALUES:
        direct.labels("v").observe(value)  # type: ignore[attr-defined]
        child.observe(value)
    push_deferred()
    assert exposition(registry, "later") == exposition(registry, "direct")


def test_label_children_can_hand_out_deferred_counters() -> None:
    _, deferred, _registry = pair(Counter)
    children = LabelChildren(deferred, deferred=True)
    children("v").inc()
    assert children("v") is children("v")
    push_deferred()
    assert deferred.labels("v")._value.get() == 1  # type: ignore[attr-defined]


def test_a_deferred_gauge_shows_its_latest_value_once_pushed() -> None:
    direct, deferred, registry = pair(Gauge)
    child = DeferredGauge(deferred.labels("v"))  # type: ignore[attr-defined]
    for value in (3.0, 0.25, 7.5):
        direct.labels("v").set(value)  # type: ignore[attr-defined]
        child.set(value)
    assert exposition(registry, "later") != exposition(registry, "direct")  # not pushed yet
    push_deferred()
    assert exposition(registry, "later") == exposition(registry, "direct")
    child.set(0.0)
    push_deferred()
    assert deferred.labels("v")._value.get() == 0.0  # type: ignore[attr-defined]
