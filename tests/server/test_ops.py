"""Operations endpoints: liveness, readiness, provider health, Prometheus metrics, OpenAPI."""

from __future__ import annotations

from typing import Any

import httpx

from tests.server.live import LiveServer

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def test_health_and_ready(live: LiveServer) -> None:
    assert httpx.get(live.url + "/health").json() == {"status": "ok"}
    ready = httpx.get(live.url + "/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["database"]["ok"] is True
    assert body["providers"]["openai"]["configured"] is True


def test_metrics_count_requests_tokens_and_errors(live: LiveServer, alpha_key: str) -> None:
    assert (
        httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(alpha_key)).status_code == 200
    )
    bad = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}], "max_tokens": 1}
    httpx.post(live.url + "/v1/chat/completions", json=bad, headers=bearer(alpha_key))
    text = httpx.get(live.url + "/metrics").text
    assert 'aiw_requests_total{app="alpha",model="gpt-4o-mini",provider="openai",status="200"}' in text
    assert 'aiw_tokens_total{app="alpha",direction="input",model="gpt-4o-mini",provider="openai"}' in text
    assert "aiw_request_duration_seconds_bucket" in text
    assert 'aiw_overhead_seconds_count{route="/v1/chat/completions"}' in text
    assert 'aiw_upstream_attempts_total{model="gpt-4o-mini",outcome="ok",provider="openai"}' in text
    # The routing health gauges (set per try, pushed when /metrics is read: core.metrics.DeferredGauge).
    ewma = next(
        x for x in text.splitlines() if x.startswith('aiw_provider_latency_ewma_ms{model="gpt-4o-mini"')
    )
    assert float(ewma.rsplit(" ", 1)[1]) > 0
    assert 'aiw_provider_error_rate{model="gpt-4o-mini",provider="openai"}' in text


def test_provider_health_reports_success_rate_and_latency(
    live: LiveServer, alpha_key: str, fakes: Any
) -> None:
    assert httpx.get(live.url + "/health/providers").status_code == 401
    _, upstream = fakes
    httpx.post(live.url + "/v1/chat/completions", json=CHAT, headers=bearer(alpha_key))
    upstream.inject("500", times=1)  # one failed attempt, retried successfully
    try:
        httpx.post(
            live.url + "/v1/chat/completions",
            json={**CHAT, "messages": [{"role": "user", "content": "another"}]},
            headers=bearer(alpha_key),
        )
    finally:
        upstream.clear()
    providers = httpx.get(live.url + "/health/providers", headers=bearer(alpha_key)).json()["providers"]
    openai = providers["openai"]
    assert openai["configured"] is True
    assert openai["calls"] >= 3
    assert 0 < openai["success_rate"] < 1
    assert openai["p50_ms"] > 0
    assert openai["errors"].get("server", 0) >= 1
    circuit = next(m for m in openai["models"] if m["model"] == "gpt-4o-mini")
    assert circuit["state"] == "closed"


def test_openapi_document(live: LiveServer) -> None:
    doc = httpx.get(live.url + "/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/v1/chat/completions", "/v1/embeddings", "/v1/rerank", "/v1/audio/transcriptions"):
        assert path in doc["paths"]
    assert "ChatRequest" in doc["components"]["schemas"]
    messages = doc["components"]["schemas"]["ChatRequest"]["properties"]["messages"]
    assert messages["type"] == "array"
