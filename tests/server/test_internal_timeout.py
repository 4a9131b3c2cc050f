"""A ``TimeoutError`` that did not come from the database is a 504 ``internal_timeout``, not a 503 that
tells the client the database is down (asyncpg's command timeout is a bare ``TimeoutError`` too)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import Request

from ai_workers.server.app import _timeout


def _request() -> Request:
    return Request({"type": "http", "method": "POST", "path": "/v1/feedback", "headers": []})


def _raise_from(module: str) -> BaseException:
    namespace: dict[str, Any] = {"__name__": module}
    exec("def fail():\n    raise TimeoutError()\n", namespace)
    try:
        namespace["fail"]()
    except TimeoutError as exc:
        return exc
    raise AssertionError("unreachable")


def _answer(exc: BaseException) -> tuple[int, dict[str, Any]]:
    response = asyncio.run(_timeout(_request(), exc))  # type: ignore[arg-type]
    return response.status_code, json.loads(bytes(response.body))


def test_a_timeout_inside_the_gateway_is_504_internal_timeout() -> None:
    status, body = _answer(_raise_from("ai_workers.cache.stage"))
    assert status == 504
    assert body["error"]["code"] == "internal_timeout"


def test_a_timeout_raised_in_database_code_is_503_database_unavailable() -> None:
    for module in ("asyncpg.protocol", "sqlalchemy.engine.base", "ai_workers.db.engine"):
        status, body = _answer(_raise_from(module))
        assert status == 503, module
        assert body["error"]["code"] == "database_unavailable"
