"""The queue's guarantees at the statement level: claims are disjoint, an expired claim is taken over
only while its line has no result, a worker that lost its claim cannot overwrite the new owner's
result, and a line whose claims keep expiring fails instead of running forever."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ai_workers.batch.jsonl import InputLine
from ai_workers.batch.store import BatchStore, LineOutcome
from ai_workers.db.engine import Database

OK = LineOutcome(200, b'{"ok":true}')


async def _store(url: str) -> tuple[Database, BatchStore, str]:
    database = Database(url)
    await database.migrate()
    store = BatchStore(database)
    lines = [InputLine(f"c{i}", "/v1/embeddings", b"{}") for i in range(40)]
    job = await store.create_batch("app", {}, "/v1/embeddings", "file-x", "24h", None, lines, [])
    return database, store, job.id


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'q.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_claims_are_disjoint_and_results_are_written_once(db_url: str) -> None:
    async def run() -> None:
        database, store, batch_id = await _store(db_url)
        try:
            a, b = await asyncio.gather(
                store.claim(batch_id, "A", 25, 0.05, 5), store.claim(batch_id, "B", 25, 0.05, 5)
            )
            assert not {line.idx for line in a} & {line.idx for line in b}
            assert len(a) + len(b) == 40
            first = a[0] if a else b[0]
            owner = "A" if a else "B"
            await asyncio.sleep(0.1)  # every claim expired; no line has a result
            taken = await store.claim(batch_id, "C", 40, 30.0, 5)
            assert len(taken) == 40
            # The old owner finishing late is refused; the new owner's result stands.
            assert not await store.finish(first, owner, LineOutcome(200, b'{"late":true}'))
            assert await store.finish_many([(line, OK) for line in taken], "C") == [True] * 40
            await asyncio.sleep(0.1)
            assert await store.claim(batch_id, "D", 40, 30.0, 5) == []  # a finished line is never re-run
            counts = (await store.counts([batch_id]))[batch_id]
            assert (counts.completed, counts.open) == (40, 0)
            assert await store.finalize(batch_id) and not await store.finalize(batch_id)
            job = await store.get_batch("app", batch_id)
            assert job is not None and job.status == "completed"
            out = await store.get_file("app", job.output_file_id or "")
            assert out is not None
            text = b"".join([chunk async for chunk in store.file_content(out)])
            assert text.count(b'"custom_id"') == 40 and b"late" not in text
            assert await store.get_file("other-app", job.output_file_id or "") is None
        finally:
            await database.dispose()

    asyncio.run(run())


def test_a_line_whose_claims_keep_expiring_fails_after_max_attempts(db_url: str) -> None:
    async def run() -> None:
        database, store, batch_id = await _store(db_url)
        try:
            for _ in range(2):
                assert len(await store.claim(batch_id, "dies", 40, 0.01, 2)) == 40
                await asyncio.sleep(0.05)
            assert await store.claim(batch_id, "next", 40, 30.0, 2) == []
            await store.fail_exhausted(batch_id, 2)
            counts = (await store.counts([batch_id]))[batch_id]
            assert (counts.failed, counts.open) == (40, 0)
        finally:
            await database.dispose()

    asyncio.run(run())


def test_a_claimed_line_carries_the_queued_request_it_is_in(db_url: str) -> None:
    """A line sent in a Workers AI queued request and handed back (shutdown) is claimed with that
    request's id, so its next run polls it instead of sending the line again."""

    async def run() -> None:
        database, store, batch_id = await _store(db_url)
        try:
            first = await store.claim(batch_id, "A", 10, 30.0, 5)
            assert all(line.upstream_request_id is None for line in first)
            await store.set_upstream(batch_id, [line.idx for line in first[:6]], "req-1")
            await store.release("A")
            again = await store.claim(batch_id, "B", 10, 30.0, 5)
            assert [line.upstream_request_id for line in again] == ["req-1"] * 6 + [None] * 4
            # A hand-back is a run of its own: the next run gets another request id (usage record).
            assert [line.attempts for line in again] == [2] * 10
            assert {line.request_id for line in again}.isdisjoint(line.request_id for line in first)
        finally:
            await database.dispose()

    asyncio.run(run())
