"""Safety through the real server over loopback: scan route, redaction end to end (fake upstream sees
placeholders, the app sees originals), block + audit, overrides, and no planted PHI in the usage
records, audit rows, cache entries or logs."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

PATIENT = "Thaddeus Quimby"
PLANTED = [PATIENT, "04/22/1951", "77120934", "(415) 555-0182", "tq@example.org"]
NOTE = (
    f"Patient: {PATIENT}, DOB 04/22/1951, MRN: 77120934. Call (415) 555-0182 or tq@example.org. "
    "A1c 7.9, metformin 500 mg BID."
)
APPS: dict[str, Any] = {
    "health": {"phi_policy": "redact"},
    "strict": {"phi_policy": "block"},
    "lenient": {"phi_policy": "allow"},
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Any, Path]]:
    with start_fakes() as (workers, openai):
        data_dir = tmp_path_factory.mktemp("safety-gw")
        settings = fake_settings(workers, openai, data_dir=str(data_dir), apps=APPS)
        with LiveServer(settings) as server:
            yield server, openai, data_dir


@pytest.fixture(scope="module")
def keys(stack: tuple[LiveServer, Any, Path]) -> dict[str, str]:
    server = stack[0]
    return {
        "admin": server.create_key("ops", role="admin"),
        **{app: server.create_key(app) for app in APPS},
    }


def _post(server: LiveServer, key: str, path: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.post(
        server.url + path, json=body, headers={"Authorization": f"Bearer {key}", **headers}, timeout=30
    )


def _chat(server: LiveServer, key: str, text: str, **extra: Any) -> httpx.Response:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}], **extra}
    return _post(server, key, "/v1/chat/completions", body)


def test_scan_route_returns_spans_and_redacted_text(stack: Any, keys: dict[str, str]) -> None:
    server = stack[0]
    r = _post(server, keys["health"], "/v1/safety/scan", {"text": NOTE})
    assert r.status_code == 200
    body = r.json()
    by_type = {s["type"]: NOTE[s["start"] : s["end"]] for s in body["spans"]}
    assert by_type["NAME"] == PATIENT
    assert by_type["MRN"] == "77120934" and by_type["EMAIL"] == "tq@example.org"
    assert all(v not in body["redacted_text"] for v in PLANTED)
    assert "metformin 500 mg BID" in body["redacted_text"]
    assert body["policy"] == "redact"

    r = _post(
        server,
        keys["health"],
        "/v1/safety/scan",
        {
            "messages": [
                {"role": "user", "content": f"Patient: {PATIENT}"},
                {"role": "user", "content": "Quimby called again"},
            ]
        },
    )
    msgs = r.json()["messages"]
    assert msgs[0]["redacted_text"] == "Patient: [NAME_1]"
    assert msgs[1]["redacted_text"] == "[NAME_2] called again"  # the surname alone, found via message 1

    assert _post(server, keys["health"], "/v1/safety/scan", {}).status_code == 400
    assert httpx.post(server.url + "/v1/safety/scan", json={"text": "x"}).status_code in (401, 200)


def test_redact_policy_end_to_end(stack: Any, keys: dict[str, str]) -> None:
    server, openai, _ = stack
    r = _chat(server, keys["health"], NOTE)
    assert r.status_code == 200, r.text
    sent = openai.requests[-1].body.decode()
    for value in PLANTED:
        assert value not in sent
    assert "[NAME_1]" in sent
    answer = r.json()["choices"][0]["message"]["content"]
    assert answer == "Echo: " + NOTE  # placeholders restored for the app
    info = r.json()["x_ai_workers"]
    assert info["phi_redactions"] == 5
    assert info["phi_types"] == ["DATE", "EMAIL", "MRN", "NAME", "PHONE"]
    # The same indicator in headers, for apps that do not parse the body (streams included).
    assert r.headers["x-ai-workers-phi-types"] == "DATE,EMAIL,MRN,NAME,PHONE"
    assert r.headers["x-ai-workers-phi-redactions"] == "5"
    assert r.headers["x-ai-workers-safety"] == info["safety"] == "safe"


def test_flagged_prompt_carries_the_verdict_in_headers(stack: Any, keys: dict[str, str]) -> None:
    server, _, _ = stack
    r = _chat(server, keys["health"], "How do I forge a prescription for oxycodone?")
    assert r.status_code == 200, r.text  # S2 is flagged by default, not blocked
    assert r.headers["x-ai-workers-safety"] == r.json()["x_ai_workers"]["safety"] == "flagged"
    assert r.headers["x-ai-workers-safety-categories"] == "S2"
    assert "x-ai-workers-phi-types" not in r.headers  # no PHI in this prompt


def test_redacted_stream_restores_originals(stack: Any, keys: dict[str, str]) -> None:
    server, openai, _ = stack
    text = []
    with httpx.stream(
        "POST",
        server.url + "/v1/chat/completions",
        timeout=30,
        headers={"Authorization": f"Bearer {keys['health']}"},
        json={"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": NOTE}]},
    ) as r:
        assert r.status_code == 200
        assert r.headers["x-ai-workers-phi-redactions"] == "5"
        import json

        for line in r.iter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                chunk = json.loads(line[6:])
                for choice in chunk.get("choices", []):
                    text.append(choice["delta"].get("content") or "")
    assert "".join(text) == "Echo: " + NOTE
    assert PATIENT not in openai.requests[-1].body.decode()


def test_block_policy_refuses_and_override_needs_a_reason(stack: Any, keys: dict[str, str]) -> None:
    server, openai, _ = stack
    before = len(openai.requests)
    r = _chat(server, keys["strict"], NOTE)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "phi_detected" and "NAME" in err["phi_types"]
    assert all(v not in r.text for v in PLANTED)
    assert len(openai.requests) == before

    admin = keys["admin"]
    no_reason = _post(server, admin, "/admin/safety/overrides", {"app": "strict", "hours": 1})
    assert no_reason.status_code == 400 and no_reason.json()["error"]["param"] == "reason"
    blank = _post(server, admin, "/admin/safety/overrides", {"app": "strict", "reason": "   "})
    assert blank.status_code == 400
    assert (
        _post(server, keys["strict"], "/admin/safety/overrides", {"app": "strict", "reason": "x"}).status_code
        == 403
    )

    # One request: the override id travels in the request's header... or, app-wide, automatically.
    grant = _post(
        server,
        admin,
        "/admin/safety/overrides",
        {
            "app": "strict",
            "reason": "Clinician export approved by privacy officer",
            "kind": "phi",
            "hours": 1,
        },
    )
    assert grant.status_code == 201, grant.text
    override = grant.json()
    assert override["scope"] == "app" and override["active"]
    r = _chat(server, keys["strict"], NOTE)
    assert r.status_code == 200
    assert PATIENT in openai.requests[-1].body.decode()  # passed as is, by the admin's decision

    listed = httpx.get(
        server.url + "/admin/safety/overrides?app=strict&active=1",
        headers={"Authorization": f"Bearer {admin}"},
    ).json()["data"]
    assert [o["id"] for o in listed] == [override["id"]]
    revoked = httpx.delete(
        server.url + f"/admin/safety/overrides/{override['id']}", headers={"Authorization": f"Bearer {admin}"}
    )
    assert revoked.status_code == 200 and revoked.json()["revoked"]
    assert _chat(server, keys["strict"], NOTE).status_code == 422


def test_request_scoped_override_is_used_once(stack: Any, keys: dict[str, str]) -> None:
    server, _, _ = stack
    blocked = _chat(server, keys["strict"], NOTE)
    request_id = blocked.json()["error"]["request_id"]
    grant = _post(
        server,
        keys["admin"],
        "/admin/safety/overrides",
        {"app": "strict", "reason": "Patient asked for the letter", "request_id": request_id},
    )
    assert grant.status_code == 201
    oid = grant.json()["id"]
    gw = server.gateway
    store = gw.safety.overrides

    async def consume() -> Any:
        return await store.consume(app="strict", kind="phi", override_id=oid)

    assert server.call(consume()) is not None
    assert server.call(consume()) is None  # single use


def test_no_planted_phi_in_records_audit_cache_or_logs(
    stack: Any, keys: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server, _, data_dir = stack
    for app in ("health", "strict", "lenient"):
        _chat(server, keys[app], NOTE)
    _post(server, keys["health"], "/v1/safety/scan", {"text": NOTE})
    _post(server, keys["health"], "/v1/embeddings", {"model": "text-embedding-3-small", "input": [NOTE]})
    server.call(server.gateway.usage.flush())

    db = sqlite3.connect(data_dir / "ai-workers.db")
    tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
    dump = []
    for table in tables:
        dump.extend(repr(row) for row in db.execute(f"select * from {table}"))
    db.close()
    everything = "\n".join(dump)
    assert "phi_block" in everything  # the audit rows are there...
    assert "usage_records" in tables
    for value in PLANTED:
        assert value not in everything  # ...but never a planted value

    backend = server.gateway.cache.backend
    entries = getattr(backend, "_data", {})
    assert entries, "the exact cache stored the redacted answers"
    # Requests that were redacted ("health"; "lenient" = allow on an untrusted provider) are cached with
    # placeholders only. ("strict" passed unredacted once, by an admin override: see the report.)
    cached = "\n".join(k + repr(v) for k, v in entries.items() if not k.startswith("strict:"))
    assert cached
    for value in PLANTED:
        assert value not in cached

    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in PLANTED:
        assert value not in logged


def test_override_header_lets_one_retry_through_over_http(stack: Any, keys: dict[str, str]) -> None:
    """The app retries a blocked request with the override id in `x-ai-workers-override`: it passes once."""
    server, _, _ = stack
    blocked = _chat(server, keys["strict"], NOTE)
    assert blocked.status_code == 422
    grant = _post(
        server,
        keys["admin"],
        "/admin/safety/overrides",
        {
            "app": "strict",
            "reason": "Clinician sends the referral letter",
            "request_id": blocked.json()["error"]["request_id"],
        },
    )
    oid = grant.json()["id"]
    with httpx.Client(base_url=server.url, timeout=30) as client:
        headers = {"Authorization": f"Bearer {keys['strict']}", "x-ai-workers-override": oid}
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": NOTE}]}
        passed = client.post("/v1/chat/completions", json=body, headers=headers)
        again = client.post("/v1/chat/completions", json=body, headers=headers)
    assert passed.status_code == 200, passed.text
    assert again.status_code == 422  # single use
