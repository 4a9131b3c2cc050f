"""Apps, budgets and keys edited through the admin API, as an operator's script or the console would:
apps must exist before keys are made for them, policy and budgets apply on another worker without a
restart, keys expire and rotate with a grace period, and every change is audited."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from tests.dashboard.conftest import client
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer


@pytest.fixture(scope="module")
def pair(
    fakes: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Two workers over one database (SQLite file in a shared data dir), as ``serve --workers 2``."""
    workers, upstream = fakes
    data_dir: Path = tmp_path_factory.mktemp("console-admin")
    settings = fake_settings(workers, upstream, data_dir=str(data_dir), apps={"billing": {}})
    with (
        LiveServer(settings) as a,
        LiveServer(fake_settings(workers, upstream, data_dir=str(data_dir), apps={"billing": {}})) as b,
    ):
        yield a, b


@pytest.fixture(scope="module")
def admin(pair: tuple[LiveServer, LiveServer]) -> str:
    return pair[0].create_key("default", role="admin")


def eventually(check: Any, timeout_s: float = 8.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_key_for_a_mistyped_app_is_refused_naming_the_field(pair: Any, admin: str) -> None:
    a, _ = pair
    with client(a, admin) as http:
        refused = http.post("/admin/keys", json={"app": "clinc-notes"})
        assert refused.status_code == 404
        error = refused.json()["error"]
        assert error["param"] == "app" and "clinc-notes" in error["message"]
        assert "Create the app first" in error["message"]
        # The typo did not become an app: it is in no filter.
        assert "clinc-notes" not in http.get("/api/apps").json()["data"]
        # A configured app is fine.
        assert http.post("/admin/keys", json={"app": "billing"}).status_code == 201


def test_create_an_app_with_policy_and_budget_applies_on_the_other_worker(pair: Any, admin: str) -> None:
    a, b = pair
    with client(a, admin) as http:
        created = http.post(
            "/admin/apps",
            json={
                "name": "clinic-notes",
                "description": "clinic note summaries",
                "phi_policy": "block",
                "allowed_models": ["gpt-4o-mini"],
                "budgets": [{"period": "monthly", "usd": 5}],
            },
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["source"] == "console" and body["phi_policy"] == "block"
        assert body["budgets"][0]["usd"] == 5
        key = http.post("/admin/keys", json={"app": "clinic-notes", "name": "prod"}).json()["key"]
        # Again: 409 naming the field.
        again = http.post("/admin/apps", json={"name": "clinic-notes"})
        assert again.status_code == 409 and again.json()["error"]["param"] == "name"
    # Worker B (never told) applies the policy: a model outside allowed_models is refused, PHI blocked,
    # and the budget is enforced there.
    sdk = openai.OpenAI(base_url=b.url + "/v1", api_key=key, max_retries=0)

    def model_refused() -> None:
        try:
            sdk.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
        except openai.APIStatusError as exc:
            assert exc.status_code == 403, exc
        else:
            raise AssertionError("gpt-4o was allowed")

    eventually(model_refused)
    with pytest.raises(openai.APIStatusError) as blocked:
        sdk.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "Patient SSN 123-45-6789, summarise."}]
        )
    assert blocked.value.status_code == 422
    ok = sdk.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}])
    assert ok.choices[0].message.content
    with client(b, admin) as http_b:
        rows = http_b.get("/api/budgets", params={"app": "clinic-notes"}).json()["data"]
    assert [(r["period"], r["limit_usd"]) for r in rows] == [("monthly", 5.0)]


def test_change_a_budget_through_one_worker_and_the_other_applies_it(pair: Any, admin: str) -> None:
    a, b = pair
    with client(a, admin) as http:
        assert http.post("/admin/apps", json={"name": "intake"}).status_code == 201
        budget = http.post("/admin/budgets", json={"app": "intake", "period": "daily", "requests": 1})
        assert budget.status_code == 201, budget.text
        budget_id = budget.json()["id"]
        duplicate = http.post("/admin/budgets", json={"app": "intake", "period": "daily", "usd": 1})
        assert duplicate.status_code == 409
        bad = http.patch(f"/admin/budgets/{budget_id}", json={"requests": 0})
        assert bad.status_code == 400 and bad.json()["error"]["param"] == "budget.requests"
        key = http.post("/admin/keys", json={"app": "intake"}).json()["key"]
    with client(b, admin) as http_b:
        eventually(lambda: _assert_budget_limit(http_b, "intake", 1))
    with client(a, admin) as http:
        changed = http.patch(f"/admin/budgets/{budget_id}", json={"requests": 50, "soft_pct": 90})
        assert changed.status_code == 200 and changed.json()["requests"] == 50
    with client(b, admin) as http_b:
        eventually(lambda: _assert_budget_limit(http_b, "intake", 50))
    sdk = openai.OpenAI(base_url=b.url + "/v1", api_key=key, max_retries=0)
    for _ in range(3):
        sdk.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    # Audited with the before/after values and the admin as actor.
    a.call(a.gateway.usage.flush())
    with client(a, admin) as http:
        events = http.get("/api/audit", params={"app": "intake", "action": "budget_update"}).json()["data"]
    assert events and events[0]["actor"] == admin.split("_")[1]
    assert events[0]["details"]["before"]["requests"] == 1 and events[0]["details"]["after"]["requests"] == 50


def _assert_budget_limit(http: httpx.Client, app: str, limit: int) -> None:
    rows = http.get("/api/budgets", params={"app": app}).json()["data"]
    assert [r["limit_requests"] for r in rows] == [limit], rows


def test_app_validation_errors_name_the_field(pair: Any, admin: str) -> None:
    a, _ = pair
    with client(a, admin) as http:
        cases = [
            ({"name": "Bad Name"}, "name"),
            ({"name": "ok-app", "phi_policy": "maybe"}, "phi_policy"),
            ({"name": "ok-app", "allowed_models": ["no-such-model"]}, "allowed_models"),
            ({"name": "ok-app", "budgets": [{"period": "weekly", "usd": 1}]}, "budgets[0].period"),
            ({"name": "ok-app", "budgets": [{"period": "daily"}]}, "budgets[0].usd"),
            ({"name": "billing"}, "name"),  # defined in the config file: read-only here
        ]
        for body, param in cases:
            answer = http.post("/admin/apps", json=body)
            assert 400 <= answer.status_code < 500, body
            assert answer.json()["error"]["param"] == param, (body, answer.json())
        # An app key cannot administer.
        app_key = a.create_key("billing")
    with client(a, app_key) as http:
        assert http.post("/admin/apps", json={"name": "x"}).status_code == 403


def test_key_rotation_keeps_the_old_key_for_the_grace_period_then_expiry_ends_it(
    pair: Any, admin: str
) -> None:
    a, b = pair
    with client(a, admin) as http:
        old = http.post("/admin/keys", json={"app": "billing", "name": "svc"}).json()
        rotated = http.post(f"/admin/keys/{old['id']}/rotate", json={"grace_hours": 1})
        assert rotated.status_code == 201, rotated.text
        body = rotated.json()
        new_key = body["new"]["key"]
        assert body["new"]["rotated_from"] == old["id"] and body["new"]["name"] == "svc"
        assert body["old"]["expires_at"] is not None and body["old"]["active"]
    # Both work during the grace period, on both workers.
    for server in (a, b):
        for key in (old["key"], new_key):
            with client(server, key) as http:
                eventually(lambda http=http: _assert_status(http.get("/api/me"), 200))
    # Ending the grace period now (expiry a moment ahead) stops the old key on both workers.
    with client(a, admin) as http:
        # Whole seconds, at least 2 s ahead: still in the future when the server checks it under load.
        expire_at = int(time.time()) + 3
        soon = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(expire_at))
        assert http.patch(f"/admin/keys/{old['id']}", json={"expires_at": soon}).status_code == 200
        past = http.patch(f"/admin/keys/{old['id']}", json={"expires_at": "2020-01-01"})
        assert past.status_code == 400 and past.json()["error"]["param"] == "expires_at"
    time.sleep(max(0.0, expire_at - time.time()) + 0.2)
    for server in (a, b):
        with client(server, old["key"]) as http:
            eventually(lambda http=http: _assert_status(http.get("/api/me"), 401))
        with client(server, new_key) as http:
            assert http.get("/api/me").status_code == 200
    with client(a, admin) as http:
        listed = {
            k["id"]: k for k in http.get("/admin/keys", params={"include_revoked": "true"}).json()["data"]
        }
        assert listed[old["id"]]["expired"] and not listed[old["id"]]["active"]
        assert http.post("/admin/keys/nope00000000/rotate", json={}).status_code == 404


def _assert_status(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text


def test_spend_per_key(pair: Any, admin: str) -> None:
    a, _ = pair
    with client(a, admin) as http:
        created = http.post("/admin/keys", json={"app": "billing", "name": "spender"}).json()
    sdk = openai.OpenAI(base_url=a.url + "/v1", api_key=created["key"], max_retries=0)
    for _ in range(2):
        sdk.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "count me"}])
    a.call(a.gateway.usage.flush())
    with client(a, admin) as http:
        spend = http.get("/admin/keys/spend", params={"days": 7}).json()["data"]
        assert spend[created["id"]]["requests"] == 2 and spend[created["id"]]["cost_usd"] > 0
        assert http.get("/admin/keys/spend", params={"days": "x"}).json()["error"]["param"] == "days"


def test_changing_a_console_app_applies_on_the_other_worker_and_is_audited(pair: Any, admin: str) -> None:
    a, b = pair
    with client(a, admin) as http:
        assert (
            http.post("/admin/apps", json={"name": "scribe", "allowed_models": ["gpt-4o"]}).status_code == 201
        )
        key = http.post("/admin/keys", json={"app": "scribe"}).json()["key"]
    sdk = openai.OpenAI(base_url=b.url + "/v1", api_key=key, max_retries=0)

    def mini_status() -> int:
        try:
            sdk.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
        except openai.APIStatusError as exc:
            return exc.status_code
        return 200

    eventually(lambda: _assert_equal(mini_status(), 403))
    with client(a, admin) as http:
        changed = http.patch("/admin/apps/scribe", json={"allowed_models": ["gpt-4o", "gpt-4o-mini"]})
        assert changed.status_code == 200 and changed.json()["allowed_models"] == ["gpt-4o", "gpt-4o-mini"]
        bad = http.patch("/admin/apps/scribe", json={"phi_policy": "sometimes"})
        assert bad.status_code == 400 and bad.json()["error"]["param"] == "phi_policy"
        assert http.patch("/admin/apps/billing", json={"description": "x"}).status_code == 409  # config file
        assert http.patch("/admin/apps/nobody", json={"description": "x"}).status_code == 404
    eventually(lambda: _assert_equal(mini_status(), 200))
    a.call(a.gateway.usage.flush())
    with client(a, admin) as http:
        events = http.get("/api/audit", params={"app": "scribe", "action": "app_update"}).json()["data"]
    assert events[0]["details"]["changes"] == {"allowed_models": ["gpt-4o", "gpt-4o-mini"]}


def _assert_equal(got: Any, expected: Any) -> None:
    assert got == expected, got
