"""Fixtures for the batch tests: the fake upstreams and a gateway (SQLite or the suite's PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.batch.helpers import FAST_BATCH
from tests.fakes.settings import start_fakes


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[Any, Any]]:
    with start_fakes() as pair:
        yield pair


@pytest.fixture
def batch_settings() -> dict[str, Any]:
    return {"batch": dict(FAST_BATCH), "safety": {"unscannable": "allow"}}
