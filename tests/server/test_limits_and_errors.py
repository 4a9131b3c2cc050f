"""Limits (body size, message count, per-key rate) and bad input: 4xx naming the problem, server lives on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from ai_workers.core.config import Settings
from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import RateLimitError
from ai_workers.server.limits import RateLimiter
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def still_serving(live: LiveServer, key: str) -> None:
    assert httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code == 200


def test_oversize_body_is_413_declared_or_chunked(live: LiveServer, alpha_key: str) -> None:
    big = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x" * 70_000}]}
    declared = httpx.post(live.url + "/v1/chat/completions", json=big, headers=bearer(alpha_key))
    assert declared.status_code == 413
    assert "larger than this server accepts" in declared.json()["error"]["message"]

    def chunks():  # no Content-Length: Transfer-Encoding: chunked
        body = json.dumps(big).encode()
        for i in range(0, len(body), 8192):
            yield body[i : i + 8192]

    chunked = httpx.post(live.url + "/v1/chat/completions", content=chunks(), headers=bearer(alpha_key))
    assert chunked.status_code == 413
    workers_ai = httpx.post(
        live.url + "/client/v4/accounts/a/ai/run/@cf/meta/llama-3.3-70b-instruct-fp8-fast",
        json={"prompt": "x" * 70_000},
        headers=bearer(alpha_key),
    )
    assert workers_ai.status_code == 413 and workers_ai.json()["success"] is False
    still_serving(live, alpha_key)


def test_too_many_messages(live: LiveServer, alpha_key: str) -> None:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}] * 21}
    response = httpx.post(live.url + "/v1/chat/completions", json=body, headers=bearer(alpha_key))
    assert response.status_code == 413
    assert response.json()["error"]["param"] == "messages"
    empty = httpx.post(
        live.url + "/v1/chat/completions",
        json={"model": "gpt-4o-mini", "messages": []},
        headers=bearer(alpha_key),
    )
    assert empty.status_code == 400 and empty.json()["error"]["param"] == "messages"


def _chat(**fields: object) -> bytes:
    return json.dumps(
        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}], **fields}
    ).encode()


@pytest.mark.parametrize(
    ("body", "param", "words"),
    [
        (b"{not json", None, "not valid JSON"),
        (b'{"model": "gpt-4o-mini"}', "messages", "required"),
        (_chat(messages=[{"role": "user", "content": 1}]), "messages[0].content", "got integer"),
        (_chat(messages=[{"role": "wizard", "content": "x"}]), "messages[0].role", "wizard"),
        (_chat(temperature="hot"), "temperature", "expected number"),
        (_chat(temperature=-0.5), "temperature", ">= 0"),
        (_chat(max_tokens=-5), "max_tokens", ">= 1"),
        (_chat(max_completion_tokens=0), "max_completion_tokens", ">= 1"),
        (_chat(n=0), "n", ">= 1"),
        (_chat(messages=[{"role": "user"}]), "messages[0].content", "needs content"),
        (
            _chat(messages=[{"role": "system"}, {"role": "user", "content": "x"}]),
            "messages[0].content",
            "system",
        ),
        (_chat(model=7), "model", "expected string"),
        (b"[]", None, "expected object"),
    ],
)
def test_bad_input_gets_400_naming_the_problem(
    live: LiveServer, alpha_key: str, body: bytes, param: str | None, words: str
) -> None:
    response = httpx.post(
        live.url + "/v1/chat/completions",
        content=body,
        headers={**bearer(alpha_key), "content-type": "application/json"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == param
    assert words in error["message"]
    if param:
        assert error["message"].startswith(param)
    still_serving(live, alpha_key)


DEEP_SCHEMA = '{"a":' * 1000 + "1" + "}" * 1000
DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_BODIES = {
    "/v1/chat/completions": '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],'
    '"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":' + DEEP_SCHEMA + "}}}",
    "/v1/responses": '{"model":"gpt-4o-mini","input":"hi","text":' + DEEP_SCHEMA + "}",
    "/v1/feedback": '{"request_id":"x","rating":1,"extra":' + DEEP_ARRAY + "}",
}


@pytest.mark.parametrize("route", sorted(DEEP_BODIES))
def test_a_body_nested_a_thousand_deep_is_a_400_not_a_500(
    live: LiveServer, alpha_key: str, route: str
) -> None:
    response = httpx.post(
        live.url + route,
        content=DEEP_BODIES[route],
        headers={**bearer(alpha_key), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]["message"]
    still_serving(live, alpha_key)


@pytest.mark.parametrize(
    ("route", "field", "extra"),
    [
        ("/v1/chat/completions", "max_tokens", {"messages": [{"role": "user", "content": "hi"}]}),
        ("/v1/chat/completions", "max_completion_tokens", {"messages": [{"role": "user", "content": "hi"}]}),
        ("/v1/responses", "max_output_tokens", {"input": "hi"}),
    ],
)
def test_an_absurd_output_token_limit_is_a_400_naming_the_field(
    live: LiveServer, alpha_key: str, route: str, field: str, extra: dict[str, Any]
) -> None:
    body = {"model": "gpt-4o-mini", field: 10**18, **extra}
    response = httpx.post(live.url + route, json=body, headers=bearer(alpha_key))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] == field
    assert error["message"].startswith(f"{field}: expected integer <= ")
    body[field] = 1000  # a sane limit is fine
    assert httpx.post(live.url + route, json=body, headers=bearer(alpha_key)).status_code == 200


def test_an_absurd_max_tokens_on_the_workers_ai_route_is_a_400(live: LiveServer, alpha_key: str) -> None:
    url = f"{live.url}/client/v4/accounts/any-account/ai/run/@cf/meta/llama-3.3-70b-instruct-fp8-fast"
    body = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 10**18}
    response = httpx.post(url, json=body, headers=bearer(alpha_key))
    assert response.status_code == 400
    assert "max_tokens" in response.text


def test_unknown_model_and_wrong_capability(live: LiveServer, admin_key: str) -> None:
    unknown = httpx.post(
        live.url + "/v1/chat/completions",
        json={"model": "gpt-17", "messages": [{"role": "user", "content": "x"}]},
        headers=bearer(admin_key),
    )
    assert unknown.status_code == 404 and "gpt-17" in unknown.json()["error"]["message"]
    wrong = httpx.post(
        live.url + "/v1/embeddings", json={"model": "gpt-4o-mini", "input": "x"}, headers=bearer(admin_key)
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "model"
    unknown_route = httpx.post(live.url + "/v1/nothing", json={}, headers=bearer(admin_key))
    assert unknown_route.status_code == 404 and "error" in unknown_route.json()


def test_requests_per_minute_answers_429_with_retry_after(live: LiveServer) -> None:
    key = live.create_key("limited")  # 2 requests per minute
    codes = [httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)) for _ in range(3)]
    assert [c.status_code for c in codes] == [200, 200, 429]
    assert int(codes[2].headers["retry-after"]) >= 1
    assert codes[2].json()["error"]["code"] == "requests_per_minute"
    other = live.create_key("limited")  # per key: another key of the same app has its own budget
    assert httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(other)).status_code == 200


def test_tokens_per_minute(live: LiveServer) -> None:
    key = live.create_key("tokenlimited")  # 5 tokens per minute
    long = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "one two three four five six"}]}
    first = httpx.post(live.url + "/v1/chat/completions", json=long, headers=bearer(key))
    assert first.status_code == 200
    second = httpx.post(live.url + "/v1/chat/completions", json=long, headers=bearer(key))
    assert second.status_code == 429 and second.json()["error"]["code"] == "tokens_per_minute"
    assert int(second.headers["retry-after"]) >= 1


async def test_token_bucket_refills_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    settings = msgspec.convert({"apps": {"a": {"rate_limit": {"requests_per_minute": 60}}}}, Settings)
    identity = AppIdentity("a", key_id="k1")
    for _ in range(60):
        await limiter.check(settings, identity)
    with pytest.raises(RateLimitError) as exc:
        await limiter.check(settings, identity)
    assert exc.value.retry_after == pytest.approx(1.0)
    now[0] += 1.0  # one second refills one request
    await limiter.check(settings, identity)
    with pytest.raises(RateLimitError):
        await limiter.check(settings, identity)


@pytest.mark.redis
def test_redis_buckets_are_shared_by_every_worker(fakes: Any, redis_url: str, tmp_path: Path) -> None:
    """Two servers (as two workers or hosts) on one Redis: one limit per key across both."""
    workers, openai = fakes
    apps = {"shared": {"rate_limit": {"requests_per_minute": 3, "tokens_per_minute": 1000}}}
    first = LiveServer(fake_settings(workers, openai, data_dir=str(tmp_path), redis_url=redis_url, apps=apps))
    with first:
        key = first.create_key("shared")
        second = LiveServer(
            fake_settings(workers, openai, data_dir=str(tmp_path), redis_url=redis_url, apps=apps)
        )
        with second:
            codes = [
                httpx.post(server.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code
                for server in (first, second, first, second)
            ]
    assert codes == [200, 200, 200, 429]


def test_worker_processes_without_redis_share_one_limit(fakes: Any, tmp_path: Path) -> None:
    """Two servers on one data dir with ``server.workers: 2`` and no Redis (what ``serve --workers 2``
    runs): one limit per key across both, as with Redis. Each used to keep its own buckets, so a
    burst got twice the limit through."""
    workers, openai = fakes
    apps = {"shared": {"rate_limit": {"requests_per_minute": 3}}}
    as_workers = {"data_dir": str(tmp_path), "apps": apps, "server": {"workers": 2}}
    first = LiveServer(fake_settings(workers, openai, **as_workers))
    with first:
        key = first.create_key("shared")
        with LiveServer(fake_settings(workers, openai, **as_workers)) as second:
            codes = [
                httpx.post(server.url + "/v1/chat/completions", json=CHAT, headers=bearer(key)).status_code
                for server in (first, second, first, second)
            ]
    assert codes == [200, 200, 200, 429]
    assert (tmp_path / "rate-limits.db").exists()


async def test_shared_buckets_refill_and_charge_tokens_like_the_redis_script(tmp_path: Path) -> None:
    from ai_workers.server.limits import SqliteBuckets

    now = [1_000.0]
    shared = [SqliteBuckets(tmp_path / "rl.db", clock=lambda: now[0]) for _ in range(2)]
    limiters = [RateLimiter(shared=s) for s in shared]
    settings = msgspec.convert(
        {"apps": {"a": {"rate_limit": {"requests_per_minute": 60, "tokens_per_minute": 600}}}}, Settings
    )
    identity = AppIdentity("a", key_id="k1")
    for i in range(60):
        await limiters[i % 2].check(settings, identity)
    with pytest.raises(RateLimitError) as exc:
        await limiters[0].check(settings, identity)
    assert exc.value.code == "requests_per_minute" and exc.value.retry_after == pytest.approx(1.0)
    now[0] += 1.0  # one second refills one request, for both workers
    await limiters[1].check(settings, identity)
    await limiters[0].charge_tokens(settings, identity, 700)  # past the token budget
    await limiters[0].refresh()  # charges reach the shared bucket with the next lease exchange (0.1 s)
    with pytest.raises(RateLimitError) as tokens:
        await limiters[1].check(settings, identity)
    assert tokens.value.code == "tokens_per_minute"
    for limiter in limiters:
        await limiter.aclose()


async def test_redis_outage_falls_back_to_local_buckets() -> None:
    import redis.asyncio

    dead = redis.asyncio.from_url("redis://127.0.0.1:9", socket_connect_timeout=0.2)
    limiter = RateLimiter(redis=dead)
    settings = msgspec.convert({"apps": {"a": {"rate_limit": {"requests_per_minute": 1}}}}, Settings)
    identity = AppIdentity("a", key_id="k1")
    await limiter.check(settings, identity)  # Redis unreachable: the local bucket decides
    with pytest.raises(RateLimitError):
        await limiter.check(settings, identity)
    await limiter.aclose()
