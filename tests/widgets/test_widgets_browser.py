"""The React widgets in headless Chromium, end to end: an example app page (served by its own tiny
backend on another origin, which holds the app key and mints browser tokens) streams a chat through the
gateway to the fake upstream, shows a PHI redaction in the safety indicator, switches model, and hits a
budget 429. The widgets come from the standalone bundle shipped in the Python package
(``server/static/ai-workers-widgets.js``, built by ``scripts/build-widgets``). Screenshots go to
``/tmp/widgets-*.png``."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer
from tests.support.services import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STATIC = resources.files("ai_workers.server").joinpath("static")
PAGE = Path(__file__).with_name("example_app.html")

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


class ExampleBackend:
    """The app's own backend: serves its page and the widgets, and mints tokens with its key."""

    def __init__(self, port: int, gateway: str, app_key: str) -> None:
        self.port, self.gateway, self.app_key = port, gateway, app_key
        self.minted = 0
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/":
                    page = PAGE.read_text().replace("__GATEWAY__", backend.gateway)
                    self._send(page.encode(), "text/html; charset=utf-8")
                elif self.path == "/widgets.js":
                    self._send(STATIC.joinpath("ai-workers-widgets.js").read_bytes(), "text/javascript")
                elif self.path == "/widgets.css":
                    self._send(STATIC.joinpath("ai-workers-widgets.css").read_bytes(), "text/css")
                else:
                    self._send(b"not found", "text/plain", 404)

            def do_POST(self) -> None:
                if self.path != "/token":
                    self._send(b"not found", "text/plain", 404)
                    return
                minted = httpx.post(
                    backend.gateway + "/v1/tokens",
                    json={"user": "patient-7", "models": ["gpt-4o-mini", "gpt-4o"]},
                    headers={"authorization": f"Bearer {backend.app_key}"},
                )
                backend.minted += 1
                self._send(json.dumps({"token": minted.json()["token"]}).encode(), "application/json")

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ExampleBackend:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Any, ExampleBackend]]:
    backend_port = free_port()
    origin = f"http://127.0.0.1:{backend_port}"
    apps = {
        "clinic": {
            "phi_policy": "redact",
            "cors_origins": [origin],
            "allowed_models": ["gpt-4o-mini", "gpt-4o"],
            "budgets": [{"period": "daily", "usd": 1.0, "requests": 3}],
        },
        "lab": {},
    }
    with start_fakes() as (workers, openai):
        data_dir = tmp_path_factory.mktemp("widgets-gw")
        settings = fake_settings(workers, openai, data_dir=str(data_dir), apps=apps)
        with LiveServer(settings) as server:
            key = server.create_key("clinic")
            with ExampleBackend(backend_port, server.url, key) as backend:
                yield server, openai, backend


def test_the_gateway_serves_the_shipped_bundle(stack: tuple[LiveServer, Any, ExampleBackend]) -> None:
    server = stack[0]
    js = httpx.get(server.url + "/dashboard/static/ai-workers-widgets.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "export" in js.text and "mount" in js.text
    assert httpx.get(server.url + "/dashboard/static/ai-workers-widgets.css").status_code == 200


def test_example_app_chat_phi_model_switch_and_budget(stack: tuple[LiveServer, Any, ExampleBackend]) -> None:
    _server, openai, backend = stack
    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 800})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"http://127.0.0.1:{backend.port}/")
            expect = playwright_api.expect
            select = page.get_by_label("Model")
            expect(select).to_have_value("gpt-4o-mini")
            expect(select.locator("option")).to_have_count(3, timeout=15_000)  # auto + the token's two
            message = page.get_by_label("Message")
            # Themed by the page through the widgets' CSS variables (--aiw-accent on an ancestor).
            send_color = page.get_by_role("button", name="Send").evaluate(
                "b => getComputedStyle(b).borderColor"
            )
            assert send_color == "rgb(11, 122, 117)"

            # 1. A streamed chat through the gateway to the fake upstream.
            message.fill("hello gateway")
            page.get_by_role("button", name="Send").click()
            expect(page.get_by_text("Echo: hello gateway")).to_be_visible(timeout=15_000)
            expect(page.get_by_role("button", name="Good answer")).to_have_count(1)
            page.get_by_role("button", name="Good answer").click()
            expect(page.get_by_role("button", name="Good answer")).to_have_attribute("aria-pressed", "true")
            upstream = openai.requests[-1].json()
            assert upstream["model"] == "gpt-4o-mini" and upstream["stream"] is True
            page.screenshot(path="/tmp/widgets-1-stream.png", full_page=True)

            # 2. PHI: the name and SSN are redacted before the upstream; the indicator shows the types.
            message.fill("My name is John Smith and my SSN is 123-45-6789.")
            page.get_by_role("button", name="Send").click()
            indicator = page.locator(".aiw-safety")
            expect(indicator).to_contain_text("hidden from the AI model", timeout=15_000)
            expect(indicator).to_contain_text("Social Security number")
            expect(indicator).to_contain_text("name")
            text = indicator.inner_text()
            assert "John" not in text and "123-45" not in text
            sent = openai.requests[-1].body.decode()
            assert "123-45-6789" not in sent and "John Smith" not in sent
            page.screenshot(path="/tmp/widgets-2-phi.png", full_page=True)

            # 3. Switch model: the next answer comes from gpt-4o.
            select.select_option("gpt-4o")
            message.fill("and now the bigger model")
            page.get_by_role("button", name="Send").click()
            expect(page.get_by_text("Echo: and now the bigger model")).to_be_visible(timeout=15_000)
            assert openai.requests[-1].json()["model"] == "gpt-4o"
            expect(page.get_by_role("progressbar", name="App daily budget")).to_be_visible()
            page.screenshot(path="/tmp/widgets-3-model.png", full_page=True)

            # 4. The app's daily budget (3 requests) is used up: a clear message, not a crash.
            message.fill("one more question")
            page.get_by_role("button", name="Send").click()
            alert = page.get_by_role("alert")
            expect(alert).to_contain_text("spending limit", timeout=15_000)
            expect(page.get_by_role("button", name="Retry")).to_be_visible()
            page.screenshot(path="/tmp/widgets-4-budget.png", full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert backend.minted == 1  # one token for the whole session: the page keeps it until a 401


def test_dashboard_playground_mints_a_token_and_chats(stack: tuple[LiveServer, Any, ExampleBackend]) -> None:
    server, openai, _backend = stack
    key = server.create_key("lab")
    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 800})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server.url + "/dashboard")
            session = json.dumps({"key": key, "app": "lab", "role": "app"})
            page.evaluate("s => sessionStorage.setItem('aiw.session', s)", session)
            page.goto(server.url + "/dashboard/static/playground.html")
            expect = playwright_api.expect
            expect(page.get_by_label("App")).to_have_value("lab")
            page.get_by_role("button", name="Start").click()
            select = page.get_by_label("Model")
            expect(select.locator("option[value='gpt-4o-mini']")).to_have_count(1, timeout=15_000)
            select.select_option("gpt-4o-mini")
            page.get_by_label("Message").fill("hello from the playground")
            page.get_by_role("button", name="Send").click()
            expect(page.get_by_text("Echo: hello from the playground")).to_be_visible(timeout=15_000)
            assert openai.requests[-1].json()["model"] == "gpt-4o-mini"
            page.screenshot(path="/tmp/widgets-5-playground.png", full_page=True)
        finally:
            browser.close()
    assert errors == []
