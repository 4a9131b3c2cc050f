"""Chunk stores behind one interface: an embedded SQLite file (default) and PostgreSQL + pgvector."""

from ai_workers.rag.stores.base import ChunkStore, NewChunk
from ai_workers.rag.stores.factory import open_store

__all__ = ["ChunkStore", "NewChunk", "open_store"]
