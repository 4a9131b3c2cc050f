"""The OpenAPI document covers every mounted route, and a short schemathesis run against the live
server (every documented operation, a few generated requests each) gets no server error."""

from __future__ import annotations

import re
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from starlette.routing import Route

from ai_workers.server.app import collect_routes
from tests.server.live import LiveServer

EXAMPLES_PER_OPERATION = 4
# Not fuzzed: warming the cache replays recent questions through the providers (slow, and not a
# request-validation path); the dashboard page and its assets are static files.
NOT_FUZZED = {("POST", "/admin/cache/warm"), ("GET", "/dashboard"), ("GET", "/dashboard/static/{name}")}


def mounted() -> set[tuple[str, str]]:
    """(method, path) of every route the app mounts, with Starlette's ``{name:path}`` as ``{name}``."""
    out = set()
    for route in collect_routes():
        assert isinstance(route, Route)
        path = re.sub(r"{(\w+):\w+}", r"{\1}", route.path)
        out |= {(method, path) for method in route.methods or () if method != "HEAD"}
    return out


def test_every_mounted_route_is_in_the_openapi_document(live: LiveServer) -> None:
    document = httpx.get(f"{live.url}/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    assert mounted() - documented == set()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{([^}]+)}", path)), path


def test_generated_requests_get_no_server_error(live: LiveServer, admin_key: str) -> None:
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    failures: list[str] = []
    statuses: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in NOT_FUZZED:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            response = case.call(
                base_url=live.url, headers={"authorization": f"Bearer {admin_key}"}, timeout=30
            )
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
                )

        check()
    assert failures == []
    assert len(statuses) > 100 and any(s < 300 for s in statuses)  # it did reach the routes
