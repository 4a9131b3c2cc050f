"""CORS for browser callers when server.cors_origins is set (and none when it is not)."""

from __future__ import annotations

from typing import Any

import httpx

from ai_workers.gateway import Gateway
from ai_workers.server.app import create_app
from tests.fakes.settings import fake_settings


async def call(app: Any, method: str, path: str, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        return await client.request(method, path, headers=headers)


async def test_cors_preflight_and_exposed_headers() -> None:
    app = create_app(Gateway(fake_settings(server={"cors_origins": ["https://intake.example"]})))
    preflight = await call(
        app,
        "OPTIONS",
        "/v1/chat/completions",
        {
            "origin": "https://intake.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://intake.example"
    health = await call(app, "GET", "/health", {"origin": "https://intake.example"})
    assert "x-ai-workers-overhead-ms" in health.headers["access-control-expose-headers"]
    other = await call(app, "GET", "/health", {"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


async def test_no_cors_headers_by_default() -> None:
    app = create_app(Gateway(fake_settings()))
    health = await call(app, "GET", "/health", {"origin": "https://intake.example"})
    assert "access-control-allow-origin" not in health.headers
