"""The ``rag:`` config section (global) and the per-app ``apps.<name>.rag`` overrides."""

from __future__ import annotations

import msgspec


class RagConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    store: str = "embedded"  # "embedded" (SQLite file + in-process index) or "postgres" (pgvector)
    url: str | None = None  # embedded: a file path; postgres: a URL (default: settings.database_url)
    embedding_model: str = "all-minilm-l6-v2"
    # "auto": bge-reranker-base on Workers AI when that provider is configured, else "local" (the
    # in-process reranker of rag/rerank.py: stored vectors + term coverage, no model call); a catalog
    # rerank model name; or null for no reranking.
    rerank_model: str | None = "auto"
    chat_model: str | None = None  # null: extractive answers (no chat provider needed)
    # The collection a query or upload uses when it names none (the plan's API sends only documentIds).
    default_collection: str = "default"
    # The chat model that answers when a query asks for a provider (``options.provider``) the configured
    # chat_model is not served by: the plan lets an app pick where its answer runs, per request.
    provider_chat_models: dict[str, str] = msgspec.field(
        default_factory=lambda: {"cloudflare": "llama-3.3-70b-instruct-fp8-fast", "openai": "gpt-4o-mini"}
    )
    chunk_tokens: int = 200
    overlap_tokens: int = 40
    candidates: int = 50  # per retriever (BM25, dense) before fusion
    rerank_candidates: int = 20  # fused candidates sent to the reranker
    top_k: int = 5  # sources returned and given to the answer model
    rrf_k: int = 60
    rerank_weight: float = 1.0  # the reranker's weight when fused with the BM25 and dense ranks
    embed_batch: int = 64
    max_file_bytes: int = 50 * 1024 * 1024
    # Extractive mode refuses ("not found in the documents") below this confidence (see answer.py).
    min_confidence: float = 0.5
    # The server loads the local embedding model its collections use at start (~9 s of CPU, ~450 MB of
    # RSS measured), so the first query after a restart does not wait for it; false: on first query.
    warm_up: bool = True


class RagAppConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """Per-app overrides; unset fields fall back to the global section."""

    embedding_model: str | None = None
    rerank_model: str | None = None
    chat_model: str | None = None
    default_collection: str | None = None
    top_k: int | None = None
    min_confidence: float | None = None

    def apply(self, base: RagConfig) -> RagConfig:
        changes = {k: v for k, v in msgspec.structs.asdict(self).items() if v is not None}
        return msgspec.structs.replace(base, **changes) if changes else base
