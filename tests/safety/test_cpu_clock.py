"""The scan clock reads the thread's CPU clock only when the limit may be near, and is exact past it."""

from __future__ import annotations

import time

import pytest

from ai_workers.safety import cpu_clock
from ai_workers.safety.cpu_clock import ScanClock


def test_a_short_scan_reads_the_cpu_clock_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    real = time.thread_time

    def counted() -> float:
        reads.append(1)
        return real()

    monkeypatch.setattr(cpu_clock.time, "thread_time", counted)
    clock = ScanClock(10.0)
    for _ in range(8):  # the detector's checks between passes
        assert clock.elapsed() < 10.0
    assert len(reads) == 1  # at the start only: within the limit the wall clock bounds the CPU time


def test_past_the_limit_it_answers_with_cpu_time_not_wall_time() -> None:
    clock = ScanClock(0.001)
    time.sleep(0.05)  # 50 ms of wall time, hardly any CPU: not a runaway scan
    assert clock.elapsed() < 0.001 + 0.02
    until = time.thread_time() + 0.03  # 30 ms of CPU: past the limit
    while time.thread_time() < until:
        pass
    assert clock.elapsed() >= 0.03
