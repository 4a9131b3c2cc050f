"""The dashboard's Batches page lists a batch with its app, status and counts (a real browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.batch.helpers import chat_line, submit, wait_done
from tests.dashboard.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer


def test_batches_page_shows_a_finished_batch(
    fakes: tuple[Any, Any], tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    from openai import OpenAI
    from playwright.sync_api import sync_playwright

    workers, upstream = fakes
    with LiveServer(fake_settings(workers, upstream, data_dir=str(tmp_path), **batch_settings)) as server:
        admin = server.create_key("ops", role="admin")
        client = OpenAI(base_url=f"{server.url}/v1", api_key=server.create_key("notes"), max_retries=0)
        batch_id = submit(client, [chat_line(i) for i in range(5)])
        wait_done(client, batch_id)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.goto(f"{server.url}/dashboard")
                page.get_by_label("API key").fill(admin)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_selector("#shell:not([hidden])")
                page.get_by_role("navigation").get_by_role("link", name="Batches", exact=True).click()
                table = page.get_by_test_id("batches-table")
                table.wait_for()
                row = table.locator("tbody tr").first
                assert batch_id in row.inner_text() and "notes" in row.inner_text()
                assert "completed" in row.inner_text()
                assert not errors, errors
            finally:
                browser.close()
