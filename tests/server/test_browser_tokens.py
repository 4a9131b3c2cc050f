"""Browser tokens: minted by an app's backend, accepted like a key but bound to one user, its models,
its spend cap and a short life; revocable; CORS answered per app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ai_workers.core.context import AppIdentity
from ai_workers.server.browser_tokens import BrowserTokens, load_secret
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

ORIGIN = "https://intake.example"
APPS: dict[str, Any] = {
    "web": {
        "allowed_models": ["gpt-4o-mini", "gpt-4o", "bge-m3"],
        "cors_origins": [ORIGIN],
        "rate_limit": {"requests_per_minute": 3},
    },
    "other": {"cors_origins": ["https://other.example"]},
}


def chat(model: str = "gpt-4o-mini", content: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


def bearer(token: str, **more: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", **more}


@pytest.fixture(scope="module")
def web(fakes: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workers, openai = fakes
    data_dir: Path = tmp_path_factory.mktemp("tokens")
    settings = fake_settings(workers, openai, data_dir=str(data_dir), apps=APPS)
    with LiveServer(settings) as server:
        yield server


def mint(live: LiveServer, key: str, **body: Any) -> httpx.Response:
    return httpx.post(live.url + "/v1/tokens", json=body, headers=bearer(key))


def test_a_token_acts_as_its_app_for_its_user_and_models(web: LiveServer) -> None:
    key = web.create_key("web")
    minted = mint(web, key, user="patient-1", models=["gpt-4o-mini"])
    assert minted.status_code == 201, minted.text
    body = minted.json()
    token = body["token"]
    assert token.startswith("aiwt_") and key not in token
    assert body["app"] == "web" and body["user"] == "patient-1" and body["models"] == ["gpt-4o-mini"]
    assert 14 * 60 < body["expires_at"] - __import__("time").time() <= 15 * 60  # default TTL

    ok = httpx.post(web.url + "/v1/chat/completions", json=chat(), headers=bearer(token))
    assert ok.status_code == 200, ok.text
    # Only the token's models, even though the app allows more.
    other = httpx.post(web.url + "/v1/chat/completions", json=chat("gpt-4o"), headers=bearer(token))
    assert other.status_code == 403
    listed = httpx.get(web.url + "/v1/models", headers=bearer(token)).json()["data"]
    assert [m["id"] for m in listed] == ["gpt-4o-mini"]

    # It cannot mint tokens, read the app's reports or reach admin routes.
    assert mint(web, token, user="someone-else").status_code == 403
    assert httpx.get(web.url + "/api/usage", headers=bearer(token)).status_code == 403
    assert httpx.get(web.url + "/admin/keys", headers=bearer(token)).status_code == 403

    current = httpx.get(web.url + "/v1/tokens/current", headers=bearer(token))
    assert current.status_code == 200
    assert current.json()["user"] == "patient-1" and current.json()["app"] == "web"
    assert httpx.get(web.url + "/v1/tokens/current", headers={"x-api-key": token}).status_code == 200
    assert httpx.get(web.url + "/v1/tokens/current", headers=bearer(key)).status_code == 403  # keys: no


def test_the_user_is_the_tokens_and_rate_limits_count_per_user(web: LiveServer) -> None:
    key = web.create_key("web")
    first = mint(web, key, user="rl-user-1").json()["token"]
    second = mint(web, key, user="rl-user-2").json()["token"]
    url = web.url + "/v1/chat/completions"
    # The request's own user header cannot move the spend onto somebody else's bucket.
    codes = [
        httpx.post(url, json=chat(), headers=bearer(first, **{"x-ai-workers-user": f"u{i}"})).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert httpx.post(url, json=chat(), headers=bearer(second)).status_code == 200  # another user's bucket


def test_spend_cap_answers_429_once_used_up(web: LiveServer) -> None:
    key = web.create_key("web")
    token = mint(web, key, user="capped", max_spend_usd=0.0000001).json()["token"]
    url = web.url + "/v1/chat/completions"
    # Distinct prompts: a cache hit costs nothing and would not use the cap up.
    assert httpx.post(url, json=chat(content="cap one"), headers=bearer(token)).status_code == 200
    refused = httpx.post(url, json=chat(content="cap two"), headers=bearer(token))
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "budget_exceeded"
    assert "spend cap" in refused.json()["error"]["message"]
    assert httpx.get(web.url + "/v1/tokens/current", headers=bearer(token)).json()["spent_usd"] > 0


def test_streamed_answers_count_against_the_cap(web: LiveServer) -> None:
    key = web.create_key("web")
    token = mint(web, key, user="streamer", max_spend_usd=0.0000001).json()["token"]
    url = web.url + "/v1/chat/completions"
    payload = chat(content="a streamed question", stream=True)
    with httpx.stream("POST", url, json=payload, headers=bearer(token)) as streamed:
        assert streamed.status_code == 200
        assert "[DONE]" in streamed.read().decode()
    assert httpx.post(url, json=chat(content="after the stream"), headers=bearer(token)).status_code == 429


def test_revocation_and_expiry(web: LiveServer) -> None:
    key = web.create_key("web")
    url = web.url + "/v1/chat/completions"
    token = mint(web, key, user="r1").json()["token"]
    assert (
        httpx.post(web.url + "/v1/tokens/revoke", json={"token": token}, headers=bearer(key)).status_code
        == 204
    )
    assert httpx.post(url, json=chat(), headers=bearer(token)).status_code == 401

    # Another app's key cannot revoke it.
    token2 = mint(web, key, user="r2").json()["token"]
    other_key = web.create_key("other")
    denied = httpx.post(web.url + "/v1/tokens/revoke", json={"token": token2}, headers=bearer(other_key))
    assert denied.status_code == 403
    # Revoking the key that minted it ends every token it minted.
    key_id = key.split("_")[1]
    web.call(web.keys.revoke(key_id))
    assert httpx.post(url, json=chat(), headers=bearer(token2)).status_code == 401

    key3 = web.create_key("web")
    short = mint(web, key3, user="r3", ttl_seconds=1).json()["token"]
    assert httpx.post(url, json=chat(), headers=bearer(short)).status_code == 200
    __import__("time").sleep(1.2)
    expired = httpx.post(url, json=chat(), headers=bearer(short))
    assert expired.status_code == 401
    assert "expired" in expired.json()["error"]["message"]


def test_mint_checks(web: LiveServer) -> None:
    key = web.create_key("web", models=["gpt-4o-mini"])
    assert mint(web, key, user="x", models=["gpt-4o"]).status_code == 403  # wider than its key
    assert mint(web, key, user="").status_code == 400
    assert mint(web, key, user="x", ttl_seconds=10**6).status_code == 400
    assert mint(web, key, user="x", app="other").status_code == 403
    assert mint(web, key, user="x", bogus=1).status_code == 400
    # A forged or altered token is refused.
    token = mint(web, key, user="x").json()["token"]
    body, _, sig = token.partition(".")
    for bad in (body + "." + sig[::-1], body[:-2] + "AA." + sig, "aiwt_nonsense"):
        assert httpx.get(web.url + "/v1/models", headers=bearer(bad)).status_code == 401


def test_cors_per_app(web: LiveServer) -> None:
    key = web.create_key("web")
    token = mint(web, key, user="cors").json()["token"]
    url = web.url + "/v1/chat/completions"
    preflight = httpx.options(
        url,
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    ok = httpx.post(url, json=chat(), headers=bearer(token, origin=ORIGIN))
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    assert "x-request-id" in ok.headers["access-control-expose-headers"]
    # The app key from a browser gets no CORS headers: it must stay on the app's backend.
    keyed = httpx.post(url, json=chat(), headers=bearer(key, origin=ORIGIN))
    assert "access-control-allow-origin" not in keyed.headers
    # Another app's origin does not get this app's token through.
    cross = httpx.post(url, json=chat(), headers=bearer(token, origin="https://other.example"))
    assert "access-control-allow-origin" not in cross.headers
    unknown = httpx.options(
        url, headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
    )
    assert "access-control-allow-origin" not in unknown.headers


def test_signing_secret_comes_from_env_or_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AI_WORKERS_TOKEN_SECRET", raising=False)
    settings = fake_settings(data_dir=str(tmp_path))
    first = load_secret(settings)
    assert len(first) >= 32 and load_secret(settings) == first
    assert (tmp_path / "browser-token.secret").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("AI_WORKERS_TOKEN_SECRET", "x" * 40)
    assert load_secret(settings) == b"x" * 40


def test_tokens_unit_expiry_and_other_secret() -> None:
    now = [1000.0]
    tokens = BrowserTokens(b"s" * 32, None, clock=lambda: now[0])
    identity = AppIdentity(name="web", key_id="abcdefabcdef")
    _, text = tokens.mint(identity, user="u", ttl_s=60)
    assert tokens.identify(text) is not None
    assert BrowserTokens(b"t" * 32, None, clock=lambda: now[0]).parse(text) is None
    now[0] += 61
    assert tokens.identify(text) is None
    with pytest.raises(ValueError):
        BrowserTokens(b"short", None)
