"""The numbers on the dashboard match the usage records the gateway wrote for real traffic.

Traffic goes through the live gateway (alpha and beta keys, against the fake upstreams, including a
request that fails on every provider), the usage writer stores one record per request in SQLite, and
the expected figures are computed here from those records, then compared with what the page shows.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ai_workers.db.models import UsageRecord
from tests.dashboard.conftest import client, database
from tests.dashboard.test_dashboard_ui import open_section, sign_in
from tests.server.live import LiveServer

pytestmark = pytest.mark.browser


def chat(live: LiveServer, key: str, model: str = "gpt-4o-mini", user: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {
        "model": model,
        "messages": [{"role": "user", "content": f"q {uuid.uuid4().hex}"}],
    }
    if user:
        body["user"] = user
    with client(live, key) as http:
        return http.post("/v1/chat/completions", json=body)


def records(live: LiveServer) -> list[UsageRecord]:
    async def load() -> list[UsageRecord]:
        await live.gateway.usage.flush()
        async with database(live).session() as session:
            return list(await session.scalars(select(UsageRecord)))

    return list(live.call(load()))


@pytest.fixture(scope="module")
def traffic(live: LiveServer, fakes: tuple[Any, Any], alpha_key: str, beta_key: str) -> list[UsageRecord]:
    workers, openai = fakes
    answered = [chat(live, alpha_key, user=user) for user in ("ann", "ann", "bob")]
    assert all(r.status_code == 200 for r in answered)
    # Users rate two of the answers: one thumbs up, one thumbs down (the A/B quality page shows 50%).
    with client(live, alpha_key) as http:
        for response, rating in zip(answered, ("up", "down"), strict=False):
            body = {"request_id": response.headers["x-request-id"], "rating": rating}
            assert http.post("/v1/feedback", json=body).status_code == 201
    assert chat(live, alpha_key, model="llama-3.1-8b-instruct-fp8-fast").status_code == 200
    assert chat(live, beta_key, model="gpt-4o").status_code == 200
    # Every provider fails this one (the model and its fallback): a 5xx the overview counts as an error.
    openai.inject("500", times=10)
    workers.inject("500", times=10)
    failed = chat(live, beta_key, model="gpt-4o")
    openai.clear()
    workers.clear()
    assert failed.status_code >= 500
    rows = records(live)
    assert len(rows) == 6
    return rows


def stat_value(page: Any, testid: str) -> float:
    # Some figures (savings) arrive after the page: wait for the value, not just the box.
    page.locator(f"[data-testid='{testid}'][data-value]").wait_for()
    return float(page.get_by_test_id(testid).get_attribute("data-value"))


def test_overview_matches_the_records(
    page: Any, live: LiveServer, admin_key: str, traffic: list[UsageRecord]
) -> None:
    sign_in(page, live, admin_key)
    main = open_section(page, "Overview")
    for block in ("today", "month"):
        assert stat_value(page, f"{block}-requests") == len(traffic)
        assert stat_value(page, f"{block}-cost") == pytest.approx(sum(r.cost_usd for r in traffic), abs=1e-6)
        errors = sum(1 for r in traffic if r.status >= 400)
        assert errors == 1
        assert stat_value(page, f"{block}-errors") == pytest.approx(errors / len(traffic))
        hits = sum(1 for r in traffic if r.cache_hit)
        assert stat_value(page, f"{block}-cache") == pytest.approx(hits / len(traffic))
        # gpt-4o-mini and the 8B model are far cheaper than gpt-4o: the savings are positive.
        assert stat_value(page, f"{block}-savings") > 0
    assert str(len(traffic)) in page.get_by_test_id("today-requests").inner_text()
    # Requests over today (uPlot, hourly): the chart's data table adds up to the records.
    chart = main.get_by_test_id("chart")
    chart.locator("canvas").wait_for()
    assert "Requests" in (chart.get_attribute("aria-label") or "")
    cells = main.get_by_test_id("charts").locator("details table tbody td")
    assert cells.count() == 24  # one row per UTC hour, empty hours included
    assert sum(int(cells.nth(i).text_content().replace(",", "")) for i in range(24)) == len(traffic)


def test_filtering_by_app_changes_the_numbers(
    page: Any, live: LiveServer, admin_key: str, traffic: list[UsageRecord]
) -> None:
    sign_in(page, live, admin_key)
    open_section(page, "Overview")
    page.get_by_label("Show data for app").select_option("beta")
    page.locator("#main .loading").wait_for(state="detached")
    page.get_by_test_id("today-requests").wait_for()
    beta = [r for r in traffic if r.app == "beta"]
    assert stat_value(page, "today-requests") == len(beta)
    assert stat_value(page, "today-cost") == pytest.approx(sum(r.cost_usd for r in beta), abs=1e-6)
    assert stat_value(page, "today-errors") == pytest.approx(0.5)


def test_an_app_key_sees_its_own_numbers_only(
    page: Any, live: LiveServer, alpha_key: str, traffic: list[UsageRecord]
) -> None:
    sign_in(page, live, alpha_key)
    main = open_section(page, "Overview")
    alpha = [r for r in traffic if r.app == "alpha"]
    assert stat_value(page, "today-requests") == len(alpha)
    assert stat_value(page, "today-errors") == 0
    main = open_section(page, "Costs")
    table = main.get_by_test_id("costs-table").inner_text()
    assert "alpha" in table and "beta" not in table
    # Asking the API for another app's data directly is refused.
    with client(live, alpha_key) as http:
        assert http.get("/api/costs", params={"app": "beta"}).status_code == 403


def test_costs_by_model_and_csv_download(
    page: Any, live: LiveServer, admin_key: str, traffic: list[UsageRecord]
) -> None:
    sign_in(page, live, admin_key)
    main = open_section(page, "Costs")
    main.get_by_label("Group by").select_option("model")
    page.locator("#main .loading").wait_for(state="detached")
    table = main.get_by_test_id("costs-table")
    table.wait_for()
    for model in {r.logical_model for r in traffic if r.logical_model}:
        assert model in table.inner_text()
    with page.expect_download() as info:
        main.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("ai-workers-costs-by-model-")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert sum(int(r["requests"]) for r in rows) == len(traffic)
    assert sum(float(r["cost_usd"]) for r in rows) == pytest.approx(
        sum(r.cost_usd for r in traffic), abs=1e-6
    )
    per_model: dict[str, int] = {}
    for r in traffic:
        key = r.logical_model or r.requested_model or ""
        per_model[key] = per_model.get(key, 0) + 1
    assert {r["model"]: int(r["requests"]) for r in rows if r["model"] in per_model} == per_model


def test_costs_for_a_range_without_traffic_say_so(page: Any, live: LiveServer, admin_key: str) -> None:
    sign_in(page, live, admin_key)
    main = open_section(page, "Costs")
    main.get_by_label("From").fill("2020-01-01")
    main.get_by_label("To").fill("2020-01-31")
    main.get_by_label("To").dispatch_event("change")
    main.get_by_text("No requests in this date range.").wait_for()
    assert main.get_by_role("button", name="Download CSV").is_disabled()


def test_budget_bars_show_spend_against_the_limits(
    page: Any, live: LiveServer, admin_key: str, traffic: list[UsageRecord]
) -> None:
    sign_in(page, live, admin_key)
    main = open_section(page, "Budgets")
    cards = main.get_by_test_id("budget")
    assert cards.count() == 2
    daily = cards.filter(has_text="alpha · daily")
    bar = daily.get_by_role("progressbar", name="Spend used")
    spent = sum(r.cost_usd for r in traffic if r.app == "alpha")
    assert int(bar.get_attribute("aria-valuenow")) == round(spent / 5.0 * 100)
    assert "of $5.00" in daily.inner_text()
    assert "Resets in" in daily.inner_text()
    monthly = cards.filter(has_text="alpha · monthly")
    requests_bar = monthly.get_by_role("progressbar", name="Requests used")
    assert (
        requests_bar.get_attribute("aria-valuetext")
        == f"{sum(1 for r in traffic if r.app == 'alpha')} of 1,000"
    )


def test_quality_page_shows_satisfaction_per_provider(
    page: Any, live: LiveServer, admin_key: str, traffic: list[UsageRecord]
) -> None:
    sign_in(page, live, admin_key)
    main = open_section(page, "A/B quality")
    row = main.get_by_test_id("quality-table").locator("tr", has_text="openai / (no split)")
    openai_requests = sum(1 for r in traffic if r.provider == "openai")
    cells = row.locator("td")
    assert cells.nth(0).inner_text() == str(openai_requests)
    assert cells.last.inner_text() == "50% of 2"
