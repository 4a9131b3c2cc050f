"""Cost of each pricing kind, from the catalog, and the free daily neuron allocation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ai_workers.core.catalog import Deployment, ModelCatalog, Rate
from ai_workers.core.types import Capability, SpeechRequest, TranscriptionRequest, Usage
from ai_workers.usage.pricing import CostEstimator, FreeNeuronPool, price
from tests.usage.helpers import answered_by, chat, chat_response, context, service

NEURON_USD = 0.011 / 1000


@pytest.fixture(scope="module")
def catalog() -> ModelCatalog:
    return ModelCatalog.builtin()


def dep(catalog: ModelCatalog, model: str) -> Deployment:
    return catalog.get(model).deployments[0]


def test_openai_chat_is_priced_by_input_and_output_tokens(catalog: ModelCatalog) -> None:
    usd, neurons = price(catalog, dep(catalog, "gpt-4o"), Usage(1000, 500, 1500), {})
    assert usd == pytest.approx(1000 * 2.50 / 1e6 + 500 * 10.00 / 1e6)
    assert neurons is None


def test_workers_ai_chat_is_priced_in_neurons_computed_from_tokens(catalog: ModelCatalog) -> None:
    usd, neurons = price(catalog, dep(catalog, "llama-3.3-70b-instruct-fp8-fast"), Usage(1000, 500, 1500), {})
    expected_neurons = 1000 * 26668 / 1e6 + 500 * 204805 / 1e6
    assert neurons == pytest.approx(expected_neurons)
    assert usd == pytest.approx(expected_neurons * NEURON_USD)


def test_neurons_reported_by_the_provider_win_over_the_computed_figure(catalog: ModelCatalog) -> None:
    usd, neurons = price(
        catalog, dep(catalog, "llama-3.3-70b-instruct-fp8-fast"), Usage(1000, 500, 1500, 42.0), {}
    )
    assert neurons == 42.0 and usd == pytest.approx(42.0 * NEURON_USD)


def test_embeddings_are_priced_by_input_tokens(catalog: ModelCatalog) -> None:
    usd, _ = price(catalog, dep(catalog, "text-embedding-3-small"), Usage(2_000_000, 0, 2_000_000), {})
    assert usd == pytest.approx(0.04)
    usd, neurons = price(catalog, dep(catalog, "bge-m3"), Usage(2000, 0, 2000), {})
    assert neurons == pytest.approx(2000 * 1075 / 1e6) and usd == pytest.approx(neurons * NEURON_USD)


def test_audio_is_priced_by_minutes(catalog: ModelCatalog) -> None:
    usd, _ = price(catalog, dep(catalog, "whisper-1"), Usage(), {"audio_minutes": 2.5})
    assert usd == pytest.approx(2.5 * 0.006)
    usd, neurons = price(catalog, dep(catalog, "whisper-large-v3-turbo"), Usage(), {"audio_minutes": 2.0})
    assert neurons == pytest.approx(2 * 46.63) and usd == pytest.approx(2 * 46.63 * NEURON_USD)


def test_speech_is_priced_by_characters_or_by_minutes_for_melotts(catalog: ModelCatalog) -> None:
    units = {"characters": 1000.0, "audio_minutes": 1.5}
    usd, neurons = price(catalog, dep(catalog, "tts-1"), Usage(), units)
    assert usd == pytest.approx(1000 * 15.00 / 1e6) and neurons is None
    usd, neurons = price(catalog, dep(catalog, "melotts"), Usage(), units)
    assert neurons == pytest.approx(1.5 * 18.63) and usd == pytest.approx(1.5 * 18.63 * NEURON_USD)


def test_images_and_per_request_prices(catalog: ModelCatalog) -> None:
    image_model = Deployment(provider="openai", id="image-model", price={"images": Rate(usd=0.04)})
    assert price(catalog, image_model, Usage(), {"images": 3})[0] == pytest.approx(0.12)
    per_request = Deployment(provider="x", id="y", price={"requests": Rate(usd=0.002)})
    assert price(catalog, per_request, Usage(), {})[0] == pytest.approx(0.002)
    free = Deployment(provider="local", id="all-MiniLM-L6-v2", price={})
    assert price(catalog, free, Usage(500, 0, 500), {}) == (0.0, None)


def test_free_neuron_pool_covers_the_first_10000_neurons_of_each_utc_day() -> None:
    pool = FreeNeuronPool(10_000)
    day = dt.date(2026, 3, 1)
    assert pool.charge(9_000, day) == 9_000
    assert pool.charge(2_500, day) == 1_000  # 1,500 neurons billed
    assert pool.charge(100, day) == 0
    assert pool.charge(100, day + dt.timedelta(days=1)) == 100  # resets at 00:00 UTC


async def test_billed_cost_applies_the_free_allocation_and_list_cost_does_not(tmp_path: Path) -> None:
    svc = service(f"sqlite+aiosqlite:///{tmp_path / 'u.db'}", tmp_path)
    s = svc.config.current
    costs = []
    for _ in range(2):
        ctx = context(s, model="llama-3.3-70b-instruct-fp8-fast")
        answered_by(ctx, "llama-3.3-70b-instruct-fp8-fast", Usage(10, 10, 20, 6_000.0))
        svc.finish(ctx, None, chat_response("x", ctx.usage))
        costs.append((ctx.cost_usd, ctx.neurons))
    rows = [svc.writer._pending[i] for i in range(2)]
    assert costs[0] == (0.0, 6_000.0)  # entirely inside today's 10,000 free neurons
    assert costs[1][0] == pytest.approx(2_000 * NEURON_USD)  # 4,000 free, 2,000 billed
    assert [r["list_cost_usd"] for r in rows] == pytest.approx([6_000 * NEURON_USD] * 2)
    await svc.database.dispose()


def test_estimates_are_upper_bounds_for_budgets(catalog: ModelCatalog) -> None:
    estimator = CostEstimator(catalog)
    request = chat("x" * 400, model="gpt-4o", max_tokens=200)
    estimate = estimator.estimate("gpt-4o", Capability.CHAT, request)
    # ~101 input tokens and 200 output tokens, at the priciest of gpt-4o and its fallback qwq-32b.
    actual_max, _ = price(catalog, dep(catalog, "gpt-4o"), Usage(101, 200, 301), {})
    assert estimate >= actual_max
    # "auto" reserves for the priciest chat model in the catalog.
    assert estimator.estimate("auto", Capability.CHAT, request) >= estimate
    speech = SpeechRequest(model="tts-1", input="y" * 1500)
    assert estimator.estimate("tts-1", Capability.SPEECH, speech) >= 1500 * 15.00 / 1e6
    audio = TranscriptionRequest(model="whisper-1", audio=b"\0" * 16_000 * 60)  # ~1 minute at 128 kbit/s
    assert estimator.estimate("whisper-1", Capability.TRANSCRIPTION, audio) >= 0.006
