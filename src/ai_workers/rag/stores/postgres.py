"""PostgreSQL + pgvector store: chunks and an HNSW (cosine) index in the server, shared by all workers.

Vectors live in one table per dimension count (``aiw_rag_vectors_384``...) because a pgvector HNSW index
needs a fixed-width column; each collection records its embedding model and dimensions, so a query is
always answered within one vector space. Collection isolation is a ``WHERE collection_id = $1`` filter;
pgvector 0.8's iterative index scan (``hnsw.iterative_scan``) keeps filtered queries returning ``k``
rows even when the collection is a small part of the table.

asyncpg is used directly (not through SQLAlchemy) because the pgvector codec and the per-query
``SET LOCAL`` knobs are simplest there, and the store is its own schema, not part of the usage tables.
"""

from __future__ import annotations

import json
import time
from typing import Any

from ai_workers.core.errors import ConfigurationError
from ai_workers.rag.stores.base import ChunkStore, NewChunk, stored_chunk
from ai_workers.rag.types import Collection, DocumentInfo, StoredChunk

_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS aiw_rag_collections (
    id BIGSERIAL PRIMARY KEY,
    app TEXT NOT NULL,
    name TEXT NOT NULL,
    embedding_model TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    created_at DOUBLE PRECISION NOT NULL,
    UNIQUE (app, name)
);
CREATE TABLE IF NOT EXISTS aiw_rag_documents (
    id TEXT PRIMARY KEY,
    collection_id BIGINT NOT NULL REFERENCES aiw_rag_collections(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    pages INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    bytes BIGINT NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    UNIQUE (collection_id, source)
);
CREATE TABLE IF NOT EXISTS aiw_rag_chunks (
    id BIGSERIAL PRIMARY KEY,
    collection_id BIGINT NOT NULL REFERENCES aiw_rag_collections(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES aiw_rag_documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    indexed_text TEXT NOT NULL,
    headings JSONB NOT NULL,
    page INTEGER,
    page_end INTEGER,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS aiw_rag_chunks_collection ON aiw_rag_chunks (collection_id);
CREATE INDEX IF NOT EXISTS aiw_rag_chunks_document ON aiw_rag_chunks (document_id);
"""


def _floats(value: Any) -> list[float]:
    """A pgvector value as floats: the codec gives a ``Vector`` (``to_list``) or a numpy array."""
    items = value.to_list() if hasattr(value, "to_list") else value
    return [float(x) for x in items]


def _vector_table(dimensions: int) -> str:
    return f"aiw_rag_vectors_{int(dimensions)}"


def _dsn(url: str) -> str:
    """SQLAlchemy-style URLs (``postgresql+asyncpg://``) to the libpq form asyncpg takes."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


def _document(row: Any, collection: str) -> DocumentInfo:
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


def _collection(row: Any) -> Collection:
    return Collection(
        id=row["id"],
        app=row["app"],
        name=row["name"],
        embedding_model=row["embedding_model"],
        dimensions=row["dimensions"],
        version=row["version"],
    )


class PostgresStore(ChunkStore):
    def __init__(self, url: str, *, ef_search: int = 100, pool_size: int = 4) -> None:
        self.url = url
        self.ef_search = ef_search
        self.pool_size = pool_size
        self._pool: Any = None
        self._vector_tables: set[int] = set()

    async def open(self) -> None:
        if self._pool is not None:
            return
        try:
            import asyncpg
            from pgvector.asyncpg import register_vector
        except ImportError as exc:
            raise ConfigurationError(
                "the PostgreSQL RAG store needs asyncpg and pgvector: pip install 'ai-workers[postgres]'"
            ) from exc
        dsn = _dsn(self.url)
        setup = await asyncpg.connect(dsn)
        try:
            # One session at a time creates the schema (several workers may start together).
            async with setup.transaction():
                await setup.execute("SELECT pg_advisory_xact_lock(7272727)")
                await setup.execute(_SCHEMA)
        finally:
            await setup.close()
        # min_size=0: asyncpg keeps no connection floor, whose upkeep logs a traceback every few seconds
        # while the database is down.
        self._pool = await asyncpg.create_pool(dsn, min_size=0, max_size=self.pool_size, init=register_vector)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def _conn(self) -> Any:
        if self._pool is None:
            raise RuntimeError("PostgresStore.open() was not awaited")
        return self._pool.acquire()

    async def _ensure_vector_table(self, dimensions: int) -> None:
        if dimensions in self._vector_tables:
            return
        table = _vector_table(dimensions)
        async with self._conn() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(7272728)")
            await conn.execute(
                f"CREATE TABLE IF NOT EXISTS {table} ("
                " chunk_id BIGINT PRIMARY KEY REFERENCES aiw_rag_chunks(id) ON DELETE CASCADE,"
                " collection_id BIGINT NOT NULL,"
                " document_id TEXT NOT NULL,"
                f" embedding vector({int(dimensions)}) NOT NULL)"
            )
            await conn.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_hnsw ON {table} USING hnsw (embedding vector_cosine_ops)"
            )
            await conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_collection ON {table} (collection_id)")
        self._vector_tables.add(dimensions)

    # -- collections -------------------------------------------------------------------------------

    async def get_collection(self, app: str, name: str) -> Collection | None:
        async with self._conn() as conn:
            row = await conn.fetchrow("SELECT * FROM aiw_rag_collections WHERE app=$1 AND name=$2", app, name)
        return _collection(row) if row else None

    async def create_collection(
        self, app: str, name: str, embedding_model: str, dimensions: int
    ) -> Collection:
        await self._ensure_vector_table(dimensions)
        async with self._conn() as conn:
            await conn.execute(
                "INSERT INTO aiw_rag_collections (app, name, embedding_model, dimensions, created_at)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (app, name) DO NOTHING",
                app,
                name,
                embedding_model,
                dimensions,
                time.time(),
            )
            row = await conn.fetchrow("SELECT * FROM aiw_rag_collections WHERE app=$1 AND name=$2", app, name)
        return _collection(row)

    async def list_collections(self, app: str) -> list[Collection]:
        async with self._conn() as conn:
            rows = await conn.fetch("SELECT * FROM aiw_rag_collections WHERE app=$1 ORDER BY name", app)
        return [_collection(r) for r in rows]

    async def embedding_models(self) -> list[str]:
        async with self._conn() as conn:
            rows = await conn.fetch("SELECT DISTINCT embedding_model FROM aiw_rag_collections ORDER BY 1")
        return [str(r[0]) for r in rows]

    async def drop_collection(self, collection: Collection) -> None:
        await self._ensure_vector_table(collection.dimensions)
        async with self._conn() as conn, conn.transaction():
            await conn.execute(
                f"DELETE FROM {_vector_table(collection.dimensions)} WHERE collection_id=$1", collection.id
            )
            await conn.execute("DELETE FROM aiw_rag_collections WHERE id=$1", collection.id)

    # -- documents ---------------------------------------------------------------------------------

    async def find_document(self, collection: Collection, source: str) -> DocumentInfo | None:
        async with self._conn() as conn:
            row = await conn.fetchrow(
                "SELECT * FROM aiw_rag_documents WHERE collection_id=$1 AND source=$2", collection.id, source
            )
        return _document(row, collection.name) if row else None

    async def put_document(self, collection: Collection, info: DocumentInfo, chunks: list[NewChunk]) -> None:
        import numpy as np

        await self._ensure_vector_table(collection.dimensions)
        table = _vector_table(collection.dimensions)
        async with self._conn() as conn, conn.transaction():
            # Serialise writers of one document source so a concurrent re-ingest cannot interleave.
            await conn.execute("SELECT pg_advisory_xact_lock($1, hashtext($2))", collection.id, info.source)
            await conn.execute(
                "DELETE FROM aiw_rag_documents WHERE collection_id=$1 AND source=$2",
                collection.id,
                info.source,
            )
            await conn.execute(
                "INSERT INTO aiw_rag_documents (id, collection_id, source, title, content_hash, kind, pages,"
                " chunks, bytes, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
            )
            ids = await conn.fetch(
                "INSERT INTO aiw_rag_chunks (collection_id, document_id, text, indexed_text, headings, page,"
                " page_end, start_offset, end_offset)"
                " SELECT $1, $2, t, it, h::jsonb, p, pe, s, e FROM unnest($3::text[], $4::text[], $5::text[],"
                " $6::int[], $7::int[], $8::int[], $9::int[]) WITH ORDINALITY AS u(t, it, h, p, pe, s, e, n)"
                " ORDER BY n RETURNING id",
                collection.id,
                info.id,
                [c.text for c in chunks],
                [c.indexed_text for c in chunks],
                [json.dumps(list(c.headings)) for c in chunks],
                [c.page for c in chunks],
                [c.page_end for c in chunks],
                [c.start for c in chunks],
                [c.end for c in chunks],
            )
            await conn.copy_records_to_table(
                table,
                records=[
                    (row["id"], collection.id, info.id, np.asarray(c.vector, dtype=np.float32))
                    for row, c in zip(ids, chunks, strict=True)
                ],
                columns=["chunk_id", "collection_id", "document_id", "embedding"],
            )
            await conn.execute("UPDATE aiw_rag_collections SET version=version+1 WHERE id=$1", collection.id)

    async def list_documents(self, collection: Collection) -> list[DocumentInfo]:
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT * FROM aiw_rag_documents WHERE collection_id=$1 ORDER BY source", collection.id
            )
        return [_document(r, collection.name) for r in rows]

    async def delete_document(self, collection: Collection, document_id: str) -> bool:
        async with self._conn() as conn, conn.transaction():
            status = await conn.execute(
                "DELETE FROM aiw_rag_documents WHERE id=$1 AND collection_id=$2", document_id, collection.id
            )
            await conn.execute("UPDATE aiw_rag_collections SET version=version+1 WHERE id=$1", collection.id)
        return bool(status.endswith(" 1"))

    async def version(self, collection: Collection) -> int:
        async with self._conn() as conn:
            value = await conn.fetchval("SELECT version FROM aiw_rag_collections WHERE id=$1", collection.id)
        return int(value) if value is not None else -1

    # -- search ------------------------------------------------------------------------------------

    async def dense_search(
        self, collection: Collection, vector: list[float], k: int, document_ids: list[str] | None = None
    ) -> list[tuple[int, float]]:
        import numpy as np

        table = _vector_table(collection.dimensions)
        query = np.asarray(vector, dtype=np.float32)
        where = "collection_id = $2" + (
            " AND document_id = ANY($4::text[])" if document_ids is not None else ""
        )
        args: list[Any] = [query, collection.id, k]
        if document_ids is not None:
            args.append(document_ids)
        async with self._conn() as conn, conn.transaction():
            await conn.execute(f"SET LOCAL hnsw.ef_search = {max(int(self.ef_search), int(k))}")
            await conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            rows = await conn.fetch(
                f"SELECT chunk_id, embedding <=> $1 AS distance FROM {table} WHERE {where}"
                " ORDER BY embedding <=> $1 LIMIT $3",
                *args,
            )
        hits = [(int(r["chunk_id"]), 1.0 - float(r["distance"])) for r in rows]
        hits.sort(key=lambda h: h[1], reverse=True)  # relaxed_order may return near-sorted rows
        return hits

    async def vectors(self, collection: Collection, ids: list[int]) -> dict[int, list[float]]:
        if not ids:
            return {}
        async with self._conn() as conn:
            rows = await conn.fetch(
                f"SELECT chunk_id, embedding FROM {_vector_table(collection.dimensions)}"
                " WHERE collection_id = $1 AND chunk_id = ANY($2::bigint[])",
                collection.id,
                ids,
            )
        return {int(r["chunk_id"]): _floats(r["embedding"]) for r in rows}

    async def lexical_corpus(self, collection: Collection) -> tuple[list[int], list[str], list[str]]:
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT id, document_id, indexed_text FROM aiw_rag_chunks WHERE collection_id=$1 ORDER BY id",
                collection.id,
            )
        return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]

    async def get_chunks(self, ids: list[int]) -> dict[int, StoredChunk]:
        if not ids:
            return {}
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT c.id, c.document_id, d.source, d.title, c.text, c.headings, c.page, c.page_end,"
                " c.start_offset, c.end_offset FROM aiw_rag_chunks c JOIN aiw_rag_documents d"
                " ON d.id = c.document_id WHERE c.id = ANY($1::bigint[])",
                ids,
            )
        return {r[0]: stored_chunk(r) for r in rows}
