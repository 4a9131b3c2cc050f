"""Feedback per tier proposes per-app tier thresholds; they show in the report and apply only when enabled."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ai_workers.cli.quality import quality
from ai_workers.core.config import load_settings
from ai_workers.db.engine import Database
from ai_workers.db.models import Feedback, UsageRecord
from ai_workers.routing.config import RecalibrationConfig, default_tiers
from ai_workers.routing.recalibrate import RoutedSample, parse_score, propose
from tests.routing.helpers import settings, stage

NOW = dt.datetime.now(dt.UTC)
CONFIG = RecalibrationConfig(min_rated=10)


def samples(tier: str, score: float, up: int, down: int, unrated: int = 0) -> list[RoutedSample]:
    return (
        [RoutedSample(tier, score, 1) for _ in range(up)]
        + [RoutedSample(tier, score, -1) for _ in range(down)]
        + [RoutedSample(tier, score, 0) for _ in range(unrated)]
    )


def test_unhappy_simple_tier_moves_its_boundary_down_and_counts_the_effect() -> None:
    window = samples("simple", 1.4, up=4, down=8) + samples("simple", 0.2, up=5, down=0, unrated=20)
    window += samples("medium", 2.5, up=10, down=1)
    [proposal] = propose("triage", default_tiers(), window, CONFIG)
    assert (proposal.tier, proposal.current, proposal.proposed) == ("simple", 1.5, 1.25)
    assert proposal.rated == 17 and proposal.satisfaction == pytest.approx(9 / 17)
    # The 12 requests scored 1.4 would have gone to the medium tier.
    assert proposal.effect == {"simple": -12, "medium": 12, "complex": 0}
    assert "1.5 -> 1.25" in proposal.describe()


def test_happy_edge_moves_the_boundary_up_and_few_ratings_move_nothing() -> None:
    window = samples("simple", 1.3, up=12, down=0) + samples("medium", 1.6, up=3, down=0)
    [proposal] = propose("triage", default_tiers(), window, CONFIG)
    assert proposal.proposed == 1.75 and proposal.effect["simple"] == 3
    assert propose("triage", default_tiers(), samples("simple", 1.4, up=1, down=5), CONFIG) == []


def test_moves_are_bounded_by_max_shift() -> None:
    window = samples("simple", 0.5, up=0, down=20)
    config = RecalibrationConfig(min_rated=10, max_shift=0.5)
    # From the configured 1.5, one step down is allowed...
    [first] = propose("triage", default_tiers(), window, config)
    assert first.proposed == 1.25
    # ...but once at 1.5 - max_shift, unhappy users move it no further.
    assert propose("triage", default_tiers(), window, config, current={"simple": 1.0}) == []


def test_parse_score_from_route_reason() -> None:
    assert parse_score("auto tier=simple score=1.3 (learned p=...) -> llama: free neurons") == 1.3
    assert parse_score("requested") is None and parse_score(None) is None


async def seed(db: Database, app: str = "triage") -> None:
    """Thumbs down on most simple-tier answers of the app (scored just under the boundary)."""
    rows = []
    for i in range(30):
        rows.append(
            UsageRecord(
                id=uuid.uuid4().hex,
                ts=NOW,
                app=app,
                capability="chat",
                tier="simple",
                route_reason=f"auto tier=simple score={1.3 if i < 20 else 0.4} (learned) -> llama-3.1-8b",
                status=200,
                latency_ms=100.0,
                cost_usd=0.0,
            )
        )
    async with db.session() as s:
        s.add_all(rows)
        s.add_all(
            Feedback(request_id=r.id, app=app, rating=-1 if i < 15 else 1) for i, r in enumerate(rows[:25])
        )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    await database.migrate()
    await seed(database)
    yield database
    await database.dispose()


async def test_stage_applies_recalibration_only_when_enabled(db: Database) -> None:
    off = stage(settings(routing={"recalibration": {"min_rated": 10}}))
    [proposal] = await off.recalibrate_now(db)
    assert proposal.app == "triage" and proposal.proposed == 1.25 and not proposal.applied
    routing = off.app_routing(off.config.current, "triage")
    assert routing.tiers["simple"].max_score == 1.5  # proposed and logged, not applied

    on = stage(settings(routing={"recalibration": {"min_rated": 10, "apply": True}}))
    [proposal] = await on.recalibrate_now(db)
    assert proposal.applied
    routing = on.app_routing(on.config.current, "triage")
    assert routing.tiers["simple"].max_score == 1.25
    assert on.router_for(routing).classify  # a router is built for the new thresholds
    assert on.app_routing(on.config.current, "billing").tiers["simple"].max_score == 1.5  # per app


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(quality)
    app.command("noop")(lambda: None)
    return app


def test_quality_report_shows_the_proposed_recalibration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "aiw.yaml"
    config.write_text("routing:\n  recalibration: {min_rated: 10}\n")
    monkeypatch.setenv("AI_WORKERS_CONFIG", str(config))

    async def run() -> None:
        db = Database(load_settings().resolved_database_url())
        await db.migrate()
        await seed(db)
        await db.dispose()

    asyncio.run(run())
    result = CliRunner().invoke(cli(), ["quality", "--by", "app,tier"])
    assert result.exit_code == 0, result.output
    assert "Tier recalibration" in result.output and "proposals only" in result.output
    assert "1.25" in result.output and "simple -20" in result.output and "medium +20" in result.output
