"""A fresh server has no keys: from the same machine the dashboard offers local dev mode, and creating
the first admin key there ends dev mode and signs the tab in with that key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

pytestmark = pytest.mark.browser


def test_first_admin_key_from_dev_mode(browser: Any, fakes: tuple[Any, Any], tmp_path: Path) -> None:
    workers, openai = fakes
    settings = fake_settings(workers, openai, data_dir=str(tmp_path))
    with LiveServer(settings) as live:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live.url}/dashboard")
        page.get_by_role("button", name="continue in local dev mode").click()
        page.wait_for_selector("#shell:not([hidden])")
        assert "Local dev mode" in page.locator("#banner").inner_text()
        page.get_by_role("link", name="Keys", exact=True).click()
        form = page.get_by_role("form", name="Create a key")
        form.get_by_label("App").fill("default")  # keys are made for apps that exist; "default" always does
        form.get_by_label("Role").select_option("admin")
        form.get_by_role("button", name="Create key").click()
        key = page.get_by_test_id("new-key")
        key.wait_for()
        key_id = key.input_value().split("_")[1]
        # Still signed in, now with the new key: the list reloads through it and the banner is gone.
        page.get_by_test_id("keys-table").locator("tr", has_text=key_id).wait_for()
        assert page.locator("#banner").is_hidden()
        assert key_id in page.locator("#who").inner_text()
        # Dev mode is over for everyone else.
        other = browser.new_context().new_page()
        with other.expect_response(lambda r: r.url.endswith("/api/me")) as probe:
            other.goto(f"{live.url}/dashboard")
        assert probe.value.status == 401
        other.locator("#signin-key").wait_for()
        assert other.locator("#devmode").is_hidden()
        context.close()
        other.context.close()


def test_dev_mode_ends_when_a_key_is_created_elsewhere(
    browser: Any, fakes: tuple[Any, Any], tmp_path: Path
) -> None:
    workers, openai = fakes
    with LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path))) as live:
        page = browser.new_context().new_page()
        page.goto(f"{live.url}/dashboard")
        page.get_by_role("button", name="continue in local dev mode").click()
        page.wait_for_selector("#shell:not([hidden])")
        # The Overview has finished loading (its savings arrive last), so no call of it is in flight.
        page.locator("#main .page-head").wait_for()
        page.locator("[data-testid='month-savings'][data-value]").wait_for()
        live.create_key("ops", role="admin")  # e.g. with `ai-workers keys create` on the server
        page.get_by_role("button", name="Refresh").click()
        message = page.locator("#signin-message")
        message.wait_for()
        assert "dev mode has ended" in message.inner_text()
        page.context.close()
