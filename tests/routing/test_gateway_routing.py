"""Routing inside the real gateway (usage service, cache, executor) against the fake upstreams."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ai_workers.core.context import AppIdentity
from ai_workers.core.types import Capability, ChatRequest, Message
from ai_workers.db.models import UsageRecord
from ai_workers.gateway import Gateway
from ai_workers.routing.neurons import UsagePoolView
from tests.fakes.settings import fake_settings, start_fakes

MEDIUM = "Write a Python function that checks whether a string is a palindrome."


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[Any, Any]]:
    with start_fakes() as pair:
        yield pair


async def ask(gw: Gateway, text: str, *, app: str = "default", user: str | None = None) -> Any:
    ctx = gw.context(AppIdentity(app), Capability.CHAT, "auto", user=user)
    response = await gw.run(ctx, ChatRequest(model="auto", messages=[Message(role="user", content=text)]))
    return ctx, response


async def test_auto_requests_are_tiered_priced_and_recorded(fakes: tuple[Any, Any], tmp_path: Path) -> None:
    workers, openai = fakes
    async with Gateway(fake_settings(workers, openai, data_dir=str(tmp_path))) as gw:
        assert isinstance(gw.routing.neurons, UsagePoolView)  # the usage service's shared pool
        simple, _ = await ask(gw, "Hi! What's the capital of Peru?")
        medium, _ = await ask(gw, MEDIUM)
        complex_, _ = await ask(gw, "Prove that there are infinitely many primes.")
        assert (simple.tier, simple.provider) == ("simple", "cloudflare")
        assert (complex_.tier, complex_.logical_model, complex_.provider) == ("complex", "gpt-4o", "openai")
        # Free neurons left: the medium tier's cheapest Workers AI model, at list price.
        assert medium.tier == "medium" and medium.provider == "cloudflare"
        assert medium.cost_usd is not None and medium.neurons
        await gw.usage.flush()
        async with gw.usage.database.session() as s:
            rows = {r.id: r for r in (await s.execute(select(UsageRecord))).scalars()}
        record = rows[complex_.request_id]
        assert record.tier == "complex" and record.route_reason and "maths proof" in record.route_reason
        assert record.requested_model == "auto" and record.logical_model == "gpt-4o"

        # Today's free neurons used up (by this or another process): medium goes to gpt-4o-mini by price.
        gw.usage.free_neurons.charge(10_000, dt.datetime.now(dt.UTC).date())
        medium, _ = await ask(gw, MEDIUM + " Also handle unicode.")
        assert medium.logical_model == "gpt-4o-mini" and medium.provider == "openai"


async def test_cache_hits_keep_the_tier(fakes: tuple[Any, Any], tmp_path: Path) -> None:
    workers, openai = fakes
    async with Gateway(fake_settings(workers, openai, data_dir=str(tmp_path))) as gw:
        first, _ = await ask(gw, "Hello there, what is the capital of Chile?")
        for _ in range(10):  # the cache writes in a background task: let it run
            await asyncio.sleep(0)
        again, _ = await ask(gw, "Hello there, what is the capital of Chile?")
        assert again.cache == "hit" and again.tier == first.tier == "simple"


ALLERGY_NOTE = (
    "Patient: Ravi Menon, 64 y/o male. Clinic visit for chronic cough and follow-up of COPD.\n\n"
    + " ".join(
        [
            "History: smoker for 30 years, quit 2018. Cough worse in the morning with clear sputum.",
            "Medications: tiotropium 18 mcg daily, salbutamol as needed, amlodipine 5 mg daily.",
            "Allergies: codeine (nausea), shellfish (swelling of lips).",
            "Vitals: BP 138/84, HR 82, SpO2 94% on room air, temperature 37.1 C, RR 18.",
            "Assessment: differential diagnosis includes COPD exacerbation versus early pneumonia;",
            "risk analysis suggests outpatient management. Strategy: chest X-ray, sputum culture,",
            "spirometry in 6 weeks, review inhaler technique, pulmonary rehabilitation referral.",
        ]
        * 6
    )
)


async def test_instruction_not_payload_decides_the_tier(fakes: tuple[Any, Any], tmp_path: Path) -> None:
    """A pasted note with an easy ask goes to the small model; a one-line probability question does not."""
    workers, openai = fakes
    assert len(ALLERGY_NOTE.split()) > 400
    async with Gateway(fake_settings(workers, openai, data_dir=str(tmp_path))) as gw:
        note, _ = await ask(gw, ALLERGY_NOTE + "\n\nList only the allergies.")
        dice, _ = await ask(gw, "If I roll two dice, what is the chance the product is even?")
        care, _ = await ask(gw, "Write care instructions for an older adult recovering from hip surgery.")
        assert (note.tier, note.provider) == ("simple", "cloudflare")
        assert (dice.tier, dice.logical_model) == ("complex", "gpt-4o")
        assert care.tier == "medium"
