"""Plumbing shared by the RAG bench scripts (bench/rag_eval.py, bench/bench_rag.py): the local
``embed`` callable, and a disk cache of local-model vectors.

Embedding the evaluation corpus with all-MiniLM-L6-v2 takes many minutes on 2 shared cores; with this
cache a re-run after a ranking change, or a chunking change that keeps most chunk texts, only embeds
texts it has not seen. Vectors are keyed by (model directory, text), so they are exactly what the model
returns for that text. Bench plumbing only: the product never caches embeddings this way.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from ai_workers.core.types import EmbeddingRequest
from ai_workers.providers.base import CallOptions
from ai_workers.providers.local import DEFAULT_MODEL_ID, LocalModel, LocalProvider
from ai_workers.rag.types import Embed


def local_embed(provider: LocalProvider) -> Embed:
    """The RAG service's ``embed`` callable on the local provider, called directly (no gateway): the
    bench scripts measure retrieval and ingest, not the pipeline. Reranking needs no callable: the
    ``local`` reranker runs inside the service."""

    async def embed(texts: list[str], model: str) -> tuple[list[list[float]], float]:
        request = EmbeddingRequest(model=model, input=texts)
        response = await provider.embed(DEFAULT_MODEL_ID, request, CallOptions())
        return response.vectors(), 0.0

    return embed


DEFAULT_PATH = Path.home() / ".cache/ai-workers/rag-eval/vectors.db"


class VectorCache:
    """Wraps ``LocalModel.encode``: cached texts come from disk, the rest from the model (and are kept)."""

    def __init__(self, path: Path, model: LocalModel) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS v (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
        self.model, self.encode_uncached = model, model.encode
        self.tag = model.path.as_posix()

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.tag}\0{text}".encode()).hexdigest()

    def install(self) -> None:
        """Route the model's ``encode`` through this cache."""
        self.model.encode = self.encode  # type: ignore[method-assign]

    def cached(self, texts: list[str]) -> dict[str, list[float]]:
        """The cached vectors among ``texts`` (by text), without embedding anything."""
        out: dict[str, list[float]] = {}
        by_key = {self.key(t): t for t in texts}
        keys = list(by_key)
        for at in range(0, len(keys), 500):
            part = keys[at : at + 500]
            marks = ",".join("?" * len(part))
            for k, blob in self.db.execute(f"SELECT k, v FROM v WHERE k IN ({marks})", part):
                out[by_key[k]] = np.frombuffer(blob, dtype=np.float32).tolist()
        return out

    async def encode(self, texts: list[str]) -> tuple[list[list[float]], int]:
        keys = [self.key(t) for t in texts]
        found: dict[str, list[float]] = {}
        for at in range(0, len(keys), 500):
            part = keys[at : at + 500]
            marks = ",".join("?" * len(part))
            for k, blob in self.db.execute(f"SELECT k, v FROM v WHERE k IN ({marks})", part):
                found[k] = np.frombuffer(blob, dtype=np.float32).tolist()
        missing = sorted({i for i, k in enumerate(keys) if k not in found}, key=lambda i: keys[i])
        missing_texts = list(dict.fromkeys(texts[i] for i in missing))
        for at in range(0, len(missing_texts), 256):  # saved as it goes: an interrupted run keeps its work
            batch = missing_texts[at : at + 256]
            vectors, _ = await self.encode_uncached(batch)
            rows = [
                (self.key(t), np.asarray(v, dtype=np.float32).tobytes())
                for t, v in zip(batch, vectors, strict=True)
            ]
            self.db.executemany("INSERT OR REPLACE INTO v VALUES (?, ?)", rows)
            self.db.commit()
            for t, v in zip(batch, vectors, strict=True):
                found[self.key(t)] = v
        return [found[k] for k in keys], 0
