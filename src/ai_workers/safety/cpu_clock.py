"""The clock behind the PHI detection time limit: this thread's CPU time, less garbage collection.

The limit exists to refuse a request whose scan runs away (a pathological input), never to send it
unscanned. Wall time measured something else: a scan waiting for the GIL behind other threads, or paused
by a full collection of a heap that holds torch and transformers (~250 ms in the ``ai-workers ingest``
process), was refused although the detector had used 20 ms. Only CPU time this thread spent detecting
counts now: ``time.thread_time`` excludes waiting, and collector passes are timed by a ``gc`` callback and
taken off.
"""

from __future__ import annotations

import gc
import threading
import time
from typing import Any


class _GcTime(threading.local):
    started: float | None = None
    total: float = 0.0


_GC = _GcTime()


def _on_gc(phase: str, info: dict[str, Any]) -> None:
    # Called in the thread that triggered the collection, before ("start") and after ("stop") it.
    if phase == "start":
        _GC.started = time.thread_time()
    elif _GC.started is not None:
        _GC.total += time.thread_time() - _GC.started
        _GC.started = None


gc.callbacks.append(_on_gc)


def scan_seconds() -> float:
    """CPU seconds this thread has spent outside the garbage collector (differences are meaningful)."""
    return time.thread_time() - _GC.total


class ScanClock:
    """One scan's CPU time on this thread (less collections), read with as few system calls as exact.

    ``time.thread_time`` is a system call (~1.5 us on a virtual machine; the vDSO does not serve
    thread clocks), and a scan read it at its start, between each of the detector's passes and at its
    end: about a tenth of a short request's CPU. A thread's CPU time never advances faster than wall
    time, so while less wall time than ``limit_s`` has passed since the scan started its CPU time is
    below the limit too: ``elapsed`` then answers with the wall time (an upper bound, only ever
    compared with the limit) from ``perf_counter``, and reads the CPU clock only past that point,
    where it is exact. A scan that runs away is refused exactly as before; a short one costs one read.
    """

    __slots__ = ("_cpu_start", "_limit_s", "_wall_start")

    def __init__(self, limit_s: float) -> None:
        self._limit_s = limit_s
        # Wall clock first: the CPU interval measured from the later reading lies within the wall one.
        self._wall_start = time.perf_counter()
        self._cpu_start = scan_seconds()

    def elapsed(self) -> float:
        """Seconds since the start: wall time while within the limit, else this thread's CPU time."""
        wall = time.perf_counter() - self._wall_start
        if wall <= self._limit_s:
            return wall
        return scan_seconds() - self._cpu_start
