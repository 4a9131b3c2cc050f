"""The console's admin pages in headless Chromium at desktop (1440x900) and phone (390x844) widths:
Apps, budget editing, key expiry/rotation, Alerts and Safety; each form's success and error, and the
bugs of issue 25 (typo'd app, From after To, 99.91% shown as 100%, form errors shown as form errors)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ai_workers.db.models import AlertEvent, UsageRecord
from tests.dashboard.conftest import add_rows, client
from tests.dashboard.test_dashboard_ui import open_section, sign_in
from tests.server.live import LiveServer

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = (
    Path(os.environ["AIW_SHOTS_DIR"]) if os.environ.get("AIW_SHOTS_DIR") else None
)  # screenshots, when asked for


@pytest.fixture(params=list(VIEWPORTS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[Any, str]]:
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, request.param
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def no_page_scroll(page: Any) -> None:
    """Nothing but tables (inside their own scroll box) may be wider than the screen."""
    width = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert width <= 1, f"the page scrolls sideways by {width}px"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def test_create_an_app_form_success_and_error(
    sized: tuple[Any, str], live: LiveServer, admin_key: str
) -> None:
    page, _ = sized
    sign_in(page, live, admin_key)
    main = open_section(page, "Apps")
    form = main.get_by_role("form", name="Create an app")
    # Error: the server's 400 is shown in the form, on the field it names (not "Could not load this").
    form.get_by_label("Name").fill("Bad Name")
    form.get_by_role("button", name="Create app").click()
    error = form.get_by_test_id("form-error")
    error.wait_for()
    assert "name:" in error.inner_text() and "Could not load" not in main.inner_text()
    assert form.get_by_label("Name").get_attribute("aria-invalid") == "true"
    # A budget error names the budget's field.
    name = unique("ui-app")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Daily budget, USD (optional)").fill("-1")
    form.get_by_role("button", name="Create app").click()
    form.get_by_test_id("form-error").filter(has_text="budgets[0].usd").wait_for()
    assert form.get_by_label("Daily budget, USD (optional)").get_attribute("aria-invalid") == "true"
    # Success: the app with its policy and budget is listed, and keys can be made for it.
    form.get_by_label("Daily budget, USD (optional)").fill("5")
    form.get_by_label("PHI policy").select_option("block")
    form.get_by_role("button", name="Create app").click()
    main.get_by_test_id("app-created").wait_for()
    row = main.get_by_test_id("apps-table").locator("tr", has_text=name)
    row.wait_for()
    assert "block" in row.inner_text() and "daily: $5.00" in row.inner_text()
    no_page_scroll(page)
    with client(live, admin_key) as http:
        assert http.post("/admin/keys", json={"app": name}).status_code == 201


def test_a_key_for_a_mistyped_app_is_a_form_error(
    sized: tuple[Any, str], live: LiveServer, admin_key: str
) -> None:
    page, _ = sized
    sign_in(page, live, admin_key)
    main = open_section(page, "Keys")
    form = main.get_by_role("form", name="Create a key")
    form.get_by_label("App").fill("clinc-notes")
    form.get_by_role("button", name="Create key").click()
    error = form.get_by_test_id("form-error")
    error.wait_for()
    assert "no app named 'clinc-notes'" in error.inner_text()
    assert form.get_by_label("App").get_attribute("aria-invalid") == "true"
    assert page.get_by_test_id("new-key").count() == 0
    # Empty app: the same kind of message, without a request.
    form.get_by_label("App").fill("")
    form.get_by_role("button", name="Create key").click()
    form.get_by_test_id("form-error").filter(has_text="Enter the app").wait_for()
    # Success for an app that exists, with an expiry date.
    form.get_by_label("App").fill("alpha")
    form.get_by_label("Expires (optional)").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    form.get_by_role("button", name="Create key").click()
    shown = page.get_by_test_id("new-key")
    shown.wait_for()
    key_id = shown.input_value().split("_")[1]
    row = main.get_by_test_id("keys-table").locator("tr", has_text=key_id)
    assert "in 30 d" in row.inner_text() or "in 29 d" in row.inner_text()
    assert form.get_by_test_id("form-error").count() == 0
    no_page_scroll(page)


def test_rotate_a_key_from_the_keys_page(sized: tuple[Any, str], live: LiveServer, admin_key: str) -> None:
    page, _ = sized
    old_key = live.create_key("alpha")
    old_id = old_key.split("_")[1]
    sign_in(page, live, admin_key)
    main = open_section(page, "Keys")
    row = main.get_by_test_id("keys-table").locator("tr", has_text=old_id)
    row.get_by_role("button", name=f"Rotate or expire key {old_id}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Grace period, hours").fill("2")
    dialog.get_by_role("button", name="Rotate").click()
    shown = page.get_by_test_id("new-key")
    shown.wait_for()
    new_key = shown.input_value()
    assert new_key.startswith("aiw_") and new_key != old_key
    assert "old key works until" in main.inner_text()
    for key in (old_key, new_key):  # both work during the grace period
        with client(live, key) as http:
            assert http.get("/api/me").status_code == 200
    expiring = main.get_by_test_id("keys-table").locator("tr", has_text=old_id)
    assert "in 2 h" in expiring.inner_text() or "in 120 min" in expiring.inner_text()
    # Error: a grace period over 30 days is refused, and the message names the field.
    new_id = new_key.split("_")[1]
    main.get_by_test_id("keys-table").locator("tr", has_text=new_id).get_by_role(
        "button", name=f"Rotate or expire key {new_id}"
    ).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Grace period, hours").fill("9999")
    dialog.get_by_role("button", name="Rotate").click()
    main.get_by_test_id("form-error").filter(has_text="grace_hours").wait_for()
    no_page_scroll(page)


def test_budgets_page_edits_budgets_and_never_rounds_up_to_100(
    sized: tuple[Any, str], live: LiveServer, admin_key: str
) -> None:
    page, viewport = sized
    app = unique("spend")
    with client(live, admin_key) as http:
        created = http.post("/admin/apps", json={"name": app, "budgets": [{"period": "daily", "usd": 10}]})
        assert created.status_code == 201
    # $9.991 of $10 spent today (records written before the counters are read).
    now = dt.datetime.now(dt.UTC)
    add_rows(live, UsageRecord(id=uuid.uuid4().hex, ts=now, app=app, capability="chat", status=200,
                               latency_ms=10.0, cost_usd=9.991))  # fmt: skip
    live.call(live.gateway.usage.load_state())
    sign_in(page, live, admin_key)
    main = open_section(page, "Budgets")
    card = main.get_by_test_id("budget").filter(has_text=app)
    share = card.get_by_test_id("budget-share").inner_text()
    assert "(99.9%)" in share and "100%" not in share
    editor = main.get_by_test_id("budget-editor")
    # Error: a second daily budget for the same app is refused, in the form.
    add = editor.get_by_role("form", name="Add a budget")
    add.get_by_label("App").select_option(app)
    add.get_by_label("Limit, USD").fill("3")
    add.get_by_role("button", name="Add budget").click()
    add.get_by_test_id("form-error").filter(has_text="already has a daily").wait_for()
    # Success: change the limit inline; the bar follows.
    row = editor.get_by_test_id("budget-edit-table").locator("tr", has_text=app)
    row.get_by_role("spinbutton").first.fill("20")
    row.get_by_role("button", name="Save").click()
    main.get_by_test_id("budget").filter(has_text=app).get_by_test_id("budget-share").filter(
        has_text="(49.9%)"
    ).wait_for()
    if viewport == "desktop" and SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "budgets.png"), full_page=True)
    # Success: a monthly budget added from the form gets its own card.
    add = main.get_by_test_id("budget-editor").get_by_role("form", name="Add a budget")
    add.get_by_label("App").select_option(app)
    add.get_by_label("Period").select_option("monthly")
    add.get_by_label("Limit, requests").fill("500")
    add.get_by_role("button", name="Add budget").click()
    main.get_by_test_id("budget").filter(has_text=f"{app} · monthly").wait_for()
    # Error on the inline form: a zero limit names the field.
    row = main.get_by_test_id("budget-edit-table").locator("tr", has_text=app).filter(has_text="daily")
    row.get_by_role("spinbutton").first.fill("0")
    row.get_by_role("button", name="Save").click()
    row.get_by_test_id("form-error").filter(has_text="budget.usd").wait_for()
    no_page_scroll(page)


def test_costs_with_from_after_to_shows_a_message_and_sends_nothing(
    sized: tuple[Any, str], live: LiveServer, admin_key: str
) -> None:
    page, _ = sized
    sign_in(page, live, admin_key)
    main = open_section(page, "Costs")
    # A valid range first (To five days ago): the table is redrawn for it.
    to_day = (dt.date.today() - dt.timedelta(days=5)).isoformat()
    with page.expect_response(lambda r: "/api/costs" in r.url and f"to={to_day}" in r.url):
        main.get_by_label("To").fill(to_day)
    main.get_by_label("To").wait_for()
    page.locator("#main .loading").wait_for(state="detached")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/costs" in r.url else None)
    # Then From after To: a message by the inputs and no request.
    main.get_by_label("From").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    main.get_by_label("From").dispatch_event("change")
    message = main.get_by_test_id("range-error")
    message.wait_for()
    assert "is after" in message.inner_text()
    assert main.get_by_label("From").get_attribute("aria-invalid") == "true"
    page.wait_for_timeout(300)
    assert asked == []
    no_page_scroll(page)


def test_alerts_page_lists_the_history_and_scopes_app_keys(
    sized: tuple[Any, str], live: LiveServer, admin_key: str, alpha_key: str
) -> None:
    page, _ = sized
    now = dt.datetime.now(dt.UTC)
    tag = uuid.uuid4().hex[:6]
    add_rows(
        live,
        AlertEvent(ts=now, kind="circuit_open", severity="warning", subject="openai/gpt-4o", app=None,
                   message=f"Circuit open: openai / gpt-4o {tag}", dedup_key=f"t|{tag}|1", delivered=True),
        AlertEvent(ts=now, kind="budget", severity="critical", subject="alpha/app/daily", app="alpha",
                   message=f"Budget alert: alpha reached 100% {tag}", dedup_key=f"t|{tag}|2", delivered=False,
                   delivery_error="HTTP 500"),
    )  # fmt: skip
    sign_in(page, live, admin_key)
    main = open_section(page, "Alerts")
    table = main.get_by_test_id("alerts-table")
    text = table.inner_text()
    assert f"Circuit open: openai / gpt-4o {tag}" in text and "delivered" in text
    assert f"alpha reached 100% {tag}" in text and "failed: HTTP 500" in text
    no_page_scroll(page)
    with client(live, alpha_key) as http:
        own = http.get("/api/alerts").json()["data"]
        assert all(a["app"] == "alpha" for a in own) and any(tag in a["message"] for a in own)
        assert http.get("/api/alerts", params={"app": "beta"}).status_code == 403
        assert http.get("/api/alerts", params={"kind": "nope"}).json()["error"]["param"] == "kind"


def test_safety_page_shows_redactions_by_type_without_values(
    sized: tuple[Any, str], live: LiveServer, admin_key: str, alpha_key: str
) -> None:
    page, _ = sized
    with client(live, alpha_key) as http:
        answer = http.post("/v1/chat/completions", json={
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": "SSN 123-45-6789, jane.roe@example.com: summarise"}],
        })  # fmt: skip
        assert answer.status_code == 200, answer.text
    live.call(live.gateway.usage.flush())
    sign_in(page, live, admin_key)
    main = open_section(page, "Safety")
    assert int(main.get_by_test_id("safety-redacted").get_attribute("data-value") or 0) >= 1
    types = main.get_by_test_id("safety-types").inner_text()
    assert "alpha" in types and "SSN" in types.upper()
    assert "123-45-6789" not in main.inner_text() and "jane.roe" not in main.inner_text()
    no_page_scroll(page)
    with client(live, alpha_key) as http:
        body = http.get("/api/safety/summary").json()
        assert {t["app"] for t in body["types"]} <= {"alpha"}
        too_long = http.get("/api/safety/summary", params={"from": "2025-01-01"})
        assert too_long.status_code == 400 and too_long.json()["error"]["param"] == "from"


def test_edit_a_console_app(sized: tuple[Any, str], live: LiveServer, admin_key: str) -> None:
    page, _ = sized
    name = unique("edit")
    with client(live, admin_key) as http:
        assert http.post("/admin/apps", json={"name": name}).status_code == 201
    sign_in(page, live, admin_key)
    main = open_section(page, "Apps")
    row = main.get_by_test_id("apps-table").locator("tr", has_text=name)
    row.get_by_text("Edit", exact=True).click()
    form = row.get_by_role("form", name=f"Edit app {name}")
    # Error: a model that does not exist, on its field.
    form.get_by_label("Allowed models").fill("no-such-model")
    form.get_by_role("button", name="Save").click()
    form.get_by_test_id("form-error").filter(has_text="no-such-model").wait_for()
    assert form.get_by_label("Allowed models").get_attribute("aria-invalid") == "true"
    # Success.
    form.get_by_label("Allowed models").fill("gpt-4o-mini")
    form.get_by_label("PHI policy").select_option("redact")
    form.get_by_role("button", name="Save").click()
    updated = main.get_by_test_id("apps-table").locator("tr", has_text=name)
    updated.filter(has_text="gpt-4o-mini").wait_for()
    assert "redact" in updated.inner_text()
    no_page_scroll(page)
