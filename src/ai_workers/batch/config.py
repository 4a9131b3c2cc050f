"""The ``batch:`` config section: size limits, how many lines run at once, claim leases."""

from __future__ import annotations

from typing import Annotated

import msgspec

Positive = Annotated[int, msgspec.Meta(ge=1)]


class QueuedConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """Workers AI asynchronous batches (``batch/queued.py``): lines of one batch for a model the catalog
    marks ``async_batch`` go upstream together as one queued request, polled until done. A line parked
    on a queued request holds no upstream connection, so it does not count against ``max_concurrency``
    (``max_parked`` caps how many one process keeps waiting)."""

    enabled: bool = True
    max_lines: Positive = 500  # lines in one queued request
    max_bytes: Positive = 9_000_000  # its body (Workers AI takes up to 10 MB)
    gather_s: Annotated[float, msgspec.Meta(gt=0)] = 0.5  # send once no line has joined for this long
    max_gather_s: Annotated[float, msgspec.Meta(gt=0)] = 5.0  # or once the first line waited this long
    poll_s: Annotated[float, msgspec.Meta(gt=0)] = 2.0  # the first poll; doubled while not done
    max_poll_s: Annotated[float, msgspec.Meta(gt=0)] = 60.0
    submit_attempts: Positive = 6  # sends of one queued request on 429/5xx (Retry-After honoured)
    poll_failures: Positive = 10  # failed polls in a row before its lines fail (and are retried later)
    max_parked: Positive = 10_000


class BatchConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """Batches run beside live traffic, never ahead of it: each server process runs at most
    ``max_concurrency`` lines at once (``per_app_concurrency`` for one app), on its own worker tasks,
    so a live request never waits in a batch's queue. The caps are per process: N replicas run up to
    N times as many lines."""

    enabled: bool = True
    max_file_bytes: Positive = 100 * 1024 * 1024  # one uploaded input file
    max_lines: Positive = 50_000  # lines in one batch (OpenAI's own limit)
    max_concurrency: Positive = 8
    per_app_concurrency: Positive = 4
    lease_s: Annotated[float, msgspec.Meta(gt=0)] = 60.0  # a claim's life; renewed while the line runs
    poll_s: Annotated[float, msgspec.Meta(gt=0)] = 0.5  # how often an idle worker looks for work
    claim_size: Positive = 16  # lines claimed per database round trip
    max_attempts: Positive = 5  # runs of one line (transient failures, dead workers) before it fails
    retry_base_s: Annotated[float, msgspec.Meta(ge=0)] = 1.0  # first delay after a transient failure
    queued: QueuedConfig = msgspec.field(default_factory=QueuedConfig)
