"""The whole RAG path through the library (``AsyncClient.rag`` / ``Client.rag``), on both stores.

Ingest a folder of text, Markdown, HTML, PDF and DOCX files; ask questions and check the answer cites
the right file, heading and page; re-ingest (unchanged: skipped; changed: replaced, old text gone);
broken files reported; document-id filters; per-app isolation; the collection's embedding model; the
usage records the embeddings leave behind.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import msgspec
import pytest
from sqlalchemy import select

from ai_workers import AsyncClient, Client
from ai_workers.core.config import Settings
from ai_workers.core.errors import InvalidRequestError
from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.rag.answer import NOT_FOUND
from ai_workers.rag.types import Answer
from tests.rag.conftest import rag_settings
from tests.rag.corpus import (
    BROKEN_FILES,
    GOOD_FILES,
    GUIDE_MD_CHANGED,
    QUESTIONS,
    UNANSWERABLE,
    Question,
)
from tests.server.live import LiveServer


def _cited(answer: Answer, question: Question) -> None:
    """The answer cites [n] and [n] maps to the question's file, heading and page."""
    assert answer.found, answer
    assert answer.sources[0].source == question.source, [s.source for s in answer.sources]
    cited = {c.n: c for c in answer.citations}
    assert cited, answer.answer
    first = next(c for c in answer.citations if c.source == question.source)
    assert f"[{first.n}]" in answer.answer
    if question.heading_part:
        assert question.heading_part in first.heading
    assert first.page == question.page
    source = answer.sources[first.n - 1]
    assert source.n == first.n and source.source == question.source
    for word in question.words:
        assert word in source.text


async def test_ingest_folder_then_answer_with_citations(
    settings: Settings, corpus: Path, apps: tuple[str, str]
) -> None:
    app, _ = apps
    async with AsyncClient(settings, app=app) as client:
        seen: list[tuple[str, int, int]] = []
        report = await client.rag.ingest(
            corpus,
            collection="docs",
            progress=lambda item, done, total: seen.append((item.source, done, total)),
        )
        status = {item.source: item for item in report.items}
        assert {s for s, i in status.items() if i.status == "added"} == GOOD_FILES
        assert {s for s, i in status.items() if i.status == "failed"} == BROKEN_FILES
        assert "empty" in (status["empty.txt"].error or "")
        assert status["corrupt.pdf"].error
        assert status["pump.pdf"].pages == 2
        assert [done for _, done, _ in seen] == list(range(1, len(report.items) + 1))
        assert {total for _, _, total in seen} == {len(report.items)}
        assert report.steps["embed"].model == "all-minilm-l6-v2"

        listed = await client.rag.documents("docs")
        assert {d.source for d in listed} == GOOD_FILES

        for question in QUESTIONS:
            answer = await client.rag.query(question.text, collection="docs", answer_mode="extractive")
            assert answer.mode == "extractive"
            _cited(answer, question)
            assert {"bm25", "embed_query", "dense"} <= set(answer.steps)
            assert all(step.ms >= 0 for step in answer.steps.values())
            assert answer.latency_ms > 0
            assert answer.sources[0].score == max(s.score for s in answer.sources)
            assert answer.sources[0].scores  # per-signal scores are reported

        refused = await client.rag.query(UNANSWERABLE, collection="docs")
        assert refused.answer == NOT_FOUND
        assert refused.found is False and refused.citations == []


async def test_reingest_skips_unchanged_and_replaces_changed(
    settings: Settings, corpus: Path, apps: tuple[str, str]
) -> None:
    app, _ = apps
    async with AsyncClient(settings, app=app) as client:
        first = await client.rag.ingest(corpus, collection="docs")
        guide_id = next(i.document_id for i in first.items if i.source == "guide.md")

        again = await client.rag.ingest(corpus, collection="docs")
        assert {i.source for i in again.items if i.status == "skipped"} == GOOD_FILES
        assert "embed" not in again.steps  # nothing new was embedded

        (corpus / "guide.md").write_text(GUIDE_MD_CHANGED)
        changed = await client.rag.ingest(corpus, collection="docs")
        by_source = {i.source: i for i in changed.items}
        assert by_source["guide.md"].status == "replaced"
        assert by_source["guide.md"].document_id != guide_id
        assert {s for s, i in by_source.items() if i.status == "skipped"} == GOOD_FILES - {"guide.md"}

        docs = await client.rag.documents("docs")
        assert len([d for d in docs if d.source == "guide.md"]) == 1

        old = await client.rag.query(
            "warm soapy water thirty days", collection="docs", mode="bm25", answer_mode="none", top_k=10
        )
        assert all("soapy" not in s.text for s in old.sources)
        new = await client.rag.query("How often is the widget cartridge replaced?", collection="docs")
        assert new.sources[0].source == "guide.md" and "ninety" in new.sources[0].text


async def test_document_filter_and_delete(settings: Settings, corpus: Path, apps: tuple[str, str]) -> None:
    app, _ = apps
    async with AsyncClient(settings, app=app) as client:
        await client.rag.ingest(corpus, collection="docs")
        docs = {d.source: d.id for d in await client.rag.documents("docs")}

        only_garden = await client.rag.query(
            "How long does the pump warranty last?",
            collection="docs",
            document_ids=[docs["garden.html"]],
            answer_mode="none",
        )
        assert only_garden.sources and {s.source for s in only_garden.sources} == {"garden.html"}
        two = await client.rag.query(
            "How long does the pump warranty last?",
            collection="docs",
            document_ids=[docs["garden.html"], docs["pump.pdf"]],
        )
        assert two.sources[0].source == "pump.pdf"
        assert {s.source for s in two.sources} <= {"garden.html", "pump.pdf"}

        assert await client.rag.delete_document("docs", docs["pump.pdf"]) is True
        assert await client.rag.delete_document("docs", docs["pump.pdf"]) is False
        assert "pump.pdf" not in {d.source for d in await client.rag.documents("docs")}
        gone = await client.rag.query(
            "pump warranty five years", collection="docs", mode="hybrid", answer_mode="none", top_k=10
        )
        assert "pump.pdf" not in {s.source for s in gone.sources}


async def test_apps_are_isolated(settings: Settings, corpus: Path, apps: tuple[str, str]) -> None:
    alpha, beta = apps
    async with AsyncClient(settings, app=alpha) as a:
        await a.rag.ingest(corpus / "guide.md", collection="private")
        doc_id = (await a.rag.documents("private"))[0].id
    async with AsyncClient(settings, app=beta) as b:
        assert await b.rag.collections() == []
        for call in (
            b.rag.query("How often should the widget filter be cleaned?", collection="private"),
            b.rag.documents("private"),
            b.rag.delete_document("private", doc_id),
            b.rag.drop_collection("private"),
        ):
            with pytest.raises(InvalidRequestError) as caught:
                await call
            assert caught.value.status == 404 and caught.value.param == "collection"
        # B may use the same name for its own collection; A's documents stay A's.
        await b.rag.ingest(corpus / "lighthouse.txt", collection="private")
        assert {d.source for d in await b.rag.documents("private")} == {"lighthouse.txt"}
    async with AsyncClient(settings, app=alpha) as a:
        assert {d.source for d in await a.rag.documents("private")} == {"guide.md"}


async def test_collection_keeps_its_embedding_model(
    settings: Settings, corpus: Path, apps: tuple[str, str]
) -> None:
    app, _ = apps
    async with AsyncClient(settings, app=app) as client:
        await client.rag.ingest(corpus / "guide.md", collection="docs")
        (collection,) = await client.rag.collections()
        assert collection.name == "docs"
        assert collection.embedding_model == "all-minilm-l6-v2" and collection.dimensions == 384

        with pytest.raises(InvalidRequestError) as query_error:
            await client.rag.query("widget filter", collection="docs", embedding_model="bge-m3")
        assert query_error.value.param == "options.embedding_model"
        assert "all-minilm-l6-v2" in query_error.value.message

        with pytest.raises(InvalidRequestError) as ingest_error:
            await client.rag.ingest(corpus / "garden.html", collection="docs", embedding_model="bge-m3")
        assert ingest_error.value.param == "embedding_model"
        # The same model, named explicitly, is fine.
        ok = await client.rag.query(
            "widget filter", collection="docs", embedding_model="all-minilm-l6-v2", answer_mode="none"
        )
        assert ok.sources


async def usage_records(settings: Settings, condition: Any) -> list[UsageRecord]:
    database = Database(settings.resolved_database_url())
    try:
        async with database.session() as session:
            return list((await session.scalars(select(UsageRecord).where(condition))).all())
    finally:
        await database.dispose()


async def test_embeddings_go_through_the_gateway(
    settings: Settings, corpus: Path, apps: tuple[str, str]
) -> None:
    app, _ = apps
    async with AsyncClient(settings, app=app) as client:
        await client.rag.ingest(corpus / "guide.md", collection="docs")
        await client.rag.query("widget filter", collection="docs")
    # Closing the client flushed the usage records to the database.
    rows = await usage_records(settings, UsageRecord.app == app)
    rag_rows = [r for r in rows if r.route == "rag"]
    assert rag_rows, [(r.route, r.capability) for r in rows]
    assert {r.capability for r in rag_rows} == {"embeddings"}
    assert {r.requested_model for r in rag_rows} == {"all-minilm-l6-v2"}
    assert all(r.status == 200 for r in rag_rows)
    assert len(rag_rows) >= 3  # the dimension probe, the document batch, the question


async def test_bad_arguments_name_the_field(settings: Settings, corpus: Path, apps: tuple[str, str]) -> None:
    app, _ = apps
    async with AsyncClient(settings, app=app) as client:
        await client.rag.ingest(corpus / "guide.md", collection="docs")
        cases = [
            (client.rag.query("widget", collection="docs", mode="fuzzy"), "mode"),
            (client.rag.query("widget", collection="docs", answer_mode="poem"), "answer_mode"),
            (client.rag.query("widget", collection="docs", top_k=0), "top_k"),
            (client.rag.query("   ", collection="docs"), "question"),
            (client.rag.query("widget", collection="../etc"), "collection"),
            (client.rag.ingest(corpus / "missing-folder", collection="docs"), "path"),
            (client.rag.upload([], collection="docs"), "files"),
        ]
        for call, param in cases:
            with pytest.raises(InvalidRequestError) as caught:
                await call
            assert caught.value.status == 400 and caught.value.param == param


@pytest.mark.parametrize("store_kind", ["embedded"], indirect=True)
def test_sync_client_upload_and_query(settings: Settings, corpus: Path, apps: tuple[str, str]) -> None:
    app, _ = apps
    with Client(settings, app=app) as client:
        report = client.rag.upload(
            [corpus / "pump.pdf", ("notes.md", b"# Notes\n\n## Parking\n\nVisitors park behind building C.")],
            collection="uploads",
        )
        assert [i.status for i in report.items] == ["added", "added"]
        assert [c.name for c in client.rag.collections()] == ["uploads"]
        answer = client.rag.query("Where do visitors park?", collection="uploads")
        assert answer.found and answer.citations[0].source == "notes.md"
        assert "Parking" in answer.citations[0].heading
        doc_ids = [d.id for d in client.rag.documents("uploads")]
        assert all(client.rag.delete_document("uploads", d) for d in doc_ids)
        client.rag.drop_collection("uploads")
        assert client.rag.collections() == []


def _wait_done(task: asyncio.Task[None], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not task.done() and time.monotonic() < deadline:
        time.sleep(0.1)


async def test_a_restarted_server_loads_the_collections_local_model_before_the_first_query(
    settings: Settings, corpus: Path, apps: tuple[str, str]
) -> None:
    # A local model loads on first use (seconds); a restarted server used to make the first RAG query
    # after it wait for that. It now loads at start, for the models stored collections use.
    app, _ = apps
    async with AsyncClient(settings, app=app) as client:
        await client.rag.ingest(corpus / "guide.md", collection="docs")
    with LiveServer(settings) as server:
        warm_up = server.gateway.rag._warm_task
        assert warm_up is not None
        await asyncio.to_thread(_wait_done, warm_up, 120)  # it runs on the server's loop thread
        assert warm_up.done() and warm_up.exception() is None
    rows = await usage_records(settings, UsageRecord.route == "internal:rag-warmup")
    assert [(r.capability, r.requested_model, r.status) for r in rows] == [
        ("embeddings", "all-minilm-l6-v2", 200)
    ]


async def test_a_gateway_that_never_used_rag_creates_no_rag_store(tmp_path: Path) -> None:
    store = tmp_path / "rag.db"
    with LiveServer(rag_settings({"store": "embedded", "url": str(store)}, tmp_path)) as server:
        assert server.gateway.rag._warm_task is None
    assert not store.exists()


def test_the_warm_up_can_be_turned_off(settings: Settings, tmp_path: Path) -> None:
    rag = {**msgspec.to_builtins(settings.rag), "warm_up": False}
    store = Path(rag.get("url") or tmp_path / "rag.db")
    if rag.get("store", "embedded") == "embedded":
        store.touch()  # a store exists: only the setting stops the warm-up
    with LiveServer(msgspec.structs.replace(settings, rag=rag)) as server:
        assert server.gateway.rag._warm_task is None
