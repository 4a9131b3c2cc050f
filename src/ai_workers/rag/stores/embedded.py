"""The embedded default store: one SQLite file plus an in-process numpy vector index.

Why numpy brute force and not hnswlib/usearch: at the sizes an app's document set reaches on one
machine (10,000 chunks x 384 dimensions = 15 MB of float32) an exact scan is one matrix-vector product
of about a millisecond (bench/bench_rag.py), exact (no recall loss), and needs no extra native
dependency or index build. The matrix is loaded once per collection version and reused.

All SQLite work runs on one dedicated thread with one connection (sqlite3 objects are not shareable
across threads), so the event loop never waits on disk.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from ai_workers.db import fork_quiet
from ai_workers.db.sqlite_wal import use_wal
from ai_workers.rag.stores.base import ChunkStore, NewChunk, stored_chunk
from ai_workers.rag.types import Collection, DocumentInfo, StoredChunk

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rag_collections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    app TEXT NOT NULL,
    name TEXT NOT NULL,
    embedding_model TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    UNIQUE (app, name)
);
CREATE TABLE IF NOT EXISTS rag_documents (
    id TEXT PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES rag_collections(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    pages INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (collection_id, source)
);
CREATE TABLE IF NOT EXISTS rag_chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id INTEGER NOT NULL,
    document_id TEXT NOT NULL REFERENCES rag_documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    indexed_text TEXT NOT NULL,
    headings TEXT NOT NULL,
    page INTEGER,
    page_end INTEGER,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS rag_chunks_collection ON rag_chunks (collection_id);
CREATE INDEX IF NOT EXISTS rag_chunks_document ON rag_chunks (document_id);
"""

Matrix = npt.NDArray[np.float32]


class _DenseIndex:
    __slots__ = ("doc_ids", "ids", "matrix", "rows", "version")

    def __init__(self, version: int, ids: npt.NDArray[np.int64], doc_ids: list[str], matrix: Matrix) -> None:
        self.version, self.ids, self.doc_ids, self.matrix = version, ids, doc_ids, matrix
        self.rows = {int(chunk_id): row for row, chunk_id in enumerate(ids.tolist())}


def _document_row(row: sqlite3.Row, collection: str) -> DocumentInfo:
    return DocumentInfo(
        id=row["id"],
        collection=collection,
        source=row["source"],
        title=row["title"],
        content_hash=row["content_hash"],
        kind=row["kind"],
        pages=row["pages"],
        chunks=row["chunks"],
        bytes=row["bytes"],
        updated_at=row["updated_at"],
    )


def _collection_row(row: sqlite3.Row) -> Collection:
    return Collection(
        id=row["id"],
        app=row["app"],
        name=row["name"],
        embedding_model=row["embedding_model"],
        dimensions=row["dimensions"],
        version=row["version"],
    )


class EmbeddedStore(ChunkStore):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aiw-rag-sqlite")
        self._db: sqlite3.Connection | None = None
        self._indexes: dict[int, _DenseIndex] = {}

    # -- plumbing ----------------------------------------------------------------------------------

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        def call() -> T:
            if self._db is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                db.row_factory = sqlite3.Row
                db.execute("PRAGMA busy_timeout=10000")  # first: the WAL switch may wait for a peer
                use_wal(db)
                db.execute("PRAGMA foreign_keys=ON")
                db.executescript(_SCHEMA)
                self._db = db
            return fn(self._db)

        with fork_quiet.running():  # a fork waits for the call (``db.fork_quiet``)
            return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def open(self) -> None:
        await self._run(lambda db: None)

    async def close(self) -> None:
        def shut(db: sqlite3.Connection) -> None:
            db.close()
            self._db = None

        if self._db is not None:
            await self._run(shut)
        self._executor.shutdown(wait=True)

    # -- collections -------------------------------------------------------------------------------

    async def get_collection(self, app: str, name: str) -> Collection | None:
        def q(db: sqlite3.Connection) -> Collection | None:
            row = db.execute("SELECT * FROM rag_collections WHERE app=? AND name=?", (app, name)).fetchone()
            return _collection_row(row) if row else None

        return await self._run(q)

    async def create_collection(
        self, app: str, name: str, embedding_model: str, dimensions: int
    ) -> Collection:
        def q(db: sqlite3.Connection) -> Collection:
            db.execute(
                "INSERT OR IGNORE INTO rag_collections (app, name, embedding_model, dimensions, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (app, name, embedding_model, dimensions, time.time()),
            )
            row = db.execute("SELECT * FROM rag_collections WHERE app=? AND name=?", (app, name)).fetchone()
            return _collection_row(row)

        return await self._run(q)

    async def list_collections(self, app: str) -> list[Collection]:
        def q(db: sqlite3.Connection) -> list[Collection]:
            rows = db.execute("SELECT * FROM rag_collections WHERE app=? ORDER BY name", (app,)).fetchall()
            return [_collection_row(r) for r in rows]

        return await self._run(q)

    async def embedding_models(self) -> list[str]:
        def q(db: sqlite3.Connection) -> list[str]:
            rows = db.execute("SELECT DISTINCT embedding_model FROM rag_collections ORDER BY 1").fetchall()
            return [str(r[0]) for r in rows]

        return await self._run(q)

    async def drop_collection(self, collection: Collection) -> None:
        def q(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM rag_chunks WHERE collection_id=?", (collection.id,))
            db.execute("DELETE FROM rag_documents WHERE collection_id=?", (collection.id,))
            db.execute("DELETE FROM rag_collections WHERE id=?", (collection.id,))
            db.execute("COMMIT")

        await self._run(q)
        self._indexes.pop(collection.id, None)

    # -- documents ---------------------------------------------------------------------------------

    async def find_document(self, collection: Collection, source: str) -> DocumentInfo | None:
        def q(db: sqlite3.Connection) -> DocumentInfo | None:
            row = db.execute(
                "SELECT * FROM rag_documents WHERE collection_id=? AND source=?", (collection.id, source)
            ).fetchone()
            return _document_row(row, collection.name) if row else None

        return await self._run(q)

    async def put_document(self, collection: Collection, info: DocumentInfo, chunks: list[NewChunk]) -> None:
        rows = [
            (
                collection.id,
                info.id,
                c.text,
                c.indexed_text,
                json.dumps(list(c.headings)),
                c.page,
                c.page_end,
                c.start,
                c.end,
                np.asarray(c.vector, dtype=np.float32).tobytes(),
            )
            for c in chunks
        ]

        def q(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                old = db.execute(
                    "SELECT id FROM rag_documents WHERE collection_id=? AND source=?",
                    (collection.id, info.source),
                ).fetchone()
                if old is not None:
                    db.execute("DELETE FROM rag_chunks WHERE document_id=?", (old["id"],))
                    db.execute("DELETE FROM rag_documents WHERE id=?", (old["id"],))
                db.execute(
                    "INSERT INTO rag_documents (id, collection_id, source, title, content_hash, kind, pages,"
                    " chunks, bytes, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        info.id,
                        collection.id,
                        info.source,
                        info.title,
                        info.content_hash,
                        info.kind,
                        info.pages,
                        info.chunks,
                        info.bytes,
                        info.updated_at,
                    ),
                )
                db.executemany(
                    "INSERT INTO rag_chunks (collection_id, document_id, text, indexed_text, headings, page,"
                    " page_end, start_offset, end_offset, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                db.execute("UPDATE rag_collections SET version=version+1 WHERE id=?", (collection.id,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

        await self._run(q)

    async def list_documents(self, collection: Collection) -> list[DocumentInfo]:
        def q(db: sqlite3.Connection) -> list[DocumentInfo]:
            rows = db.execute(
                "SELECT * FROM rag_documents WHERE collection_id=? ORDER BY source", (collection.id,)
            ).fetchall()
            return [_document_row(r, collection.name) for r in rows]

        return await self._run(q)

    async def delete_document(self, collection: Collection, document_id: str) -> bool:
        def q(db: sqlite3.Connection) -> bool:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "DELETE FROM rag_chunks WHERE document_id=? AND collection_id=?",
                    (document_id, collection.id),
                )
                cur = db.execute(
                    "DELETE FROM rag_documents WHERE id=? AND collection_id=?", (document_id, collection.id)
                )
                db.execute("UPDATE rag_collections SET version=version+1 WHERE id=?", (collection.id,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return cur.rowcount > 0

        return await self._run(q)

    async def version(self, collection: Collection) -> int:
        def q(db: sqlite3.Connection) -> int:
            row = db.execute("SELECT version FROM rag_collections WHERE id=?", (collection.id,)).fetchone()
            return int(row["version"]) if row else -1

        return await self._run(q)

    # -- search ------------------------------------------------------------------------------------

    async def _dense_index(self, collection: Collection) -> _DenseIndex:
        version = await self.version(collection)
        index = self._indexes.get(collection.id)
        if index is not None and index.version == version:
            return index

        def load(db: sqlite3.Connection) -> _DenseIndex:
            rows = db.execute(
                "SELECT id, document_id, vector FROM rag_chunks WHERE collection_id=? ORDER BY id",
                (collection.id,),
            ).fetchall()
            ids = np.fromiter((r["id"] for r in rows), dtype=np.int64, count=len(rows))
            matrix = np.empty((len(rows), collection.dimensions), dtype=np.float32)
            for i, r in enumerate(rows):
                matrix[i] = np.frombuffer(r["vector"], dtype=np.float32)
            return _DenseIndex(version, ids, [r["document_id"] for r in rows], matrix)

        index = await self._run(load)
        self._indexes[collection.id] = index
        return index

    async def dense_search(
        self, collection: Collection, vector: list[float], k: int, document_ids: list[str] | None = None
    ) -> list[tuple[int, float]]:
        index = await self._dense_index(collection)
        if len(index.ids) == 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(query)) or 1.0
        scores = index.matrix @ (query / norm)
        if document_ids is not None:
            wanted = set(document_ids)
            mask = np.fromiter((d in wanted for d in index.doc_ids), dtype=bool, count=len(index.doc_ids))
            scores = np.where(mask, scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(index.ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]

    async def vectors(self, collection: Collection, ids: list[int]) -> dict[int, list[float]]:
        index = await self._dense_index(collection)
        return {i: index.matrix[index.rows[i]].tolist() for i in ids if i in index.rows}

    async def lexical_corpus(self, collection: Collection) -> tuple[list[int], list[str], list[str]]:
        def q(db: sqlite3.Connection) -> tuple[list[int], list[str], list[str]]:
            rows = db.execute(
                "SELECT id, document_id, indexed_text FROM rag_chunks WHERE collection_id=? ORDER BY id",
                (collection.id,),
            ).fetchall()
            return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]

        return await self._run(q)

    async def get_chunks(self, ids: list[int]) -> dict[int, StoredChunk]:
        if not ids:
            return {}

        def q(db: sqlite3.Connection) -> dict[int, StoredChunk]:
            marks = ",".join("?" * len(ids))
            rows: list[Any] = db.execute(
                "SELECT c.id, c.document_id, d.source, d.title, c.text, c.headings, c.page, c.page_end,"
                " c.start_offset, c.end_offset FROM rag_chunks c"
                f" JOIN rag_documents d ON d.id = c.document_id WHERE c.id IN ({marks})",
                ids,
            ).fetchall()
            return {r[0]: stored_chunk(r) for r in rows}

        return await self._run(q)
