"""The hot API routes' front door (server/front.py) answers exactly as Starlette's middleware stack does.

A request without an ``Origin`` header takes the front door; the same request with an ``Origin`` that no
CORS list names takes Starlette's whole stack (both CORS layers pass it through untouched). Each case is
sent both ways over HTTP to the real server and must get the same status and body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy.exc

from tests.server.live import LiveServer

CHAT = "/v1/chat/completions"
BROWSER = {"origin": "https://not-listed.example"}  # forces Starlette's path, changes nothing else


@pytest.fixture
def stack_calls(live: LiveServer) -> Iterator[list[str]]:
    """Paths of the requests that went through Starlette's middleware stack."""
    app: Any = live.app
    calls: list[str] = []
    original = app.middleware_stack
    assert original is not None  # built at start-up (lifespan goes through it)

    async def counted(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            calls.append(scope["path"])
        await original(scope, receive, send)

    app.middleware_stack = counted
    yield calls
    app.middleware_stack = original


def both(
    live: LiveServer, key: str, body: Any = None, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    headers = {"authorization": f"Bearer {key}", **kwargs.pop("headers", {})}
    # A connection each: after a 500 the server closes the connection (it re-raised the error).
    with httpx.Client(base_url=live.url, timeout=30) as client:
        direct = client.post(CHAT, json=body, headers=headers, **kwargs)
    with httpx.Client(base_url=live.url, timeout=30) as client:
        stacked = client.post(CHAT, json=body, headers={**headers, **BROWSER}, **kwargs)
    return direct, stacked


def chat_body() -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello."}]}


def test_an_api_call_takes_the_front_door_and_a_browser_call_the_stack(
    live: LiveServer, alpha_key: str, stack_calls: list[str]
) -> None:
    direct, stacked = both(live, alpha_key, chat_body())
    assert direct.status_code == stacked.status_code == 200
    for response in (direct, stacked):
        assert response.headers["x-request-id"]
        assert float(response.headers["x-ai-workers-overhead-ms"]) >= 0
        assert response.json()["choices"][0]["message"]["content"]
    assert stack_calls == [CHAT]  # only the request with an Origin went through the stack


def test_refusals_and_api_errors_are_the_same_both_ways(live: LiveServer, alpha_key: str) -> None:
    too_big = {"content": b"x" * (64 * 1024 + 1), "headers": {"content-type": "application/json"}}
    cases: list[tuple[Any, dict[str, Any], int]] = [
        (None, too_big, 413),  # the request guard's 413, before any route
        (None, {"content": b"{not json", "headers": {"content-type": "application/json"}}, 400),
        ({"model": "gpt-4o-mini"}, {}, 400),  # messages missing: the field is named
    ]
    for body, kwargs, status in cases:
        direct, stacked = both(live, alpha_key, body, **kwargs)
        assert direct.status_code == stacked.status_code == status
        assert direct.json() == stacked.json()
    unauthenticated_direct, unauthenticated_stacked = both(live, "aiw_not-a-key", chat_body())
    assert unauthenticated_direct.status_code == unauthenticated_stacked.status_code == 401
    assert unauthenticated_direct.json() == unauthenticated_stacked.json()


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (RuntimeError("boom"), 500, None),  # unexpected: the 500 handler, logged by the server
        (sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("gone")), 503, "database_unavailable"),
    ],
)
def test_an_exception_the_endpoint_lets_out_gets_the_handler_starlette_would_pick(
    live: LiveServer,
    alpha_key: str,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    status: int,
    code: str | None,
) -> None:
    async def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(live.gateway, "run", fail)
    direct, stacked = both(live, alpha_key, chat_body())
    assert direct.status_code == stacked.status_code == status
    assert direct.json() == stacked.json()
    assert direct.json()["error"]["code"] == code
