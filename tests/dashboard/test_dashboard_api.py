"""The dashboard's page, assets and its own read-only APIs, over HTTP against a live gateway."""

from __future__ import annotations

import datetime as dt
import gzip
from typing import Any

import pytest

from ai_workers.server.dashboard import load_assets
from tests.dashboard.conftest import add_rows, audit_event, client, override
from tests.server.live import LiveServer


def test_page_is_served_with_a_strict_content_security_policy(live: LiveServer) -> None:
    with client(live, None) as http:
        response = http.get("/dashboard")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert 'src="/dashboard/static/app.js"' in response.text
    # Nothing from a CDN or any other origin: the page works offline.
    assert "http://" not in response.text and "https://" not in response.text


def test_assets_are_cached_by_etag_and_gzipped(live: LiveServer) -> None:
    with client(live, None) as http:
        first = http.get("/dashboard/static/pages.js", headers={"accept-encoding": "gzip"})
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("text/javascript")
        assert first.headers["content-encoding"] == "gzip"
        assert "export const PAGES" in first.text  # httpx decoded the gzip body
        again = http.get("/dashboard/static/pages.js", headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304
        missing = http.get("/dashboard/static/nope.js")
        assert missing.status_code == 404
        assert "nope.js" in missing.json()["error"]["message"]
        assert http.get("/dashboard/", follow_redirects=False).headers["location"] == "/dashboard"


def _loaded_by(assets: dict[str, Any], entry: str) -> set[str]:
    """The scripts a page loads: its entry module and every module it imports, transitively."""
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in assets[name].body.decode().splitlines():
            if line.startswith("import ") and "/dashboard/static/" in line:
                todo.append(line.split("/dashboard/static/")[1].split('"')[0])
    return seen


def test_the_dashboard_loads_at_most_120_kb_of_our_javascript() -> None:
    # The source is served as written (no build step, so no minifier): 13 pages in ~110 KB, ~30 KB
    # gzipped on the wire. The embeddable widgets bundle (React included) is served alongside but no
    # dashboard page loads it. The vendored chart library (uPlot, pinned) has a budget of its own.
    assets = load_assets()
    scripts = {name for name in _loaded_by(assets, "app.js") if not name.startswith("vendor/")}
    assert {"app.js", "api.js", "pages.js", "ui.js", "pages/charts.js", "pages/requests.js"} <= scripts
    assert "ai-workers-widgets.js" not in scripts
    total = sum(len(assets[name].body) for name in scripts)
    assert total < 120 * 1024, f"{total} bytes of JavaScript"
    assert sum(len(gzip.compress(assets[name].body)) for name in scripts) < 36 * 1024
    vendored = [a for name, a in assets.items() if name.startswith("vendor/") and name.endswith(".js")]
    assert len(vendored) == 1 and len(vendored[0].body) < 60 * 1024
    assert len(gzip.compress(vendored[0].body)) < 25 * 1024


def test_every_asset_the_page_references_exists() -> None:
    assets = load_assets()
    html = assets["dashboard.html"].body.decode()
    for name in ("dashboard.css", "app.js", "favicon.svg"):
        assert f"/dashboard/static/{name}" in html and name in assets
    for name, asset in assets.items():
        if name.endswith(".js"):
            for line in asset.body.decode().splitlines():
                if line.startswith("import ") and "/dashboard/static/" in line:
                    target = line.split("/dashboard/static/")[1].split('"')[0]
                    assert target in assets, f"{name} imports missing {target}"


def test_me_tells_the_page_who_signed_in(live: LiveServer, admin_key: str, alpha_key: str) -> None:
    with client(live, admin_key) as http:
        me = http.get("/api/me").json()
    assert me["app"] == "ops" and me["role"] == "admin" and me["key_id"] == admin_key.split("_")[1]
    with client(live, alpha_key) as http:
        assert http.get("/api/me").json()["role"] == "app"
    with client(live, "aiw_000000000000_" + "x" * 40) as http:
        wrong = http.get("/api/me")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_api_key"


def test_apps_lists_every_app_for_admins_and_only_itself_for_an_app(
    live: LiveServer, admin_key: str, alpha_key: str, beta_key: str
) -> None:
    with client(live, admin_key) as http:
        apps = http.get("/api/apps").json()["data"]
    assert {"ops", "alpha", "beta"} <= set(apps)
    with client(live, alpha_key) as http:
        assert http.get("/api/apps").json()["data"] == ["alpha"]


def test_audit_log_is_scoped_filtered_and_paged(
    live: LiveServer, admin_key: str, alpha_key: str, beta_key: str
) -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    add_rows(
        live,
        audit_event("alpha", "phi_block", request_id="req-a1", phi_types=["NAME", "SSN"]),
        audit_event("alpha", "override_grant", actor="admin-1", reason="chart review"),
        audit_event("beta", "safety_block", request_id="req-b1", details={"categories": ["S2"]}),
        audit_event("alpha", "phi_block", ts=old, request_id="req-old"),
    )
    with client(live, admin_key) as http:
        everything = http.get("/api/audit").json()["data"]
        request_ids = [e["request_id"] for e in everything]
        assert "req-a1" in request_ids and "req-b1" in request_ids
        assert "req-old" not in request_ids  # outside the default 30 days
        older = http.get("/api/audit", params={"from": (old.date()).isoformat()}).json()["data"]
        assert "req-old" in [e["request_id"] for e in older]
        only_beta = http.get("/api/audit", params={"app": "beta"}).json()["data"]
        assert {e["app"] for e in only_beta} == {"beta"}
        blocks = http.get("/api/audit", params={"action": "phi_block,safety_block"}).json()["data"]
        assert {e["action"] for e in blocks} <= {"phi_block", "safety_block"}
        block = next(e for e in blocks if e["request_id"] == "req-a1")
        assert block["phi_types"] == ["NAME", "SSN"]
        assert block["ts"].endswith("+00:00")
        page1 = http.get("/api/audit", params={"limit": 1}).json()
        assert page1["has_more"] is True and len(page1["data"]) == 1
        page2 = http.get("/api/audit", params={"limit": 1, "before_id": page1["data"][0]["id"]}).json()
        assert page2["data"][0]["id"] < page1["data"][0]["id"]
    with client(live, alpha_key) as http:
        own = http.get("/api/audit").json()["data"]
        assert own and {e["app"] for e in own} == {"alpha"}
        other = http.get("/api/audit", params={"app": "beta"})
        assert other.status_code == 403
        assert other.json()["error"]["param"] == "app"


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-02-02", "to": "2026-02-01"}, "from"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_query_parameters_are_400s_naming_the_parameter(
    live: LiveServer, admin_key: str, params: dict[str, str], param: str
) -> None:
    with client(live, admin_key) as http:
        response = http.get("/api/audit", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == param


def test_overrides_show_whether_they_are_still_active(
    live: LiveServer, admin_key: str, beta_key: str
) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    add_rows(
        live,
        override("beta", "ovr-live"),
        override("beta", "ovr-expired", created_at=past, expires_at=past + dt.timedelta(minutes=30)),
        override("alpha", "ovr-alpha", request_id="req-1", used=True),
    )
    with client(live, beta_key) as http:
        rows = {r["id"]: r for r in http.get("/api/overrides").json()["data"]}
    assert set(rows) == {"ovr-live", "ovr-expired"}
    assert rows["ovr-live"]["active"] is True and rows["ovr-expired"]["active"] is False
    with client(live, admin_key) as http:
        rows = {r["id"]: r for r in http.get("/api/overrides").json()["data"]}
    assert rows["ovr-alpha"]["active"] is False  # a one-request override, already used


def test_circuits_and_quality_reflect_live_traffic(live: LiveServer, admin_key: str, alpha_key: str) -> None:
    with client(live, alpha_key) as http:
        chat = http.post(
            "/v1/chat/completions",
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}]},
        )
        assert chat.status_code == 200
        circuits = http.get("/api/circuits").json()
    assert circuits["available"] is True
    assert any(c["provider"] == "openai" and c["state"] == "closed" for c in circuits["data"])
    with client(live, admin_key) as http:
        quality = http.get("/api/quality", params={"by": "provider,arm"})
        assert quality.status_code == 200
        assert quality.json()["group_by"] == ["provider", "arm"]
        wrong = http.get("/api/quality", params={"by": "colour"})
        assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "by"


def test_the_dashboard_can_be_turned_off(fakes: tuple[object, object], tmp_path: object) -> None:
    from tests.fakes.settings import fake_settings

    workers, openai = fakes
    settings = fake_settings(workers, openai, data_dir=str(tmp_path), server={"dashboard": False})
    with LiveServer(settings) as server, client(server, None) as http:
        assert http.get("/dashboard").status_code == 404
        assert http.get("/dashboard/static/app.js").status_code == 404
