"""The RAG HTTP API driven over real HTTP with httpx, against a live gateway on each store.

Upload (multipart), list, delete, query; 401 without a key; another app's collection is a 404; bad
input is a 400 naming the field; uploads have their own body limit; generative answers come through
a fake OpenAI-compatible upstream and cite [1] mapped to file and page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.openai import FakeOpenAI
from tests.fakes.settings import openai_key
from tests.rag.conftest import STORES, rag_settings
from tests.rag.corpus import GUIDE_MD, LIGHTHOUSE_TXT, PUMP_PAGES, docx_bytes, pdf_bytes
from tests.server.live import LiveServer

MAX_BODY = 16 * 1024
MAX_UPLOAD = 1024 * 1024
_SUFFIX: dict[str, str] = {}  # server url -> the suffix of its app names


class Api:
    """An httpx client for one app's key."""

    def __init__(self, url: str, key: str | None) -> None:
        headers = {"authorization": f"Bearer {key}"} if key else {}
        self.http = httpx.Client(base_url=url, headers=headers, timeout=60)

    def upload(self, collection: str | None, files: list[tuple[str, bytes]], **fields: str) -> httpx.Response:
        data = dict(fields)
        if collection is not None:
            data["collection"] = collection
        parts = [("files", (name, body)) for name, body in files]
        return self.http.post("/api/rag/documents", data=data, files=parts or None)

    def query(self, body: dict[str, Any]) -> httpx.Response:
        return self.http.post("/api/rag/query", json=body)


@pytest.fixture(scope="module")
def openai() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(api_key=openai_key())
    with fake:
        yield fake


@pytest.fixture(scope="module", params=STORES)
def live(
    request: pytest.FixtureRequest, openai: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("rag-http")
    if request.param == "postgres":
        rag: dict[str, Any] = {"store": "postgres", "url": request.getfixturevalue("postgres_url")}
    else:
        rag = {"store": "embedded", "url": str(tmp / "rag.db")}
    suffix = uuid.uuid4().hex[:6]  # the PostgreSQL store is shared by the session
    settings = rag_settings(
        rag,
        tmp,
        openai,
        server={"max_body_bytes": MAX_BODY, "max_upload_bytes": MAX_UPLOAD},
        apps={f"writer-{suffix}": {"rag": {"chat_model": "gpt-4o-mini"}}},
    )
    with LiveServer(settings) as server:
        _SUFFIX[server.url] = suffix
        yield server


@pytest.fixture(scope="module")
def alpha(live: LiveServer) -> Api:
    return Api(live.url, live.create_key(f"alpha-{_SUFFIX[live.url]}"))


@pytest.fixture(scope="module")
def beta(live: LiveServer) -> Api:
    return Api(live.url, live.create_key(f"beta-{_SUFFIX[live.url]}"))


@pytest.fixture(scope="module")
def writer(live: LiveServer) -> Api:
    return Api(live.url, live.create_key(f"writer-{_SUFFIX[live.url]}"))


def _files() -> list[tuple[str, bytes]]:
    return [
        ("guide.md", GUIDE_MD.encode()),
        ("pump.pdf", pdf_bytes(PUMP_PAGES, title="Pump Manual")),
        ("handbook.docx", docx_bytes()),
        ("empty.txt", b""),
    ]


def _error(response: httpx.Response, status: int, param: str | None) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["param"] == param, error
    message: str = error["message"]
    return message


def test_upload_list_query_delete(alpha: Api) -> None:
    uploaded = alpha.upload("manuals", _files())
    assert uploaded.status_code == 200, uploaded.text
    report = uploaded.json()
    assert report["collection"] == "manuals"
    status = {item["source"]: item for item in report["items"]}
    assert {s: i["status"] for s, i in status.items()} == {
        "guide.md": "added",
        "pump.pdf": "added",
        "handbook.docx": "added",
        "empty.txt": "failed",
    }
    assert status["empty.txt"]["error"] and status["pump.pdf"]["pages"] == 2
    assert report["steps"]["embed"]["model"] == "all-minilm-l6-v2"

    again = alpha.upload("manuals", _files()[:1]).json()
    assert again["items"][0]["status"] == "skipped"

    listed = alpha.http.get("/api/rag/documents", params={"collection": "manuals"})
    assert listed.status_code == 200
    docs = {d["source"]: d for d in listed.json()["data"]}
    assert set(docs) == {"guide.md", "pump.pdf", "handbook.docx"}
    assert docs["pump.pdf"]["kind"] == "pdf" and docs["pump.pdf"]["chunks"] >= 2

    answered = alpha.query({"question": "How long does the pump warranty last?", "collection": "manuals"})
    assert answered.status_code == 200, answered.text
    answer = answered.json()
    assert answer["found"] is True and answer["mode"] == "extractive"
    assert "[1]" in answer["answer"] and "five years" in answer["answer"]
    assert answer["citations"][0] == {
        "n": 1,
        "source": "pump.pdf",
        "title": "Pump Manual",
        "heading": answer["citations"][0]["heading"],
        "page": 2,
        "document_id": docs["pump.pdf"]["id"],
    }
    top = answer["sources"][0]
    assert top["source"] == "pump.pdf" and top["page"] == 2 and isinstance(top["score"], float)
    assert {"bm25", "dense", "rrf"} & set(top["scores"])
    for name in ("bm25", "embed_query", "dense", "answer"):
        assert answer["steps"][name]["ms"] >= 0 and "cost_usd" in answer["steps"][name]
    assert answer["cost_usd"] == 0.0 and answer["latency_ms"] > 0

    filtered = alpha.query(
        {
            "question": "How long does the pump warranty last?",
            "collection": "manuals",
            "documentIds": [docs["guide.md"]["id"]],
            "options": {"answer_mode": "none", "mode": "hybrid", "top_k": 3},
        }
    ).json()
    assert filtered["mode"] == "none" and filtered["answer"] == ""
    assert {s["source"] for s in filtered["sources"]} == {"guide.md"}

    refused = alpha.query(
        {"question": "What is the boiling point of liquid nitrogen on Neptune?", "collection": "manuals"}
    ).json()
    assert refused["answer"] == "Not found in the documents." and refused["found"] is False

    deleted = alpha.http.delete(
        f"/api/rag/documents/{docs['pump.pdf']['id']}", params={"collection": "manuals"}
    )
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True
    again_deleted = alpha.http.delete(
        f"/api/rag/documents/{docs['pump.pdf']['id']}", params={"collection": "manuals"}
    )
    _error(again_deleted, 404, "document_id")
    remaining = alpha.http.get("/api/rag/documents", params={"collection": "manuals"}).json()["data"]
    assert {d["source"] for d in remaining} == {"guide.md", "handbook.docx"}
    after = alpha.query(
        {
            "question": "pump warranty five years",
            "collection": "manuals",
            "options": {"answer_mode": "none", "top_k": 10},
        }
    ).json()
    assert "pump.pdf" not in {s["source"] for s in after["sources"]}


def test_collections_listed_and_dropped(alpha: Api) -> None:
    assert alpha.upload("scratch", [("lighthouse.txt", LIGHTHOUSE_TXT.encode())]).status_code == 200
    names = {c["name"]: c for c in alpha.http.get("/api/rag/collections").json()["data"]}
    assert names["scratch"]["embedding_model"] == "all-minilm-l6-v2"
    assert names["scratch"]["dimensions"] == 384
    dropped = alpha.http.delete("/api/rag/collections/scratch")
    assert dropped.status_code == 200 and dropped.json()["deleted"] is True
    assert "scratch" not in {c["name"] for c in alpha.http.get("/api/rag/collections").json()["data"]}
    _error(alpha.http.delete("/api/rag/collections/scratch"), 404, "collection")
    _error(alpha.http.get("/api/rag/documents", params={"collection": "scratch"}), 404, "collection")


def test_without_a_key_is_401(live: LiveServer, alpha: Api) -> None:
    anonymous = Api(live.url, None)
    wrong = Api(live.url, "sk-not-a-real-key")
    for api in (anonymous, wrong):
        calls = [
            api.upload("manuals", [("a.txt", b"some text here")]),
            api.http.get("/api/rag/documents", params={"collection": "manuals"}),
            api.http.delete("/api/rag/documents/x", params={"collection": "manuals"}),
            api.http.get("/api/rag/collections"),
            api.http.delete("/api/rag/collections/manuals"),
            api.query({"question": "anything", "collection": "manuals"}),
        ]
        for response in calls:
            assert response.status_code == 401, (response.request.url, response.text)


def test_other_apps_collection_is_404(alpha: Api, beta: Api) -> None:
    assert alpha.upload("private", [("guide.md", GUIDE_MD.encode())]).status_code == 200
    doc_id = alpha.http.get("/api/rag/documents", params={"collection": "private"}).json()["data"][0]["id"]
    question = {"question": "How often should the widget filter be cleaned?", "collection": "private"}
    _error(beta.query(question), 404, "collection")
    _error(beta.http.get("/api/rag/documents", params={"collection": "private"}), 404, "collection")
    _error(
        beta.http.delete(f"/api/rag/documents/{doc_id}", params={"collection": "private"}), 404, "collection"
    )
    _error(beta.http.delete("/api/rag/collections/private"), 404, "collection")
    assert "private" not in {c["name"] for c in beta.http.get("/api/rag/collections").json()["data"]}
    # A's collection is untouched and still answers A.
    assert alpha.query(question).json()["found"] is True


def test_bad_input_is_400_naming_the_field(alpha: Api) -> None:
    assert alpha.upload("checks", [("guide.md", GUIDE_MD.encode())]).status_code == 200
    ok = {"question": "widget filter", "collection": "checks"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"collection": "checks"}, "question"),
        ({**ok, "question": "  "}, "question"),
        ({**ok, "collection": "no/slashes"}, "collection"),
        ({**ok, "documentIds": "abc"}, "documentIds"),
        ({**ok, "documentIds": []}, "documentIds"),
        ({**ok, "options": {"mode": "fuzzy"}}, "options.mode"),
        ({**ok, "options": {"answer_mode": "poem"}}, "options.answer_mode"),
        ({**ok, "options": {"top_k": 0}}, "options.top_k"),
        ({**ok, "options": {"maxChunks": 101}}, "options.maxChunks"),
        ({**ok, "options": {"maxChunks": 3, "top_k": 4}}, "options.maxChunks"),
        ({**ok, "options": {"provider": "azure"}}, "options.provider"),
        ({**ok, "options": {"embedding_model": "bge-m3"}}, "options.embedding_model"),
    ]
    for body, param in cases:
        assert _error(alpha.query(body), 400, param)
    unknown = _error(alpha.query({**ok, "options": {"colour": "blue"}}), 400, "options")
    assert "unknown field colour" in unknown
    not_json = alpha.http.post(
        "/api/rag/query", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400
    _error(alpha.upload("checks", []), 400, "files")
    _error(alpha.upload("checks", [("a.txt", b"text")], embedding_model="bge-m3"), 400, "embedding_model")
    _error(alpha.http.get("/api/rag/documents"), 400, "collection")


def test_uploads_have_their_own_body_limit(alpha: Api) -> None:
    paragraph = "The observatory dome opens at nine in the evening when the sky is clear.\n\n"
    big = paragraph * (MAX_BODY * 5 // 4 // len(paragraph))  # over the chat body limit, under the upload one
    accepted = alpha.upload("big", [("observatory.txt", big.encode())])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["items"][0]["status"] == "added"
    too_big = alpha.upload("big", [("huge.txt", b"x" * (MAX_UPLOAD + 1))])
    assert too_big.status_code == 413
    # Other routes keep the small limit.
    long_question = {"question": "x" * (MAX_BODY + 10), "collection": "big"}
    assert alpha.query(long_question).status_code == 413


def test_generative_answer_through_the_upstream(writer: Api, openai: FakeOpenAI) -> None:
    assert writer.upload("manuals", _files()[:2]).status_code == 200
    openai.reply_text = "The pump warranty lasts five years from purchase [1]."
    before = len(openai.requests)
    try:
        response = writer.query(
            {"question": "How long does the pump warranty last?", "collection": "manuals"}
        )
    finally:
        openai.reply_text = None
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["mode"] == "generative" and answer["found"] is True
    assert answer["answer"] == "The pump warranty lasts five years from purchase [1]."
    assert answer["citations"][0]["n"] == 1
    assert answer["citations"][0]["source"] == "pump.pdf" and answer["citations"][0]["page"] == 2
    assert answer["steps"]["answer"]["model"] == "gpt-4o-mini"
    assert answer["steps"]["answer"]["cost_usd"] > 0 and answer["cost_usd"] > 0
    chats = [r for r in openai.requests[before:] if r.path.endswith("/chat/completions")]
    assert len(chats) == 1
    prompt = chats[0].json()["messages"][-1]["content"]
    assert "[1] (pump.pdf" in prompt and "page 2" in prompt and "five years" in prompt

    # The upstream says the sources do not answer: so does the gateway, without citations.
    openai.reply_text = "Not found in the documents."
    try:
        refused = writer.query({"question": "Who painted the pump?", "collection": "manuals"}).json()
    finally:
        openai.reply_text = None
    assert refused["found"] is False and refused["citations"] == []


def test_openapi_lists_the_rag_paths(live: LiveServer) -> None:
    document = httpx.get(f"{live.url}/openapi.json").json()
    for path in ("/api/rag/documents", "/api/rag/query", "/api/rag/documents/{document_id}"):
        assert path in document["paths"]
    query = document["paths"]["/api/rag/query"]["post"]
    assert query["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("QueryRequest")
    assert "Answer" in document["components"]["schemas"]
    assert set(document["paths"]["/api/rag/documents"]) == {"get", "post"}
