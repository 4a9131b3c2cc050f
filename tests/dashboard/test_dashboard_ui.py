"""The dashboard in headless Chromium against a live gateway: what an operator sees and does."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.dashboard.conftest import add_rows, audit_event, client
from tests.server.live import LiveServer

pytestmark = pytest.mark.browser


def sign_in(page: Any, live: LiveServer, key: str) -> None:
    page.goto(f"{live.url}/dashboard")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#shell:not([hidden])")


def open_section(page: Any, name: str) -> Any:
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
    main = page.locator("#main")
    main.get_by_role("heading", level=1, name=name).wait_for()
    page.locator("#main .loading").wait_for(state="detached")
    return main


def test_a_wrong_key_is_refused_with_a_clear_message(page: Any, live: LiveServer, admin_key: str) -> None:
    page.goto(f"{live.url}/dashboard")
    page.get_by_label("API key").fill("aiw_000000000000_" + "x" * 43)
    page.get_by_role("button", name="Sign in").click()
    alert = page.locator("#signin-message")
    alert.wait_for()
    assert "not accepted" in alert.inner_text()
    assert page.locator("#shell").is_hidden()


def submit_key_form(page: Any, live: LiveServer, admin_key: str, fields: dict[str, str]) -> Any:
    """Sign in as admin, open Keys and submit the create form with ``{label: value}``."""
    sign_in(page, live, admin_key)
    main = open_section(page, "Keys")
    form = main.get_by_role("form", name="Create a key")
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name="Create key").click()
    return main


def test_admin_creates_and_revokes_a_key(page: Any, live: LiveServer, admin_key: str) -> None:
    with client(live, admin_key) as http:  # keys are made for apps that exist
        assert http.post("/admin/apps", json={"name": "gamma"}).status_code in (201, 409)
    main = submit_key_form(page, live, admin_key, {"App": "gamma", "Name (optional)": "ci"})
    shown = page.get_by_test_id("new-key")
    shown.wait_for()
    new_key = shown.input_value()
    assert new_key.startswith("aiw_")
    assert "only time" in main.inner_text()
    key_id = new_key.split("_")[1]
    row = main.get_by_test_id("keys-table").locator("tr", has_text=key_id)
    assert "gamma" in row.inner_text() and "active" in row.inner_text()
    # The new key works...
    with client(live, new_key) as http:
        assert http.get("/api/me").json()["app"] == "gamma"
    # ...until it is revoked from the page (confirmed in a dialog).
    row.get_by_role("button", name=f"Revoke key {key_id}").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    main.get_by_test_id("keys-table").locator("tr", has_text=key_id).wait_for(state="detached")
    with client(live, new_key) as http:
        assert http.get("/api/me").status_code == 401
    main.get_by_label("Show revoked").check()
    revoked = page.get_by_test_id("keys-table").locator("tr", has_text=key_id)
    revoked.wait_for()
    assert "revoked" in revoked.inner_text()
    # Both changes are in the audit log, with the admin's key id as the actor and never the key itself.
    live.call(live.gateway.usage.flush())
    main = open_section(page, "Audit")
    events = main.get_by_test_id("audit-table").locator("tr", has_text=f"key: {key_id}")
    assert sorted(events.nth(i).locator("td").nth(1).inner_text() for i in range(events.count())) == [
        "key_create",
        "key_revoke",
    ]
    assert admin_key.split("_")[1] in events.first.inner_text()
    assert new_key not in main.inner_text()


def test_creating_a_key_with_an_unknown_model_shows_the_error(
    page: Any, live: LiveServer, admin_key: str
) -> None:
    fields = {"App": "gamma", "Allowed models (optional, comma-separated)": "no-such-model"}
    main = submit_key_form(page, live, admin_key, fields)
    alert = main.get_by_test_id("form-error")  # a form error, in the form, not "Could not load this"
    alert.wait_for()
    assert "no-such-model" in alert.inner_text()
    assert page.get_by_test_id("new-key").count() == 0


def test_an_app_key_sees_only_its_own_app(page: Any, live: LiveServer, alpha_key: str) -> None:
    add_rows(live, audit_event("alpha", "phi_block", request_id="ui-alpha-1", phi_types=["MRN"]))
    add_rows(live, audit_event("beta", "phi_block", request_id="ui-beta-1", phi_types=["SSN"]))
    sign_in(page, live, alpha_key)
    nav = page.get_by_role("navigation")
    assert nav.get_by_role("link", name="Keys").count() == 0  # admin only
    assert page.get_by_test_id("app-fixed").inner_text() == "App: alpha"
    assert page.locator("#app-filter").count() == 0
    main = open_section(page, "Audit")
    table = main.get_by_test_id("audit-table")
    assert "ui-alpha-1" in table.inner_text()
    assert "ui-beta-1" not in table.inner_text()
    # The keys page is not reachable by URL either.
    page.goto(f"{live.url}/dashboard#/keys")
    page.get_by_text("needs an admin key").wait_for()


def test_admin_filters_by_app(page: Any, live: LiveServer, admin_key: str) -> None:
    add_rows(live, audit_event("alpha", "safety_block", request_id="flt-alpha"))
    add_rows(live, audit_event("beta", "safety_block", request_id="flt-beta"))
    sign_in(page, live, admin_key)
    main = open_section(page, "Audit")
    text = main.get_by_test_id("audit-table").inner_text()
    assert "flt-alpha" in text and "flt-beta" in text
    page.get_by_label("Show data for app").select_option("beta")
    page.locator("#main .loading").wait_for(state="detached")
    main.get_by_test_id("audit-table").wait_for()
    text = main.get_by_test_id("audit-table").inner_text()
    assert "flt-beta" in text and "flt-alpha" not in text
    # The filter survives a reload of the page (same tab).
    page.reload()
    page.wait_for_selector("#shell:not([hidden])")
    assert page.get_by_label("Show data for app").input_value() == "beta"


def test_a_revoked_key_goes_back_to_sign_in(page: Any, live: LiveServer, admin_key: str) -> None:
    short_lived = live.create_key("beta")
    sign_in(page, live, short_lived)
    open_section(page, "Audit")
    with client(live, admin_key) as http:
        assert http.delete(f"/admin/keys/{short_lived.split('_')[1]}").status_code == 200
    page.get_by_role("button", name="Refresh").click()
    message = page.locator("#signin-message")
    message.wait_for()
    assert "no longer accepted" in message.inner_text()
    assert page.locator("#shell").is_hidden()
    assert page.evaluate("sessionStorage.getItem('aiw.session')") is None


def test_providers_page_shows_health_and_circuits(page: Any, live: LiveServer, admin_key: str) -> None:
    response = httpx.post(
        f"{live.url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {admin_key}"},
        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "ping"}]},
        timeout=30,
    )
    assert response.status_code == 200
    sign_in(page, live, admin_key)
    main = open_section(page, "Providers")
    health = main.get_by_test_id("providers-table").inner_text()
    assert "openai" in health and "cloudflare" in health
    circuit = main.get_by_test_id("circuits-table").locator("tr", has_text="openai / gpt-4o-mini")
    assert "closed" in circuit.inner_text()


def test_keyboard_only_sign_in_and_navigation(page: Any, live: LiveServer, admin_key: str) -> None:
    page.goto(f"{live.url}/dashboard")
    page.locator("#signin-key").wait_for()
    assert page.evaluate("document.activeElement.id") == "signin-key"  # focused on arrival
    page.keyboard.type(admin_key)
    page.keyboard.press("Enter")
    page.wait_for_selector("#shell:not([hidden])")
    page.get_by_role("link", name="Audit", exact=True).focus()
    page.keyboard.press("Enter")
    page.locator("#main").get_by_role("heading", level=1, name="Audit").wait_for()
    page.locator("#main .loading").wait_for(state="detached")
    assert page.evaluate("document.activeElement.id") == "main"  # focus moves to the new content


def test_admin_grants_and_revokes_an_override(page: Any, live: LiveServer, admin_key: str) -> None:
    sign_in(page, live, admin_key)
    main = open_section(page, "Audit")
    form = main.get_by_role("form", name="Grant an override")
    form.get_by_label("App").fill("beta")
    form.get_by_label("Blocks to pass").select_option("phi")
    form.get_by_label("Hours").fill("2")
    # No reason: refused in the page before anything is sent.
    form.get_by_role("button", name="Grant override").click()
    assert "needs the app and a reason" in main.get_by_test_id("form-error").inner_text()
    form.get_by_label("Reason (required)").fill("discharge summary review")
    form.get_by_role("button", name="Grant override").click()
    row = page.get_by_test_id("overrides-table").locator("tr", has_text="discharge summary review")
    row.wait_for()
    assert "beta" in row.inner_text() and "active" in row.inner_text() and "whole app" in row.inner_text()
    row.get_by_role("button", name="Revoke override").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason (optional, audited)").fill("review done")
    dialog.get_by_role("button", name="Revoke").click()
    revoked = page.get_by_test_id("overrides-table").locator("tr", has_text="discharge summary review")
    revoked.get_by_text("revoked").wait_for()
    live.call(live.gateway.usage.flush())
    page.get_by_role("button", name="Refresh").click()
    audit_text = page.get_by_test_id("audit-table").inner_text()
    assert "override_grant" in audit_text and "override_revoke" in audit_text
    assert "discharge summary review" in audit_text


def test_cache_page_shows_entries_and_clears_an_app(page: Any, live: LiveServer, admin_key: str) -> None:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "cache me for the dashboard"}]}
    with client(live, admin_key) as http:
        first = http.post("/v1/chat/completions", json=body)
        second = http.post("/v1/chat/completions", json=body)
    assert first.status_code == 200 and second.status_code == 200
    sign_in(page, live, admin_key)
    main = open_section(page, "Cache")
    entries = float(page.get_by_test_id("cache-exact-entries").get_attribute("data-value"))
    assert entries >= 1
    header, *rows = main.get_by_test_id("cache-table").inner_text().splitlines()[1:]
    chat_row = dict(
        zip(header.lower().split("\t"), next(r for r in rows if r.startswith("chat")).split("\t"))
    )
    assert int(chat_row["hit"]) >= 1 and int(chat_row["miss"]) >= 1
    form = main.get_by_role("form", name="Clear cache entries")
    form.get_by_role("button", name="Clear matching entries").click()
    assert "Name an app" in main.get_by_test_id("form-error").inner_text()
    form.get_by_label("App").fill("ops")
    form.get_by_role("button", name="Clear matching entries").click()
    cleared = page.get_by_test_id("cache-cleared")
    cleared.wait_for()
    removed = int(re.search(r"Removed (\d+) exact", cleared.inner_text()).group(1))
    assert removed >= 1  # this test's answer, and any other the admin (app "ops") had cached
    cleared.wait_for(state="detached")  # the page reloads its figures after a clear
    after = float(page.get_by_test_id("cache-exact-entries").get_attribute("data-value"))
    assert after == entries - removed


def test_failures_are_shown_and_the_page_stays_usable(page: Any, live: LiveServer, admin_key: str) -> None:
    sign_in(page, live, admin_key)
    # The gateway is unreachable for this API: the page says so instead of going blank.
    page.route("**/api/audit*", lambda route: route.abort())
    main = open_section(page, "Audit")
    assert "could not be reached" in main.locator(".error").inner_text()
    # A server-side error shows the server's own message.
    page.unroute("**/api/audit*")
    error = {"error": {"message": "The database is busy; try again.", "type": "api_error", "param": None}}
    page.route("**/api/overrides*", lambda route: route.fulfill(status=503, json=error))
    page.get_by_role("link", name="Providers", exact=True).click()
    page.get_by_role("link", name="Audit", exact=True).click()
    main.get_by_text("The database is busy; try again.").wait_for()
    # Other sections still work, and the session is kept (only a 401 signs out).
    page.unroute("**/api/overrides*")
    open_section(page, "Providers")
    main.get_by_test_id("providers-table").wait_for()
    assert page.locator("#shell").is_visible()
