"""Pick a chunk store from a URL.

Kept apart from ``base`` so the interface imports nothing below it: the implementations import
``base``, and only this module imports the implementations (lazily: asyncpg and numpy load only for
the store in use).
"""

from __future__ import annotations

from ai_workers.rag.stores.base import ChunkStore


def open_store(url: str) -> ChunkStore:
    """``postgresql://...`` (or ``postgresql+asyncpg://``) -> pgvector store; a path or sqlite URL ->
    the embedded store."""
    if url.startswith(("postgresql", "postgres:")):
        from ai_workers.rag.stores.postgres import PostgresStore

        return PostgresStore(url)
    from ai_workers.rag.stores.embedded import EmbeddedStore

    path = url.split(":///", 1)[1] if url.startswith("sqlite") else url
    return EmbeddedStore(path)
