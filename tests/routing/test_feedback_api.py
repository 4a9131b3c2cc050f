"""POST /v1/feedback and the routing admin routes on a live gateway (uvicorn over loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ai_workers.db.models import Feedback, UsageRecord
from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

ROUTING = {
    "splits": [
        {
            "name": "chat-provider",
            "match": {"app": "triage", "model": "gpt-4o-mini"},
            "arms": [
                {"name": "workers", "model": "llama-3.3-70b-instruct-fp8-fast", "weight": 50},
                {"name": "openai", "model": "gpt-4o-mini", "weight": 50},
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with start_fakes() as (workers, openai):
        settings = fake_settings(
            workers, openai, data_dir=str(tmp_path_factory.mktemp("fb")), routing=ROUTING
        )
        with LiveServer(settings) as server:
            server.fakes = (workers, openai)  # type: ignore[attr-defined]
            yield server


@pytest.fixture(scope="module")
def keys(live: LiveServer) -> dict[str, str]:
    return {
        "triage": live.create_key("triage"),
        "billing": live.create_key("billing"),
        "admin": live.create_key("ops", role="admin"),
    }


def post(live: LiveServer, path: str, key: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(live.url + path, json=body, headers={"authorization": f"Bearer {key}"}, timeout=30)


def feedback_rows(live: LiveServer) -> list[Feedback]:
    async def load() -> list[Feedback]:
        async with live.app.state.services.database.session() as s:
            return list((await s.execute(select(Feedback).order_by(Feedback.id))).scalars())

    return live.call(load())


def ask(live: LiveServer, key: str, user: str, text: str = "hello") -> httpx.Response:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}], "user": user}
    response = post(live, "/v1/chat/completions", key, body)
    assert response.status_code == 200, response.text
    return response


def test_arm_travels_with_the_response_and_is_sticky(live: LiveServer, keys: dict[str, str]) -> None:
    arms = {}
    for user in ("u1", "u2", "u3", "u4", "u5", "u6"):
        # Different questions, so the cache does not answer the second one.
        first = ask(live, keys["triage"], user, f"first question of {user}").json()["x_ai_workers"]
        again = ask(live, keys["triage"], user, f"second question of {user}").json()["x_ai_workers"]
        assert first["arm"] == again["arm"] and first["provider"] == again["provider"]
        arms[user] = first["arm"]
        expected = "cloudflare" if first["arm"] == "chat-provider:workers" else "openai"
        assert first["provider"] == expected
    assert set(arms.values()) <= {"chat-provider:workers", "chat-provider:openai"}
    # Another app's traffic does not match the split.
    assert ask(live, keys["billing"], "u1").json()["x_ai_workers"].get("arm") is None


def test_feedback_is_stored_against_the_response(live: LiveServer, keys: dict[str, str]) -> None:
    answer = ask(live, keys["triage"], "nurse-7")
    request_id = answer.headers["x-request-id"]
    up = post(
        live, "/v1/feedback", keys["triage"], {"request_id": request_id, "rating": "up", "user": "nurse-7"}
    )
    assert up.status_code == 201, up.text
    assert up.json()["rating"] == "up" and up.json()["request_id"] == request_id
    down = post(
        live,
        "/v1/feedback",
        keys["triage"],
        {"response_id": request_id, "rating": -1, "comment": "Wrong dose for John Smith, call 617-555-0199"},
    )
    assert down.status_code == 201 and down.json()["comment_stored"]
    rows = [r for r in feedback_rows(live) if r.request_id == request_id]
    assert [r.rating for r in rows] == [1, -1]
    assert rows[0].app == "triage" and rows[0].user == "nurse-7"
    stored = rows[1].comment or ""
    assert "John Smith" not in stored and "617-555-0199" not in stored
    assert "[NAME]" in stored and "[PHONE]" in stored and "Wrong dose" in stored

    # A user id that is a patient's email is stored as the pseudonym its usage records carry.
    email = "pat.doe@example.com"
    asked = ask(live, keys["triage"], email)
    rated = post(
        live,
        "/v1/feedback",
        keys["triage"],
        {"request_id": asked.headers["x-request-id"], "rating": "up", "user": email},
    )
    assert rated.status_code == 201, rated.text
    [row] = [r for r in feedback_rows(live) if r.request_id == asked.headers["x-request-id"]]
    assert row.user == live.gateway.user_ids.recordable(email) and row.user.startswith("user-")


def test_the_completion_id_an_sdk_user_holds_is_accepted_as_feedback(
    live: LiveServer, keys: dict[str, str]
) -> None:
    answer = ask(live, keys["triage"], "nurse-8", "is the clinic open on Sunday?")
    completion_id = answer.json()["id"]
    assert completion_id == "chatcmpl-" + answer.headers["x-request-id"]
    up = post(live, "/v1/feedback", keys["triage"], {"response_id": completion_id, "rating": "up"})
    assert up.status_code == 201, up.text
    assert up.json()["request_id"] == answer.headers["x-request-id"]


def test_bad_feedback_is_a_400_naming_the_field(live: LiveServer, keys: dict[str, str]) -> None:
    bad = post(live, "/v1/feedback", keys["triage"], {"request_id": "abc", "rating": "meh"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "rating"
    missing = post(live, "/v1/feedback", keys["triage"], {"rating": "up"})
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "request_id"
    nokey = httpx.post(live.url + "/v1/feedback", json={"request_id": "abc", "rating": "up"})
    assert nokey.status_code == 401


def test_routing_admin_routes(live: LiveServer, keys: dict[str, str]) -> None:
    ask(live, keys["triage"], "someone")
    headers = {"authorization": f"Bearer {keys['admin']}"}
    health = httpx.get(live.url + "/admin/routing/health", headers=headers)
    assert health.status_code == 200
    targets = health.json()["targets"]
    assert targets and {"provider", "model", "state", "latency_ewma_ms"} <= set(targets[0])
    assert (
        httpx.get(
            live.url + "/admin/routing/health", headers={"authorization": f"Bearer {keys['triage']}"}
        ).status_code
        == 403
    )
    quality = httpx.get(live.url + "/admin/routing/quality?days=1&group_by=provider,arm", headers=headers)
    assert quality.status_code == 200 and quality.json()["group_by"] == ["provider", "arm"]
    bad = httpx.get(live.url + "/admin/routing/quality?group_by=colour", headers=headers)
    assert bad.status_code == 400


def test_stream_cut_mid_answer_ends_with_an_error_event_and_is_recorded_failed(
    live: LiveServer, keys: dict[str, str]
) -> None:
    _, openai = live.fakes  # type: ignore[attr-defined]
    openai.inject("cut_stream", times=1, after=2)
    body = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "a long streamed answer please"}],
        "stream": True,
    }
    try:
        with httpx.stream(
            "POST",
            live.url + "/v1/chat/completions",
            json=body,
            timeout=30,
            headers={"authorization": f"Bearer {keys['billing']}"},
        ) as response:
            assert response.status_code == 200
            request_id = response.headers["x-request-id"]
            events = [line for line in response.iter_lines() if line]
    finally:
        openai.clear()
    # The client saw some text, then an error event, and never the [DONE] of a finished answer.
    assert any('"content"' in e for e in events[:-1])
    assert events[-1].startswith('data: {"error"') and "data: [DONE]" not in events

    async def record() -> UsageRecord | None:
        await live.gateway.usage.flush()
        async with live.app.state.services.database.session() as s:
            return await s.get(UsageRecord, request_id)

    row = live.call(record())
    assert row is not None and row.status >= 500 and row.error_kind
    assert row.provider == "openai"
    # ... and provider health counted the broken stream as a failure of gpt-4o.
    health = {(t["provider"], t["model"]): t for t in live.gateway.health.snapshot()}
    assert health[("openai", "gpt-4o")]["failures"] >= 1
    assert health[("openai", "gpt-4o")]["last_error_kind"] == "stream_cut"


def test_auto_answers_say_which_tier_and_why(live: LiveServer, keys: dict[str, str]) -> None:
    body = {
        "model": "auto",
        "messages": [{"role": "user", "content": "Prove that there are infinitely many primes."}],
    }
    info = post(live, "/v1/chat/completions", keys["triage"], body).json()["x_ai_workers"]
    assert info["tier"] == "complex" and info["provider"] == "openai"
    assert "maths proof" in info["route_reason"] and "gpt-4o" in info["route_reason"]
