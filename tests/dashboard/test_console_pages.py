"""Overview, request log and layout in headless Chromium at 1440x900 and 390x844, over real traffic.

Screenshots of the Overview and the Request log (desktop) are written to ``$AIW_SHOTS_DIR`` when set.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ai_workers.db.models import UsageRecord
from tests.dashboard.conftest import APPS, add_rows, client
from tests.dashboard.test_dashboard_ui import sign_in
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SECTIONS = [  # every page of the menu, in its order (server/static/pages.js PAGES)
    "Overview",
    "Request log",
    "Costs",
    "Budgets",
    "Providers",
    "Apps",
    "Keys",
    "Alerts",
    "Safety",
    "Cache",
    "Audit",
    "A/B quality",
    "Batches",
]


@pytest.fixture(scope="module")
def live(fakes: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The dashboard's gateway plus app "delta", whose daily budget one request exceeds."""
    workers, openai = fakes
    apps = {**APPS, "delta": {"budgets": [{"period": "daily", "requests": 1}]}}
    settings = fake_settings(workers, openai, data_dir=str(tmp_path_factory.mktemp("console")), apps=apps)
    with LiveServer(settings) as server:
        yield server


def record(app: str, **fields: Any) -> UsageRecord:
    values: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "ts": dt.datetime.now(dt.UTC),
        "app": app,
        "user": "u-" + uuid.uuid4().hex[:8],
        "capability": "chat",
        "logical_model": "gpt-4o-mini",
        "provider": "openai",
        "status": 200,
        "latency_ms": 240.0,
        "overhead_ms": 1.5,
        "input_tokens": 120,
        "output_tokens": 40,
        "cost_usd": 0.0009,
        "list_cost_usd": 0.0009,
        "attempts": 1,
        "cache": "miss",
    }
    values.update(fields)
    return UsageRecord(**values)


@pytest.fixture(scope="module")
def seeded(live: LiveServer, admin_key: str, alpha_key: str, beta_key: str) -> dict[str, str]:
    """Real traffic (alpha, beta) plus records that put alpha over its daily budget ($5)."""
    ids = {}
    delta_key = live.create_key("delta")
    for key, name in ((alpha_key, "alpha"), (beta_key, "beta"), (delta_key, "delta")):
        with client(live, key) as http:
            response = http.post(
                "/v1/chat/completions",
                json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"hello {name}"}]},
            )
            assert response.status_code == 200
            ids[name] = response.headers["x-request-id"]
    now = dt.datetime.now(dt.UTC)
    add_rows(
        live,
        *[record("alpha", ts=now - dt.timedelta(seconds=5 + i), cost_usd=0.0004) for i in range(60)],
        record("alpha", id="blocked-1", status=400, safety="blocked", error_kind="phi_detected",
               phi_types=["SSN"], phi_counts={"SSN": 1}, cost_usd=0.0, attempts=0, cache=None),
        record("alpha", id="redacted-1", phi_redactions=3, phi_types=["NAME", "PHONE"],
               phi_counts={"NAME": 2, "PHONE": 1}, safety="safe",
               prompt_text="user: Patient [NAME_1] ([NAME_2]), call [PHONE_1]",
               answer_text="Echo: Patient [NAME_1]"),
        record("alpha", id="failed-1", status=502, error_kind="upstream_error", attempts=2,
               attempt_log=[{"provider": "openai", "model": "gpt-4o-mini", "status": 502, "ok": False,
                             "error_kind": "upstream_error", "latency_ms": 30.0},
                            {"provider": "cloudflare", "model": "llama-3.1-8b", "status": 502, "ok": False,
                             "error_kind": "upstream_error", "latency_ms": 40.0}]),
    )  # fmt: skip
    live.call(live.gateway.usage.flush())
    return ids


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    yield from _page(browser, DESKTOP)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    yield from _page(browser, PHONE)


def _page(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def go(page: Any, name: str) -> Any:
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
    main = page.locator("#main")
    main.locator(".page-head").get_by_role("heading", level=1, name=name).wait_for()
    return main


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("AIW_SHOTS_DIR")
    if folder:
        page.evaluate("window.scrollTo(0, 0)")
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


# -- layout ---------------------------------------------------------------------------------------------


def test_menu_clicks_keep_the_heading_below_the_top_bar(
    desktop: Any, live: LiveServer, admin_key: str, seeded: dict[str, str]
) -> None:
    sign_in(desktop, live, admin_key)
    for name in SECTIONS:
        main = go(desktop, name)
        desktop.wait_for_timeout(50)
        bar = desktop.locator(".topbar").bounding_box()
        heading = main.locator(".page-head h1").bounding_box()
        assert desktop.evaluate("window.scrollY") == 0, name
        assert heading["y"] >= bar["y"] + bar["height"], name
        assert desktop.get_by_role("button", name="Refresh").is_visible()


def test_phone_width_has_no_page_scroll_and_every_section_in_the_menu(
    phone: Any, live: LiveServer, admin_key: str, seeded: dict[str, str]
) -> None:
    sign_in(phone, live, admin_key)
    links = phone.get_by_role("navigation").get_by_role("link")
    assert links.count() == len(SECTIONS)
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], links.nth(i).inner_text()
    for name in SECTIONS:
        main = go(phone, name)
        main.locator(".loading").wait_for(state="detached")
        phone.wait_for_timeout(100)
        widths = phone.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{name}: the page scrolls sideways ({widths})"
        # Wide tables scroll inside their own box instead.
        for wrap in main.locator(".table-wrap").all():
            assert wrap.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        # Text stays readable: nothing in the section is set smaller than 11 px.
        smallest = main.evaluate(
            "m => Math.min(...[...m.querySelectorAll('*')]"
            ".filter(e => e.childElementCount === 0 && e.textContent.trim())"
            ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 11, f"{name}: {smallest}px text"
        if name in ("Overview", "Request log"):
            shoot(phone, f"{name.lower().replace(' ', '-')}-phone.png")


def test_phone_costs_table_scrolls_to_its_last_column(
    phone: Any, live: LiveServer, admin_key: str, seeded: dict[str, str]
) -> None:
    sign_in(phone, live, admin_key)
    main = go(phone, "Costs")
    table = main.get_by_test_id("costs-table")
    table.wait_for()
    wrap = main.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    last = table.locator("thead th").last
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"] + 1 and last.inner_text().strip().lower() == "share"


def test_phone_keys_table_keeps_revoke_buttons_in_view(
    phone: Any, live: LiveServer, admin_key: str, seeded: dict[str, str]
) -> None:
    sign_in(phone, live, admin_key)
    main = go(phone, "Keys")
    button = main.get_by_test_id("keys-table").get_by_role("button", name="Revoke key").first
    button.wait_for()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


# -- overview -------------------------------------------------------------------------------------------


def test_overview_answers_at_a_glance(
    desktop: Any, live: LiveServer, admin_key: str, seeded: dict[str, str]
) -> None:
    sign_in(desktop, live, admin_key)
    main = go(desktop, "Overview")
    spend = main.get_by_test_id("spend-table")
    first_row = spend.locator("tbody tr").first
    assert first_row.locator("th").inner_text() == "delta"  # over its daily budget: listed first
    assert "over" in first_row.inner_text()
    alpha = spend.locator("tbody tr", has_text="alpha")
    assert "$0.02" in alpha.inner_text()  # $0.0258: 60 records at $0.0004, 2 at $0.0009, real traffic
    assert float(desktop.get_by_test_id("today-phi").get_attribute("data-value")) >= 3
    blocks = desktop.get_by_test_id("today-blocks")
    assert float(blocks.get_attribute("data-value")) >= 1 and "PHI" in blocks.inner_text()
    status = main.get_by_test_id("provider-status").inner_text()
    assert "openai" in status and "cloudflare" in status
    charts = main.get_by_test_id("charts")
    charts.get_by_test_id("chart").locator("canvas").wait_for()
    # Presets and splits redraw the chart from the API.
    charts.get_by_role("button", name="7 days").click()
    charts.get_by_role("button", name="7 days", pressed=True).wait_for()
    charts.get_by_label("Split").select_option("app")
    charts.get_by_label("Show").select_option("cost_usd")
    charts.locator(".chart-title", has_text="Cost per app").wait_for()
    legend = charts.locator(".u-legend").inner_text()
    assert "alpha" in legend and "beta" in legend
    assert float(charts.locator(".u-legend").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 12
    charts.get_by_role("button", name="This month").click()
    charts.locator(".chart-title", has_text="this month").wait_for()
    charts.get_by_role("button", name="Today").click()
    charts.get_by_label("Show").select_option("requests")
    charts.locator(".chart-title", has_text="Requests per app, today").wait_for()
    # Savings arrive after the page (they price every record); then they are a number.
    for block in ("today", "month"):
        desktop.locator(f"[data-testid='{block}-savings'][data-value]").wait_for()
    desktop.wait_for_timeout(200)
    shoot(desktop, "overview-desktop.png")


# -- request log ----------------------------------------------------------------------------------------


def test_request_log_filters_details_and_csv(
    desktop: Any, live: LiveServer, admin_key: str, seeded: dict[str, str]
) -> None:
    sign_in(desktop, live, admin_key)
    main = go(desktop, "Request log")
    table = main.get_by_test_id("requests-table")
    assert table.locator(f"tr[data-id='{seeded['beta']}']").count() == 1
    shoot(desktop, "request-log-desktop.png")
    # Errors only.
    form = main.get_by_role("form", name="Request filters")
    form.get_by_label("Status").select_option("error")
    form.get_by_role("button", name="Apply").click()
    main.locator("tr[data-id='failed-1']").wait_for()
    statuses = {int(t) for t in main.locator("tbody tr td:nth-child(6) .badge").all_inner_texts()}
    assert statuses and min(statuses) >= 400
    # The detail view: attempts, PHI counts, and no text.
    main.get_by_role("button", name="Details of request failed-1").click()
    dialog = desktop.get_by_test_id("request-detail")
    dialog.get_by_test_id("attempts-table").wait_for()
    assert dialog.get_by_test_id("attempts-table").locator("tbody tr").count() == 2
    assert "store_text" in dialog.get_by_test_id("content-note").inner_text()
    assert dialog.get_by_test_id("content-prompt").count() == 0
    dialog.get_by_role("button", name="Close").click()
    # Search by request id.
    form = main.get_by_role("form", name="Request filters")
    form.get_by_label("Status").select_option("")
    form.get_by_label("Search").fill("redacted-1")
    form.get_by_role("button", name="Apply").click()
    row = main.locator("tr[data-id='redacted-1']")
    row.wait_for()
    assert main.get_by_test_id("requests-table").locator("tbody tr").count() == 1
    assert "NAME ×2" in row.inner_text() and "PHONE ×1" in row.inner_text()
    # An opted-in app's record shows its (redacted) text in the detail view.
    main.get_by_role("button", name="Details of request redacted-1").click()
    dialog = desktop.get_by_test_id("request-detail")
    dialog.get_by_test_id("content-prompt").wait_for()
    assert dialog.get_by_test_id("content-prompt").inner_text().startswith("user: Patient [NAME_1]")
    assert dialog.get_by_test_id("content-answer").inner_text() == "Echo: Patient [NAME_1]"
    dialog.get_by_role("button", name="Close").click()
    # CSV of the same filter.
    with desktop.expect_download() as download:
        main.get_by_test_id("log-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [r["id"] for r in rows] == ["redacted-1"]
    # From after To: a clear message, nothing reloaded.
    form = main.get_by_role("form", name="Request filters")
    form.get_by_label("From").fill("2026-12-05")
    form.get_by_label("To").fill("2026-12-01")
    form.get_by_role("button", name="Apply").click()
    message = main.get_by_test_id("log-message")
    assert "after To" in message.inner_text()
    assert not message.inner_text().startswith("Could not load")
    main.get_by_test_id("log-reset").click()
    main.get_by_test_id("requests-table").wait_for()


def test_request_log_pages_back_with_load_older(
    desktop: Any, live: LiveServer, admin_key: str, seeded: dict[str, str]
) -> None:
    sign_in(desktop, live, admin_key)
    desktop.get_by_label("Show data for app").select_option("alpha")
    main = go(desktop, "Request log")
    rows = main.get_by_test_id("requests-table").locator("tbody tr")
    rows.first.wait_for()
    assert rows.count() == 50
    main.get_by_test_id("log-more").click()
    main.get_by_test_id("requests-table").locator("tbody tr").nth(50).wait_for()
    ids = (
        main.get_by_test_id("requests-table")
        .locator("tbody tr")
        .evaluate_all("rs => rs.map(r => r.dataset.id)")
    )
    assert len(ids) == len(set(ids)) >= 63
    assert all("alpha" == t for t in main.locator("tbody tr td:nth-child(2)").all_inner_texts())


def test_an_app_key_sees_only_its_requests(
    desktop: Any, live: LiveServer, alpha_key: str, seeded: dict[str, str]
) -> None:
    sign_in(desktop, live, alpha_key)
    main = go(desktop, "Request log")
    table = main.get_by_test_id("requests-table")
    table.wait_for()
    assert set(table.locator("tbody tr td:nth-child(2)").all_inner_texts()) == {"alpha"}
    assert table.locator(f"tr[data-id='{seeded['beta']}']").count() == 0
