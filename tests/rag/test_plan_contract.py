"""``POST /api/rag/query`` in the migration plan's own shape, over real HTTP against a live gateway.

The plan's API document and load test send ``{question, documentIds, options: {provider, maxChunks}}``
with no collection and read ``answer, citations, sources, cost, provider, latency``. These tests send
exactly that (and the OpenAPI document's example), and check that ``provider`` decides where the
answer runs while the app's PHI policy still applies to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ai_workers.server.routes.rag import PLAN_QUERY_EXAMPLE
from tests.fakes.settings import fake_settings, start_fakes
from tests.server.live import LiveServer

PLAN_FIELDS = ("answer", "citations", "sources", "cost", "provider", "latency")
REFUNDS = (
    "Refund policy\n\nCustomers may return any unopened product within thirty days of delivery for a full "
    "refund. Opened products can be exchanged within fourteen days. Refunds are paid to the original card "
    "within five business days.\n"
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Any, Any]]:
    tmp = tmp_path_factory.mktemp("rag-plan")
    with start_fakes() as (workers, openai):
        settings = fake_settings(
            workers,
            openai,
            data_dir=str(tmp / "data"),
            rag={"store": "embedded", "url": str(tmp / "rag.db")},
        )
        with LiveServer(settings) as server:
            yield server, workers, openai


def _client(server: LiveServer) -> httpx.Client:
    key = server.create_key(f"plan-{uuid.uuid4().hex[:8]}")
    return httpx.Client(base_url=server.url, headers={"authorization": f"Bearer {key}"}, timeout=60)


def _plan_fields(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    for name in PLAN_FIELDS:
        assert name in body, f"{name} missing from {sorted(body)}"
    assert body["cost"] == body["cost_usd"] and body["latency"] == body["latency_ms"]
    assert isinstance(body["citations"], list) and isinstance(body["sources"], list)
    return body


def test_the_load_test_request_gets_200_before_any_upload(live: tuple[LiveServer, Any, Any]) -> None:
    server, _, _ = live
    with _client(server) as http:
        body = {
            "question": "What is the refund policy?",
            "documentIds": ["doc-123"],
            "options": {"provider": "auto", "maxChunks": 5},
        }
        answer = _plan_fields(http.post("/api/rag/query", json=body))
    assert answer["found"] is False and answer["sources"] == [] and answer["provider"] == "local"
    assert answer["collection"] == "default" and "no documents" in answer["note"]


def test_the_openapi_example_gets_200(live: tuple[LiveServer, Any, Any]) -> None:
    server, _, _ = live
    document = httpx.get(f"{server.url}/openapi.json").json()
    content = document["paths"]["/api/rag/query"]["post"]["requestBody"]["content"]["application/json"]
    example = content["example"]
    assert example == PLAN_QUERY_EXAMPLE
    schema = document["components"]["schemas"]["Answer"]
    assert set(PLAN_FIELDS) <= set(schema["required"])
    options = document["components"]["schemas"]["QueryOptions"]["properties"]
    assert {"maxChunks", "provider"} <= set(options)
    with _client(server) as http:
        assert http.post(
            "/api/rag/documents", files=[("files", ("refunds.txt", REFUNDS.encode()))]
        ).is_success
        _plan_fields(http.post("/api/rag/query", json=example))


def test_provider_picks_where_the_answer_runs(live: tuple[LiveServer, Any, Any]) -> None:
    server, workers, openai = live
    with _client(server) as http:
        uploaded = http.post("/api/rag/documents", files=[("files", ("refunds.txt", REFUNDS.encode()))])
        assert uploaded.status_code == 200, uploaded.text
        assert uploaded.json()["collection"] == "default"  # no collection named: the app's default
        doc_id = uploaded.json()["items"][0]["document_id"]
        question = {"question": "How many days do customers have to return a product?"}

        openai.reply_text = "Unopened products can be returned within thirty days [1]."
        before_oa, before_cf = len(openai.requests), len(workers.requests)
        try:
            body = {**question, "documentIds": [doc_id], "options": {"provider": "openai", "maxChunks": 1}}
            by_openai = _plan_fields(http.post("/api/rag/query", json=body))
        finally:
            openai.reply_text = None
        assert by_openai["provider"] == "openai" and by_openai["mode"] == "generative"
        assert by_openai["answer"].startswith("Unopened products") and by_openai["citations"][0]["n"] == 1
        assert len(by_openai["sources"]) == 1  # maxChunks is top_k
        assert by_openai["cost"] > 0 and by_openai["steps"]["answer"]["model"] == "gpt-4o-mini"
        assert any(r.path.endswith("/chat/completions") for r in openai.requests[before_oa:])
        assert len(workers.requests) == before_cf  # nothing went to Workers AI (not even a rerank)

        before_oa = len(openai.requests)
        body = {**question, "options": {"provider": "cloudflare"}}
        by_cloudflare = _plan_fields(http.post("/api/rag/query", json=body))
        assert by_cloudflare["provider"] == "cloudflare"
        assert by_cloudflare["steps"]["answer"]["model"] == "llama-3.3-70b-instruct-fp8-fast"
        assert len(openai.requests) == before_oa


def test_an_untrusted_provider_still_gets_redacted_text(live: tuple[LiveServer, Any, Any]) -> None:
    """The default PHI policy is redact: a patient's name and date of birth in the question reach
    OpenAI as placeholders, and the answer the app reads has them back."""
    server, _, openai = live
    with _client(server) as http:
        assert http.post(
            "/api/rag/documents", files=[("files", ("refunds.txt", REFUNDS.encode()))]
        ).is_success
        before = len(openai.requests)
        question = "Patient Jane Doe, DOB 01/02/1960, asks how many days she has to return a product."
        body = {"question": question, "options": {"provider": "openai"}}
        answer = _plan_fields(http.post("/api/rag/query", json=body))
    chats = [r for r in openai.requests[before:] if r.path.endswith("/chat/completions")]
    assert len(chats) == 1
    sent = chats[0].json()["messages"][-1]["content"]
    assert "Jane Doe" not in sent and "01/02/1960" not in sent
    assert "Jane Doe" in answer["answer"]  # the fake echoes the prompt; placeholders were restored


def test_a_model_the_provider_does_not_serve_is_a_400(
    live: tuple[LiveServer, Any, Any], tmp_path: Path
) -> None:
    server, _, _ = live
    with _client(server) as http:
        form = {"collection": "cf-vectors", "embedding_model": "bge-base-en-v1.5"}
        files = [("files", ("refunds.txt", REFUNDS.encode()))]
        assert http.post("/api/rag/documents", data=form, files=files).status_code == 200
        body = {"question": "refunds?", "collection": "cf-vectors", "options": {"provider": "openai"}}
        refused = http.post("/api/rag/query", json=body)
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["param"] == "options.provider" and "bge-base-en-v1.5" in error["message"]
