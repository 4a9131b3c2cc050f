"""The pipeline's stage order, which is what keeps PHI away from providers and caches.

Routing must run before safety (the PHI policy depends on every target the request may reach) and
safety before the cache (keys and stored answers only ever see placeholders) and before the provider
call. These tests fail if that order changes: by the declared order, and by what a user would notice,
i.e. PHI reaching the upstream, or two prompts that differ only in a patient's name not sharing a cache
entry (which is what happens when the key is computed from unredacted text).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ai_workers import AsyncClient
from ai_workers.gateway import Gateway
from tests.fakes import FakeOpenAI, FakeWorkersAI, start_fakes
from tests.fakes.settings import fake_settings

NOTE_A = "Summarise: patient Jane Doe, DOB 01/02/1960, phone 555-123-4567, has a cough."
NOTE_B = "Summarise: patient Mark Smith, DOB 03/04/1971, phone 555-987-6543, has a cough."


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeWorkersAI, FakeOpenAI]]:
    with start_fakes() as pair:
        yield pair


def _settings(fakes: tuple[FakeWorkersAI, FakeOpenAI]) -> Any:
    # OpenAI is not trusted with PHI (the default), so an app on redact sends placeholders.
    return fake_settings(*fakes, apps={"clinic": {"phi_policy": "redact"}})


def test_the_declared_order_is_record_budget_route_safety_cache_then_the_provider(
    fakes: tuple[FakeWorkersAI, FakeOpenAI],
) -> None:
    gateway = Gateway(_settings(fakes))
    names = [stage.name for stage in gateway.pipeline.stages]
    assert names == ["usage", "overhead", "budget", "route", "safety", "cache"]
    assert gateway.pipeline.terminal is gateway.executor


async def test_phi_never_reaches_the_provider_and_the_cache_key_is_the_redacted_text(
    fakes: tuple[FakeWorkersAI, FakeOpenAI],
) -> None:
    _, openai = fakes
    openai.requests.clear()
    async with AsyncClient(_settings(fakes), app="clinic") as client:
        first = await client.chat(NOTE_A, model="gpt-4o-mini", temperature=0)
        await client.gateway.cache.flush()  # answers are stored after they are returned
        second = await client.chat(NOTE_B, model="gpt-4o-mini", temperature=0)

    sent = [r.body.decode() for r in openai.requests if r.path.endswith("/chat/completions")]
    assert len(sent) == 1, "the second note differs only in PHI: it must be served from the cache"
    for value in ("Jane Doe", "01/02/1960", "555-123-4567"):
        assert value not in sent[0]
    assert "[NAME_1]" in sent[0]

    # Each caller gets its own values back; the shared entry holds placeholders only.
    assert first.x_ai_workers is not None and first.x_ai_workers.cache == "miss"
    assert second.x_ai_workers is not None and second.x_ai_workers.cache == "hit"
    assert "Jane Doe" in first.text and "Mark Smith" not in first.text
    assert "Mark Smith" in second.text and "Jane Doe" not in second.text
