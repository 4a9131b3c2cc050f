"""The request log, charts and overview APIs over real traffic through the live gateway.

Requests go through the gateway with the official ``openai`` SDK (against the fake upstreams), the
usage writer stores them, and the APIs are read with httpx as an admin and as app keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

import openai
import pytest

from ai_workers.db.models import UsageRecord
from ai_workers.usage.rollup import rollup_day
from tests.dashboard.conftest import add_rows, client, database
from tests.server.live import LiveServer

PHI_PROMPT = "Patient Jane Doe, DOB 01/02/1960, seen at 12 Main Street; call 555-123-4567 about the rash."


def sdk(live: LiveServer, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live.url}/v1", api_key=key, max_retries=0)


def flush(live: LiveServer) -> None:
    live.call(live.gateway.usage.flush())


def record(app: str, **fields: Any) -> UsageRecord:
    values: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "ts": dt.datetime.now(dt.UTC),
        "app": app,
        "capability": "chat",
        "logical_model": "gpt-4o-mini",
        "provider": "openai",
        "status": 200,
        "latency_ms": 120.0,
        "input_tokens": 10,
        "output_tokens": 5,
        "cost_usd": 0.001,
        "list_cost_usd": 0.001,
        "attempts": 1,
    }
    values.update(fields)
    return UsageRecord(**values)


@pytest.fixture(scope="module")
def traffic(live: LiveServer, alpha_key: str, beta_key: str) -> dict[str, str]:
    """Real requests: alpha asks twice (one with PHI), beta once; returns their request ids."""
    ids: dict[str, str] = {}
    alpha = sdk(live, alpha_key)
    plain = alpha.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "What is a haiku?"}], user="log-user-1"
    )
    ids["alpha_plain"] = plain.headers["x-request-id"]
    phi = alpha.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": PHI_PROMPT}]
    )
    ids["alpha_phi"] = phi.headers["x-request-id"]
    beta = sdk(live, beta_key).chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[{"role": "user", "content": "Say hi to beta."}]
    )
    ids["beta"] = beta.headers["x-request-id"]
    flush(live)
    return ids


def get(live: LiveServer, key: str, path: str, **params: Any) -> Any:
    with client(live, key) as http:
        return http.get(path, params=params)


def test_a_request_appears_in_the_log_with_what_an_operator_needs(
    live: LiveServer, admin_key: str, traffic: dict[str, str]
) -> None:
    body = get(live, admin_key, "/api/requests", q=traffic["alpha_plain"]).json()
    assert [r["id"] for r in body["data"]] == [traffic["alpha_plain"]]
    row = body["data"][0]
    assert row["app"] == "alpha" and row["model"] == "gpt-4o-mini" and row["provider"] == "openai"
    assert row["status"] == 200 and row["attempts"] == 1 and row["input_tokens"] > 0
    assert row["latency_ms"] > 0 and row["overhead_ms"] is not None and row["cost_usd"] >= 0
    assert row["user"] == "log-user-1" and row["cache"] in ("miss", "skip", None)
    detail = get(live, admin_key, f"/api/requests/{traffic['alpha_plain']}").json()
    assert detail["attempt_log"][0]["provider"] == "openai" and detail["attempt_log"][0]["ok"] is True
    assert detail["content"]["stored"] is False and "store_text" in detail["content"]["message"]


def test_phi_shows_as_types_and_counts_never_values(
    live: LiveServer, admin_key: str, traffic: dict[str, str]
) -> None:
    detail = get(live, admin_key, f"/api/requests/{traffic['alpha_phi']}").json()
    assert detail["phi_redactions"] >= 2
    assert sum(detail["phi_counts"].values()) == detail["phi_redactions"]
    assert set(detail["phi_counts"]) == set(detail["phi_types"]) and "NAME" in detail["phi_types"]
    listed = get(live, admin_key, "/api/requests", app="alpha", phi="yes").json()["data"]
    assert traffic["alpha_phi"] in [r["id"] for r in listed]
    assert traffic["alpha_plain"] not in [r["id"] for r in listed]
    everything = get(live, admin_key, "/api/requests", limit=200).text
    exported = get(live, admin_key, "/api/requests.csv").text
    for secret in ("Jane", "Doe", "555-123-4567", "Main Street", "haiku"):
        assert secret not in everything and secret not in exported and secret not in str(detail)


def test_an_app_key_sees_only_its_own_app(live: LiveServer, alpha_key: str, traffic: dict[str, str]) -> None:
    rows = get(live, alpha_key, "/api/requests", limit=200).json()["data"]
    assert rows and {r["app"] for r in rows} == {"alpha"}
    assert traffic["beta"] not in [r["id"] for r in rows]
    other = get(live, alpha_key, "/api/requests", app="beta")
    assert other.status_code == 403 and other.json()["error"]["param"] == "app"
    hidden = get(live, alpha_key, f"/api/requests/{traffic['beta']}")
    assert hidden.status_code == 404
    csv_rows = list(csv.DictReader(io.StringIO(get(live, alpha_key, "/api/requests.csv").text)))
    assert csv_rows and {r["app"] for r in csv_rows} == {"alpha"}
    assert get(live, alpha_key, "/api/charts", app="beta").status_code == 403
    assert get(live, alpha_key, "/api/overview", app="beta").status_code == 403
    apps = [a["app"] for a in get(live, alpha_key, "/api/overview").json()["apps"]]
    assert apps == ["alpha"]


def test_filters_and_keyset_pages(live: LiveServer, admin_key: str) -> None:
    app = "pager"
    now = dt.datetime.now(dt.UTC)
    rows = [
        record(app, id=f"pg{i:03d}", ts=now - dt.timedelta(minutes=i), status=502 if i % 5 == 0 else 200,
               cache="hit" if i % 7 == 0 else "miss", cache_hit=i % 7 == 0, user=f"u{i % 3}",
               logical_model="gpt-4o" if i % 2 else "gpt-4o-mini", safety="flagged" if i == 3 else "safe")
        for i in range(1, 38)
    ]  # fmt: skip
    add_rows(live, *rows)
    seen: list[str] = []
    cursor = None
    while True:
        body = get(
            live, admin_key, "/api/requests", app=app, limit=10, **({"cursor": cursor} if cursor else {})
        ).json()
        seen += [r["id"] for r in body["data"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"pg{i:03d}" for i in range(1, 38)]  # newest first, no gap, no repeat

    def ids(**params: Any) -> set[str]:
        return {
            r["id"]
            for r in get(live, admin_key, "/api/requests", app=app, limit=200, **params).json()["data"]
        }

    assert ids(status="error") == {f"pg{i:03d}" for i in range(5, 38, 5)}
    assert ids(status="502") == ids(status="5xx") == ids(status="error")
    assert ids(cache="hit") == {f"pg{i:03d}" for i in range(7, 38, 7)}
    assert ids(user="u1") == {f"pg{i:03d}" for i in range(1, 38) if i % 3 == 1}
    assert ids(model="gpt-4o") == {f"pg{i:03d}" for i in range(1, 38, 2)}
    assert ids(safety="flagged") == {"pg003"}
    assert ids(q="pg01") == {f"pg{i:03d}" for i in range(10, 20)}
    assert ids(q="u2") == {f"pg{i:03d}" for i in range(1, 38) if i % 3 == 2}
    assert ids(status="error", model="gpt-4o") == {"pg005", "pg015", "pg025", "pg035"}


def test_bad_parameters_are_400s_naming_the_field(live: LiveServer, admin_key: str) -> None:
    cases = {
        "status": {"status": "broken"},
        "cursor": {"cursor": "not-a-cursor!"},
        "limit": {"limit": "0"},
        "cache": {"cache": "maybe"},
        "from": {"from": "2026-13-01"},
    }
    for param, params in cases.items():
        response = get(live, admin_key, "/api/requests", **params)
        assert response.status_code == 400, param
        assert response.json()["error"]["param"] == param
    bad = get(live, admin_key, "/api/charts", preset="fortnight")
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "preset"
    bad = get(live, admin_key, "/api/charts", metric="vibes")
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "metric"


def test_csv_export_follows_the_filters_and_defuses_formulas(live: LiveServer, admin_key: str) -> None:
    add_rows(
        live,
        record("csvapp", id="csv-1", user="=HYPERLINK(\"http://x\")", status=200),
        record("csvapp", id="csv-2", user="plain", status=500, phi_redactions=2, phi_types=["NAME"],
               phi_counts={"NAME": 2}),
    )  # fmt: skip
    response = get(live, admin_key, "/api/requests.csv", app="csvapp")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == ["csv-2", "csv-1"]
    assert rows[1]["user"].startswith("'=")
    assert rows[0]["phi_types"] == "NAME:2"
    only_errors = list(
        csv.DictReader(
            io.StringIO(get(live, admin_key, "/api/requests.csv", app="csvapp", status="error").text)
        )
    )
    assert [r["id"] for r in only_errors] == ["csv-2"]


def test_charts_count_rolled_up_and_fresh_records_once(live: LiveServer, admin_key: str) -> None:
    app = "charted"
    now = dt.datetime.now(dt.UTC)
    earlier = now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=2)
    if earlier.date() != now.date():
        earlier = now.replace(hour=0, minute=0, second=1, microsecond=0)
    add_rows(
        live, *[record(app, ts=earlier + dt.timedelta(minutes=i), latency_ms=100.0 + i) for i in range(10)]
    )
    add_rows(live, record(app, ts=earlier, status=500, latency_ms=4000.0, logical_model="gpt-4o"))
    live.call(rollup_day(database(live), now.date()))  # what the scheduled roll-up does
    add_rows(live, *[record(app, ts=now - dt.timedelta(seconds=i), latency_ms=50.0) for i in range(4)])

    def today(metric: str) -> dict[str, Any]:
        body = get(live, admin_key, "/api/charts", preset="today", app=app, metric=metric).json()
        assert body["bucket"] == "hour" and len(body["t"]) == 24
        return {"t": body["t"], **body["series"][0]}

    errors, tokens, latency = today("errors"), today("tokens"), today("latency")
    assert sum(errors["requests"]) == 15 and sum(errors["errors"]) == 1
    assert sum(tokens["tokens"]) == 15 * 15
    slot = latency["t"].index(int(earlier.replace(minute=0, second=0).timestamp()))
    assert latency["requests"][slot] >= 11 and 75 <= latency["p50_ms"][slot] <= 150
    assert latency["p95_ms"][slot] >= 1000  # the one 4 s failure is in the top 5%
    by_model = get(live, admin_key, "/api/charts", preset="7d", app=app, by="model").json()
    assert {s["name"]: sum(s["requests"]) for s in by_model["series"]} == {"gpt-4o-mini": 14, "gpt-4o": 1}
    month = get(live, admin_key, "/api/charts", preset="month", app=app, metric="cost").json()
    assert month["bucket"] == "day" and sum(month["series"][0]["cost_usd"]) == pytest.approx(0.015)


def test_overview_counts_phi_redactions_and_blocks_today(live: LiveServer, admin_key: str) -> None:
    add_rows(
        live,
        record("ovr", phi_redactions=3, phi_types=["NAME", "PHONE"], phi_counts={"NAME": 2, "PHONE": 1}),
        record(
            "ovr", status=400, safety="blocked", error_kind="phi_detected", phi_types=["SSN"], cost_usd=0.0
        ),
        record("ovr", status=400, safety="blocked", error_kind="content_blocked", cost_usd=0.0),
    )
    body = get(live, admin_key, "/api/overview", app="ovr").json()
    today = body["apps"][0]["today"]
    assert body["apps"][0]["app"] == "ovr"
    assert today["phi_redactions"] == 3 and today["phi_blocks"] == 1 and today["safety_blocks"] == 1
    assert today["requests"] == 3 and today["cost_usd"] == pytest.approx(0.001)
    assert body["apps"][0]["month"]["requests"] >= 3
