"""Reports on a known traffic mix, checked against hand computations (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ai_workers.usage.reports import costs_report, daily_report, render, savings_report, usage_by_day
from ai_workers.usage.rollup import rollup_day
from tests.usage.helpers import (
    MIX_CHAT_ACTUAL,
    MIX_CHAT_BASELINE,
    MIX_EMBEDDINGS,
    MIX_EMBEDDINGS_BASELINE,
    seed_mix,
    service,
)


async def test_savings_costs_and_daily_reports_match_the_hand_computation(
    db_url: str, tmp_path: Path
) -> None:
    svc = service(db_url, tmp_path)
    await svc.start()
    seed_mix(svc)
    await svc.flush()
    today = dt.datetime.now(dt.UTC).date()
    db, catalog = svc.database, svc.config.current.catalog

    savings = await savings_report(db, catalog, today, today)
    body = savings.to_json_obj()
    totals = body["totals"]
    assert totals["actual_usd"] == pytest.approx(MIX_CHAT_ACTUAL + MIX_EMBEDDINGS, abs=1e-9)
    assert totals["baseline_usd"] == pytest.approx(MIX_CHAT_BASELINE + MIX_EMBEDDINGS_BASELINE, abs=1e-9)
    assert body["by_capability"]["chat"]["baseline_usd"] == pytest.approx(MIX_CHAT_BASELINE, abs=1e-9)
    assert body["by_capability"]["chat"]["actual_usd"] == pytest.approx(MIX_CHAT_ACTUAL, abs=1e-9)
    assert totals["input_tokens"] == 16_000 and totals["output_tokens"] == 3_300
    embeddings = next(r for r in savings.records() if r["capability"] == "embeddings")
    assert embeddings["actual_usd"] == pytest.approx(MIX_EMBEDDINGS)
    assert embeddings["equivalent"] == "text-embedding-3-small"
    assert embeddings["baseline_usd"] == pytest.approx(MIX_EMBEDDINGS_BASELINE)
    only_app2 = (await savings_report(db, catalog, today, today, app="app2")).to_json_obj()["totals"]
    assert only_app2["actual_usd"] == pytest.approx(0.0012) and only_app2["baseline_usd"] == pytest.approx(
        6000 * 2.5 / 1e6 + 1500 * 10 / 1e6  # two misses and the cache hit
    )

    by_model = {r["model"]: r for r in (await costs_report(db, today, today, by="model")).records()}
    assert by_model["gpt-4o"]["requests"] == 2 and by_model["gpt-4o"]["errors"] == 1
    assert by_model["gpt-4o"]["cost_usd"] == pytest.approx(0.0125)
    assert by_model["gpt-4o-mini"]["cache_hits"] == 1 and by_model["gpt-4o-mini"]["requests"] == 3
    by_user = {r["user"]: r for r in (await costs_report(db, today, today, by="user", app="app1")).records()}
    assert by_user["user0"]["requests"] == 3 and by_user["user1"]["requests"] == 2
    by_app = {r["app"]: r["cost_usd"] for r in (await costs_report(db, today, today, by="app")).records()}
    assert by_app["app1"] == pytest.approx(4 * 0.000743919 + 0.0125 + MIX_EMBEDDINGS)

    await rollup_day(db, today)
    await rollup_day(db, today)  # idempotent
    daily = {(r["app"], r["model"]): r for r in (await daily_report(db, today)).records()}
    llama = daily[("app1", "llama-3.3-70b-instruct-fp8-fast")]
    assert llama["requests"] == 4 and llama["input_tokens"] == 4000 and llama["output_tokens"] == 800
    assert llama["avg_latency_ms"] == pytest.approx(250.0, abs=2)
    # p95 of 100/200/300/400 ms by linear interpolation: 300 + 0.85 * 100
    assert llama["p95_latency_ms"] == pytest.approx(385.0, abs=2)
    assert daily[("app1", "gpt-4o")]["errors"] == 1
    assert daily[("app2", "gpt-4o-mini")]["cache_hits"] == 1

    per_day = (await usage_by_day(db, today, today)).records()
    assert {r["app"]: r["requests"] for r in per_day} == {"app1": 7, "app2": 3}
    assert all(r["day"] == today.isoformat() for r in per_day)
    await svc.stop()


def test_reports_render_as_markdown_csv_and_json() -> None:
    from ai_workers.usage.reports import Report

    report = Report("T", ["app", "cost_usd"], [["a", 0.5], ["b", 1.25]], totals=["total", 1.75], notes=["n"])
    assert "| a | 0.5 |" in render(report, "md") and "- n" in render(report, "md")
    assert render(report, "csv").splitlines() == ["app,cost_usd", "a,0.5", "b,1.25", "total,1.75"]
    assert json.loads(render(report, "json"))["totals"] == {"app": "total", "cost_usd": 1.75}


async def test_usage_per_day_tells_refusals_from_failures(db_url: str, tmp_path: Path) -> None:
    """A budget or policy refusal is the gateway doing its job; the overview's failure rate must not
    read a client hammering its budget as an outage. usage_by_day counts both as errors and says how
    many of them were refusals: not a provider 5xx, not a provider's own rate limit."""
    from ai_workers.core.errors import (
        BudgetExceededError,
        PolicyBlockedError,
        ProviderError,
        UpstreamFailedError,
    )
    from tests.usage.helpers import context

    svc = service(db_url, tmp_path)
    await svc.start()
    s = svc.config.current
    provider_429 = ProviderError("openai: HTTP 429", provider="openai", model="gpt-4o", kind="rate_limit")
    outcomes = [
        BudgetExceededError("daily budget used up", budget="triage/app/daily", resets_at="tomorrow"),
        PolicyBlockedError("PHI and the policy is block"),
        UpstreamFailedError("every provider failed", attempts=[]),  # 502: a failure
        UpstreamFailedError("rate limited upstream", attempts=[], last=provider_429),  # 429: a failure
    ]
    for error in outcomes:
        svc.finish(context(s, app="triage"), error, None)
    await svc.flush()
    today = dt.datetime.now(dt.UTC).date()
    (row,) = (await usage_by_day(svc.database, today, today, app="triage")).records()
    await svc.stop()
    assert row["requests"] == 4 and row["errors"] == 4 and row["refused"] == 2
