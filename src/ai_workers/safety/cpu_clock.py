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
