"""The cache admin API on a live server over loopback: stats, invalidation, warming, admin-only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Any]]:
    with start_fakes() as (workers, openai):
        data_dir: Path = tmp_path_factory.mktemp("gateway")
        settings = fake_settings(
            workers,
            openai,
            data_dir=str(data_dir),
            providers={"openai": {"trusted_with_phi": True}},
            apps={"alpha": {"phi_policy": "allow"}},
        )
        with LiveServer(settings) as server:
            yield server, openai


def chat(server: LiveServer, key: str, text: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={"model": "gpt-4o-mini", "temperature": 0, "messages": [{"role": "user", "content": text}]},
        timeout=30,
    )


def test_admin_cache_api(live: tuple[LiveServer, Any]) -> None:
    server, openai = live
    admin = {"Authorization": f"Bearer {server.create_key('ops', role='admin')}"}
    alpha = server.create_key("alpha")

    # Warming runs the file through the gateway as the app: later requests are hits.
    lines = [
        {
            "model": "gpt-4o-mini",
            "temperature": 0,
            "messages": [{"role": "user", "content": "What are your hours?"}],
        },
        {
            "model": "gpt-4o-mini",
            "temperature": 0,
            "messages": [{"role": "user", "content": "Where are you?"}],
        },
        {"model": "gpt-4o-mini", "temperature": 0.9, "messages": [{"role": "user", "content": "A poem"}]},
        {"model": "no-such-model", "messages": [{"role": "user", "content": "x"}]},
    ]
    body = "\n".join(json.dumps(line) for line in lines)
    r = httpx.post(f"{server.url}/admin/cache/warm?app=alpha", headers=admin, content=body, timeout=60)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["requests"] == 4 and report["stored"] == 2 and report["not_cacheable"] == 1
    assert report["failed"] == 1 and report["errors"][0].startswith("line 4:")
    calls = len(openai.requests)
    r = chat(server, alpha, "What are your hours?")
    assert r.status_code == 200
    assert len(openai.requests) == calls  # served from the warmed cache

    stats = httpx.get(f"{server.url}/admin/cache/stats", headers=admin).json()
    assert stats["exact"]["entries"] == 2 and stats["exact"]["bytes"] > 0
    assert stats["requests"]["chat"]["hit"] >= 1

    # Invalidation: refuses an empty filter, then removes by app.
    r = httpx.post(f"{server.url}/admin/cache/invalidate", headers=admin, json={})
    assert r.status_code == 400 and r.json()["error"]["param"] == "all"
    r = httpx.post(f"{server.url}/admin/cache/invalidate", headers=admin, json={"app": "alpha"})
    assert r.status_code == 200 and r.json()["removed"]["exact"] == 2
    chat(server, alpha, "What are your hours?")
    assert len(openai.requests) == calls + 1

    # Not for apps.
    app_headers = {"Authorization": f"Bearer {alpha}"}
    assert httpx.get(f"{server.url}/admin/cache/stats", headers=app_headers).status_code == 403
    assert (
        httpx.post(
            f"{server.url}/admin/cache/invalidate", headers=app_headers, json={"all": True}
        ).status_code
        == 403
    )

    # /metrics carries the cache's series.
    metrics = httpx.get(f"{server.url}/metrics", headers=admin).text
    assert "aiw_cache_requests_total" in metrics and "aiw_cache_lookup_seconds" in metrics
    assert "aiw_cache_bytes" in metrics


def test_streamed_hit_over_http_with_the_openai_sdk(live: tuple[LiveServer, Any]) -> None:
    import openai as openai_sdk

    server, upstream = live
    client = openai_sdk.OpenAI(base_url=f"{server.url}/v1", api_key=server.create_key("alpha"))
    messages = [{"role": "user", "content": "Describe the cache in a sentence."}]
    first = client.chat.completions.create(model="gpt-4o-mini", temperature=0, messages=messages)
    calls = len(upstream.requests)
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", temperature=0, messages=messages, stream=True
    )
    assert raw.headers["x-ai-workers-cache"] == "hit"
    text = "".join(chunk.choices[0].delta.content or "" for chunk in raw.parse() if chunk.choices)
    assert text == first.choices[0].message.content
    assert len(upstream.requests) == calls
