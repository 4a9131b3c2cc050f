"""The router's dictionary fast path picks exactly the route Starlette's ordered walk would pick."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from ai_workers.server.hot_router import HotRouter


class Named:
    """A raw ASGI endpoint (like the hot API routes) that answers with its name."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await PlainTextResponse(f"{self.name} {scope['route'].path}")(scope, receive, send)


async def by_param(request: Request) -> Response:
    return PlainTextResponse(f"param {request.path_params['name']}")


def client(routes: list[Any]) -> TestClient:
    app = Starlette(routes=routes)
    app.router = HotRouter(app.router.routes)
    return TestClient(app)


def test_static_routes_answer_and_other_methods_get_405() -> None:
    http = client([Route("/v1/chat", Named("chat"), methods=["POST"]), Route("/v1/other", Named("other"))])
    assert http.post("/v1/chat").text == "chat /v1/chat"
    assert http.get("/v1/chat").status_code == 405
    assert http.get("/v1/other").text == "other /v1/other"
    assert http.post("/v1/missing").status_code == 404


def test_an_earlier_route_that_matches_keeps_the_request() -> None:
    http = client(
        [
            Route("/v1/{name}", by_param, methods=["POST"]),
            Route("/v1/chat", Named("chat"), methods=["POST"]),
            Mount("/mounted", routes=[Route("/x", Named("inner"), methods=["POST"])]),
            Route("/mounted/x", Named("shadowed"), methods=["POST"]),
        ]
    )
    assert http.post("/v1/chat").text == "param chat"  # Starlette's order: the parameter route first
    assert http.post("/mounted/x").text == "inner /x"


def test_routes_added_after_the_first_request_are_found() -> None:
    app = Starlette(routes=[Route("/a", Named("a"), methods=["POST"])])
    app.router = HotRouter(app.router.routes)
    http = TestClient(app)
    assert http.post("/a").text == "a /a"
    app.router.routes.append(Route("/b", Named("b"), methods=["POST"]))
    assert http.post("/b").text == "b /b"
