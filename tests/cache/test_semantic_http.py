"""The semantic cache as a client sees it over HTTP: opposites are not served, paraphrases are, marked
with the similarity and the entry's key, and a wrong hit can be purged by that key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

CACHED = [
    "Can I drink coffee after taking levothyroxine?",
    "How do I switch from tablets to injections?",
    "What does it mean if my strep test result is positive?",
]
# Each is nearly the same sentence as one above (cosine >= 0.9 with the local model) but another question.
OPPOSITES = [
    "Can I take levothyroxine after drinking coffee?",  # reversed order of the two actions
    "How do I switch from injections to tablets?",  # reversed direction
    "What does it mean if my strep test result is negative?",  # polarity
]
PARAPHRASE = "Is it okay to drink coffee after taking levothyroxine?"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Any]]:
    with start_fakes() as (workers, openai):
        data_dir: Path = tmp_path_factory.mktemp("gateway")
        settings = fake_settings(
            workers,
            openai,
            data_dir=str(data_dir),
            providers={"openai": {"trusted_with_phi": True}},
            # Any PHI policy (here allow: the trusted provider sees the text) means the strict verifier.
            apps={"clinic": {"phi_policy": "allow", "cache": {"semantic": {"enabled": True}}}},
        )
        with LiveServer(settings) as server:
            yield server, openai


def chat(server: LiveServer, key: str, text: str) -> httpx.Response:
    response = httpx.post(
        f"{server.url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={"model": "gpt-4o-mini", "temperature": 0, "messages": [{"role": "user", "content": text}]},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response


def upstream_calls(openai: Any) -> int:
    return sum(1 for r in openai.requests if r.path.endswith("/chat/completions"))


def stored(server: LiveServer) -> None:
    """Waits for the cache's background writes (a semantic entry is embedded after the answer is sent,
    and the first embedding loads the local model): a client that asks again later sees them."""
    import asyncio

    asyncio.run_coroutine_threadsafe(server.gateway.cache.flush(), server.server_loop()).result(timeout=180)


def test_opposites_go_upstream_paraphrase_is_served_marked_and_purgeable(
    live: tuple[LiveServer, Any],
) -> None:
    server, openai = live
    clinic = server.create_key("clinic")
    admin = {"Authorization": f"Bearer {server.create_key('ops', role='admin')}"}
    for text in CACHED:
        assert chat(server, clinic, text).headers["x-ai-workers-cache"] == "miss"
    stored(server)
    calls = upstream_calls(openai)

    for text in OPPOSITES:
        response = chat(server, clinic, text)
        assert response.headers["x-ai-workers-cache"] == "miss", text
        assert "x-ai-workers-cache-key" not in response.headers
    assert upstream_calls(openai) == calls + len(OPPOSITES)  # each one answered by the model

    hit = chat(server, clinic, PARAPHRASE)
    assert hit.headers["x-ai-workers-cache"] == "semantic_hit"
    assert float(hit.headers["x-ai-workers-cache-similarity"]) >= 0.88  # the strict threshold
    key = hit.headers["x-ai-workers-cache-key"]
    assert key.startswith("clinic:chat:") and "coffee" not in key.lower()  # no prompt text in the key
    assert hit.json()["x_ai_workers"]["cache"] == "semantic_hit"
    assert upstream_calls(openai) == calls + len(OPPOSITES)

    # The hit was wrong, say: purge that one entry by the key the header named.
    stored(server)
    purged = httpx.post(f"{server.url}/admin/cache/invalidate", headers=admin, json={"key": key}, timeout=30)
    assert purged.status_code == 200 and purged.json()["removed"] == {"exact": 1, "semantic": 1}
    again = chat(server, clinic, PARAPHRASE)
    assert again.headers["x-ai-workers-cache"] == "miss"
    assert upstream_calls(openai) == calls + len(OPPOSITES) + 1
    # The other entries are still there.
    assert chat(server, clinic, CACHED[1]).headers["x-ai-workers-cache"] == "hit"
