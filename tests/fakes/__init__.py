"""Fake upstreams (Workers AI, OpenAI) for tests and benchmarks: real HTTP servers on loopback.

with FakeWorkersAI(**workers_credentials()) as cf, FakeOpenAI(api_key=openai_key()) as oa:
    settings = fake_settings(workers=cf, openai=oa)
"""

from tests.fakes.openai import FakeOpenAI
from tests.fakes.server import FAULTS, FakeUpstream, RecordedRequest, Reply
from tests.fakes.settings import (
    FAKE_ENV,
    fake_settings,
    openai_key,
    start_fakes,
    workers_credentials,
)
from tests.fakes.workers_ai import FakeWorkersAI

__all__ = [
    "FAKE_ENV",
    "FAULTS",
    "FakeOpenAI",
    "FakeUpstream",
    "FakeWorkersAI",
    "RecordedRequest",
    "Reply",
    "fake_settings",
    "openai_key",
    "start_fakes",
    "workers_credentials",
]
