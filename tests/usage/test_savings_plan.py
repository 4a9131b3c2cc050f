"""The plan's savings report on a small recorded fixture, checked against figures computed by hand,
through the library, ``GET /api/savings`` (real HTTP) and ``ai-workers report savings --json``.

The fixture (usage records inserted as the writer stores them; prices from catalog.yaml):

=====  =========  ==============================  =====================================  ============
app    route      capability / model              traffic                                billed $
=====  =========  ==============================  =====================================  ============
clinic api        chat llama-3.3-70b (medium) x2  1000 in / 200 out each: 67.629 neurons  0 (free) +
                                                  = $0.000743919 list each                0.000743919
front  api        chat llama-3.3-70b (simple)     1000 in / 200 out                      0.000743919
front  batch      chat gpt-4o-mini (medium)       10000 in / 2000 out: .0015 + .0012      0.0027
clinic rag        embeddings bge-m3               10000 tokens: 10.75 neurons            0.00011825
clinic rag        rerank bge-reranker-base        4000 tokens: 1.132 neurons             0.000012452
front  api        speech-to-text whisper-turbo    10 audio minutes: 466.3 neurons        0.0051293
front  api        text-to-speech melotts          2 min, 1500 characters: 37.26 neurons  0.00040986
clinic internal   safety llama-guard              (not compared)                         0.0001
clinic api        chat gpt-4o, 10 days ago        1000 in / 1000 out: .0025 + .01        0.0125
=====  =========  ==============================  =====================================  ============

OpenAI equivalents: chat on gpt-4o ($2.50 / $10 per M), embeddings and rerank on text-embedding-3-small
($0.02/M), whisper-1 ($0.006/min), tts-1 ($15/M characters).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from ai_workers.cli.main import app as cli
from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.reports import savings_report
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer
from tests.usage.helpers import service

TODAY = dt.datetime.now(dt.UTC).date()
FIRST = TODAY - dt.timedelta(days=13)
LLAMA = 0.000743919  # 67.629 neurons at $0.000011

# (app, route, capability, model, tier, input, output, units, neurons, billed, list, days ago)
FIXTURE: list[tuple[Any, ...]] = [
    ("clinic", "/v1/chat/completions", "chat", "llama-3.3-70b-instruct-fp8-fast", "medium", 1000, 200, None,
     67.629, 0.0, LLAMA, 0),
    ("clinic", "/v1/chat/completions", "chat", "llama-3.3-70b-instruct-fp8-fast", "medium", 1000, 200, None,
     67.629, LLAMA, LLAMA, 1),
    ("front", "/v1/chat/completions", "chat", "llama-3.3-70b-instruct-fp8-fast", "simple", 1000, 200, None,
     67.629, LLAMA, LLAMA, 2),
    ("front", "batch:nightly", "chat", "gpt-4o-mini", "medium", 10000, 2000, None, None, 0.0027, 0.0027, 0),
    ("clinic", "rag", "embeddings", "bge-m3", None, 10000, 0, None, 10.75, 0.00011825, 0.00011825, 0),
    ("clinic", "rag", "rerank", "bge-reranker-base", None, 4000, 0, None, 1.132, 0.000012452, 0.000012452, 0),
    ("front", "/v1/audio/transcriptions", "speech-to-text", "whisper-large-v3-turbo", None, 0, 0,
     {"audio_minutes": 10.0}, 466.3, 0.0051293, 0.0051293, 3),
    ("front", "/v1/audio/speech", "text-to-speech", "melotts", None, 0, 0,
     {"audio_minutes": 2.0, "characters": 1500.0}, 37.26, 0.00040986, 0.00040986, 0),
    ("clinic", "internal", "safety", "llama-guard-3-8b", None, 300, 5, None, None, 0.0001, 0.0001, 0),
    ("clinic", "/v1/chat/completions", "chat", "gpt-4o", None, 1000, 1000, None, None, 0.0125, 0.0125, 10),
]  # fmt: skip

# By hand, per row: (billed, baseline on the OpenAI equivalent)
CHAT_MEDIUM = (LLAMA, 2000 * 2.5e-6 + 400 * 10e-6)  # 0.005 + 0.004 = 0.009
CHAT_SIMPLE = (LLAMA, 1000 * 2.5e-6 + 200 * 10e-6)  # 0.0025 + 0.002 = 0.0045
BATCH = (0.0027, 10000 * 2.5e-6 + 2000 * 10e-6)  # 0.025 + 0.02 = 0.045
EMBED = (0.00011825, 10000 * 0.02e-6)  # 0.0002
RERANK = (0.000012452, 4000 * 0.02e-6)  # 0.00008
WHISPER = (0.0051293, 10 * 0.006)  # 0.06
TTS = (0.00040986, 1500 * 15e-6)  # 0.0225
OLD_GPT4O = (0.0125, 1000 * 2.5e-6 + 1000 * 10e-6)  # 0.0125: already on gpt-4o, saved 0
RECENT = [CHAT_MEDIUM, CHAT_SIMPLE, BATCH, EMBED, RERANK, WHISPER, TTS]
ACTUAL = sum(a for a, _ in RECENT) + OLD_GPT4O[0]  # 0.021740641
BASELINE = sum(b for _, b in RECENT) + OLD_GPT4O[1]  # 0.15228
WEEK_SAVED = sum(b - a for a, b in RECENT)  # the old gpt-4o record is outside the last 7 days


async def insert_fixture(database: Database) -> None:
    now = dt.datetime.now(dt.UTC).replace(hour=12, minute=0)
    async with database.session() as session:
        for app, route, capability, model, tier, inp, out, units, neurons, cost, listed, ago in FIXTURE:
            session.add(
                UsageRecord(
                    id=uuid.uuid4().hex,
                    ts=now - dt.timedelta(days=ago),
                    app=app,
                    route=route,
                    capability=capability,
                    requested_model=model,
                    logical_model=model,
                    provider="openai" if model.startswith("gpt") else "cloudflare",
                    tier=tier,
                    status=200,
                    input_tokens=inp,
                    output_tokens=out,
                    units=units,
                    neurons=neurons,
                    cost_usd=cost,
                    list_cost_usd=listed,
                    latency_ms=100.0,
                )
            )
        await session.commit()


def check(body: dict[str, Any]) -> None:
    """Every figure of the report against the hand computation."""
    approx = pytest.approx
    totals = body["totals"]
    assert totals["actual_usd"] == approx(ACTUAL, abs=1e-9)
    assert totals["baseline_usd"] == approx(BASELINE, abs=1e-9)
    assert totals["saved_usd"] == approx(BASELINE - ACTUAL, abs=1e-9)

    capability = body["by_capability"]
    assert capability["chat"]["actual_usd"] == approx(2 * LLAMA + 0.0027 + 0.0125, abs=1e-9)
    assert capability["chat"]["baseline_usd"] == approx(0.009 + 0.0045 + 0.045 + 0.0125, abs=1e-9)
    assert capability["embeddings"]["baseline_usd"] == approx(0.0002, abs=1e-9)
    assert capability["rerank"]["baseline_usd"] == approx(0.00008, abs=1e-9)
    assert capability["speech-to-text"]["baseline_usd"] == approx(0.06, abs=1e-9)
    assert capability["text-to-speech"]["baseline_usd"] == approx(0.0225, abs=1e-9)
    assert "safety" not in capability  # no paid OpenAI equivalent: listed, not compared
    assert body["equivalents"]["rerank"] == "text-embedding-3-small"

    route = body["by_route"]
    assert set(route) == {"api", "rag", "batch"}
    assert route["rag"]["actual_usd"] == approx(0.00011825 + 0.000012452, abs=1e-9)
    assert route["rag"]["baseline_usd"] == approx(0.00028, abs=1e-9)
    assert route["batch"]["saved_usd"] == approx(0.045 - 0.0027, abs=1e-9)
    app = body["by_app"]
    assert app["clinic"]["baseline_usd"] == approx(0.009 + 0.0002 + 0.00008 + 0.0125, abs=1e-9)
    assert app["front"]["baseline_usd"] == approx(0.0045 + 0.045 + 0.06 + 0.0225, abs=1e-9)
    rows = {(r["app"], r["route"], r["capability"], r["model"]): r for r in body["rows"]}
    assert rows[("clinic", "internal", "safety", "llama-guard-3-8b")]["baseline_usd"] is None
    medium = rows[("clinic", "api", "chat", "llama-3.3-70b-instruct-fp8-fast")]
    assert medium["requests"] == 2 and medium["neurons"] == pytest.approx(2 * 67.629)

    free = body["free_neurons"]
    assert free["per_day_neurons"] == 10_000 and free["days"] == 14 and free["allocation_neurons"] == 140_000
    assert free["used_neurons"] == approx(3 * 67.629 + 10.75 + 1.132 + 466.3 + 37.26, abs=1e-4)
    assert free["covered_usd"] == approx(LLAMA, abs=1e-9)  # the one request the allocation paid for

    projection = body["projection"]
    assert projection["basis"] == {"from": (TODAY - dt.timedelta(days=6)).isoformat(),
                                   "to": TODAY.isoformat(), "days": 7}  # fmt: skip
    assert projection["last_7_days"]["saved_usd"] == approx(WEEK_SAVED, abs=1e-9)
    assert projection["month"]["saved_usd"] == approx(WEEK_SAVED / 7 * 30, abs=1e-8)
    assert projection["year"]["saved_usd"] == approx(WEEK_SAVED / 7 * 365, abs=1e-8)

    # The three largest: gpt-4o traffic (complex: named, so its own quality) on qwq-32b, 150.909 neurons;
    # the simple-tier llama request on llama-3.1-8b-fp8-fast, 11.0926 neurons; the medium-tier llama
    # requests on gpt-4o-mini, $0.0003 + $0.00024. The batch's gpt-4o-mini is already the cheapest.
    found = [
        (o["app"], o["tier"], o["model"], o["alternative"], o["saved_usd"]) for o in body["opportunities"]
    ]
    assert [f[:4] for f in found] == [
        ("clinic", None, "gpt-4o", "qwq-32b"),
        ("front", "simple", "llama-3.3-70b-instruct-fp8-fast", "llama-3.1-8b-instruct-fp8-fast"),
        ("clinic", "medium", "llama-3.3-70b-instruct-fp8-fast", "gpt-4o-mini"),
    ]
    assert found[0][4] == approx(0.0125 - 150.909 * 0.000011, abs=1e-9)
    assert found[1][4] == approx(LLAMA - 11.0926 * 0.000011, abs=1e-9)
    assert found[2][4] == approx(LLAMA - 0.00054, abs=1e-9)
    assert all(o["text"].startswith(f"app {o['app']}") for o in body["opportunities"])


async def test_the_report_matches_the_hand_computation(db_url: str, tmp_path: Path) -> None:
    svc = service(db_url, tmp_path)
    await svc.start()
    try:
        await insert_fixture(svc.database)
        report = await savings_report(svc.database, svc.config.current.catalog, FIRST, TODAY)
    finally:
        await svc.stop()
    check(report.to_json_obj())


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str, Path]]:
    data_dir = tmp_path_factory.mktemp("savings-api")
    url = f"sqlite+aiosqlite:///{data_dir / 'usage.db'}"

    async def seed() -> None:
        svc = service(url, data_dir)
        await svc.start()
        await insert_fixture(svc.database)
        await svc.stop()

    asyncio.run(seed())
    with LiveServer(fake_settings(database_url=url, data_dir=str(data_dir))) as server:
        yield server, url, data_dir


def test_the_api_and_the_cli_carry_the_same_figures(
    live: tuple[LiveServer, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, url, data_dir = live
    key = server.create_key("ops", role="admin")
    params = {"from": FIRST.isoformat(), "to": TODAY.isoformat()}
    response = httpx.get(
        server.url + "/api/savings", params=params, headers={"authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200, response.text
    api = response.json()
    check(api)
    assert api["baseline_model"] == "gpt-4o"

    monkeypatch.setenv("AI_WORKERS_DATABASE_URL", url)
    monkeypatch.setenv("AI_WORKERS_DATA_DIR", str(data_dir))
    printed = CliRunner().invoke(cli, ["report", "savings", "--from", FIRST.isoformat(), "--json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == api
