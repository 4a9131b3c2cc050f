"""The ``batch:`` config section: size limits, how many lines run at once, claim leases."""

from __future__ import annotations

from typing import Annotated

import msgspec

Positive = Annotated[int, msgspec.Meta(ge=1)]


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
