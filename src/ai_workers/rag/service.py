"""The RAG service: ingest documents into an app's collections and answer questions from them.

It owns no model: embeddings, reranking and chat come in as async callables (``rag.types.Embed`` ...)
which ``rag.gateway_calls`` binds to the gateway's own pipeline, so every model call is cached, costed,
budgeted and recorded like any other request of the calling app. Every method takes the app name first;
collections are looked up by (app, name), so one app can never read or change another's.

Retrieval: BM25 and dense search each return ``candidates`` chunks, reciprocal rank fusion merges them,
the reranker (when there is one) scores the best ``rerank_candidates`` and its ranking is fused in with
``rerank_weight``. The ``local`` reranker runs in-process on the stored vectors and term matches
(``rag.rerank``); a named rerank model goes through the gateway. Each step's latency and cost is
reported in the result.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from ai_workers.core.errors import (
    AIWorkersError,
    ConfigurationError,
    InvalidRequestError,
    UpstreamFailedError,
)
from ai_workers.rag import answer as answers
from ai_workers.rag import rerank as local_rerank
from ai_workers.rag.chunking import indexed_text
from ai_workers.rag.config import RagConfig
from ai_workers.rag.fusion import rrf
from ai_workers.rag.ingest import Prepared, content_hash, iter_files, prepare, read_file
from ai_workers.rag.lexical import LexicalIndex
from ai_workers.rag.stores.base import ChunkStore
from ai_workers.rag.types import (
    Answer,
    Chat,
    Citation,
    Collection,
    DocumentInfo,
    Embed,
    IngestItem,
    IngestReport,
    Rerank,
    Source,
    StepCost,
)


class CollectionNotFoundError(InvalidRequestError):
    status = 404
    code = "collection_not_found"


Progress = Callable[[IngestItem, int, int], None]
"""Called after each file with (what happened, files done, files total)."""

RETRIEVAL_MODES = ("bm25", "dense", "hybrid", "rerank")
ANSWER_MODES = ("auto", "generative", "extractive", "none")
# A collection name is also a URL path segment (DELETE /api/rag/collections/{name}).
COLLECTION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def check_collection_name(name: object, param: str = "collection") -> str:
    """The collection-name rule every interface (HTTP, library, CLI) applies: 1-128 letters, digits,
    ``.``, ``_`` or ``-``, starting with a letter or digit."""
    if not name:
        raise InvalidRequestError(f"{param}: this field is required", param=param)
    if not isinstance(name, str) or not COLLECTION_NAME.fullmatch(name):
        raise InvalidRequestError(
            f"{param}: use 1-128 letters, digits, '.', '_' or '-' (starting with a letter or digit)",
            param=param,
        )
    return name


class _Timer:
    def __init__(self) -> None:
        self.steps: dict[str, StepCost] = {}

    def add(
        self,
        name: str,
        started: float,
        cost: float = 0.0,
        model: str | None = None,
        provider: str | None = None,
    ) -> None:
        ms = (time.perf_counter() - started) * 1000.0
        prev = self.steps.get(name)
        if prev is not None:
            ms += prev.ms
            cost += prev.cost_usd
        self.steps[name] = StepCost(ms=round(ms, 3), cost_usd=cost, model=model, provider=provider)

    def total_cost(self) -> float:
        return sum(s.cost_usd for s in self.steps.values())


class RagService:
    def __init__(
        self,
        store: ChunkStore,
        *,
        embed: Embed,
        rerank: Rerank | None = None,
        chat: Chat | None = None,
        config: RagConfig | None = None,
        lexical: LexicalIndex | None = None,
    ) -> None:
        self.store = store
        self.embed = embed
        self.rerank = rerank
        self.chat = chat
        self.config = config or RagConfig()
        self.lexical = lexical or LexicalIndex(store)

    async def open(self) -> None:
        await self.store.open()

    async def aclose(self) -> None:
        await self.store.close()

    # -- collections -------------------------------------------------------------------------------

    def collection_name(self, name: str | None) -> str:
        """The named collection, or the app's default one (``rag.default_collection``)."""
        return check_collection_name(name or self.config.default_collection)

    async def _collection(self, app: str, name: str) -> Collection:
        found = await self.store.get_collection(app, name)
        if found is None:
            raise CollectionNotFoundError(f"no collection named '{name}' for this app", param="collection")
        return found

    async def _open_collection(self, app: str, name: str, embedding_model: str | None) -> Collection:
        existing = await self.store.get_collection(app, name)
        model = embedding_model or (existing.embedding_model if existing else self.config.embedding_model)
        if existing is not None:
            if existing.embedding_model != model:
                raise InvalidRequestError(
                    f"collection '{name}' holds {existing.embedding_model} embeddings; it cannot take "
                    f"{model} vectors (one collection is one vector space; use a new collection)",
                    param="embedding_model",
                )
            return existing
        probe, _ = await self.embed(["dimension probe"], model)
        return await self.store.create_collection(app, name, model, len(probe[0]))

    async def list_collections(self, app: str) -> list[Collection]:
        return await self.store.list_collections(app)

    async def drop_collection(self, app: str, name: str) -> None:
        await self.store.drop_collection(await self._collection(app, name))

    async def list_documents(self, app: str, collection: str) -> list[DocumentInfo]:
        return await self.store.list_documents(await self._collection(app, collection))

    async def delete_document(self, app: str, collection: str, document_id: str) -> bool:
        return await self.store.delete_document(await self._collection(app, collection), document_id)

    # -- ingest ------------------------------------------------------------------------------------

    async def ingest_path(
        self,
        app: str,
        collection: str,
        path: str | Path,
        *,
        embedding_model: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """One file or every supported file under a folder. Sources are paths relative to the folder
        (or the file name), so re-ingesting the same folder from elsewhere still matches documents."""

        def find() -> tuple[Path, list[Path]] | None:
            root = Path(path).expanduser()
            if not root.exists():
                return None
            return (root if root.is_dir() else root.parent), list(iter_files(root))

        found = await asyncio.to_thread(find)
        if found is None:
            raise InvalidRequestError(f"no such file or folder: {path}", param="path")
        base, files = found

        async def load(index: int) -> tuple[str, bytes | str]:
            data = await asyncio.to_thread(read_file, files[index], self.config.max_file_bytes)
            return files[index].relative_to(base).as_posix(), data

        return await self._ingest(app, collection, len(files), load, embedding_model, progress)

    async def ingest_bytes(
        self,
        app: str,
        collection: str,
        files: list[tuple[str, bytes]],
        *,
        embedding_model: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Uploaded files as (file name, content)."""

        async def load(index: int) -> tuple[str, bytes | str]:
            name, data = files[index]
            if len(data) > self.config.max_file_bytes:
                return name, f"file larger than {self.config.max_file_bytes} bytes"
            return name, data

        return await self._ingest(app, collection, len(files), load, embedding_model, progress)

    async def _ingest(
        self,
        app: str,
        collection_name: str,
        total: int,
        load: Callable[[int], Awaitable[tuple[str, bytes | str]]],
        embedding_model: str | None,
        progress: Progress | None,
    ) -> IngestReport:
        timer = _Timer()
        collection = await self._open_collection(app, collection_name, embedding_model)
        items: list[IngestItem] = []
        pending: list[tuple[Prepared, DocumentInfo | None]] = []
        cfg = self.config

        def done(item: IngestItem) -> None:
            items.append(item)
            if progress is not None:
                progress(item, len(items), total)

        async def flush() -> None:
            if not pending:
                return
            texts = [t for prepared, _ in pending for t in prepared.texts]
            started = time.perf_counter()
            try:
                # Calls of similar-length texts: a model pads each batch to its longest text, so a
                # call mixing a 40-token list item with 256-token code blocks wastes most of its work.
                order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
                vectors: list[list[float]] = [[] for _ in texts]
                cost = 0.0
                for at in range(0, len(order), cfg.embed_batch):
                    part = order[at : at + cfg.embed_batch]
                    batch, spent = await self.embed([texts[i] for i in part], collection.embedding_model)
                    for i, vector in zip(part, batch, strict=True):
                        vectors[i] = vector
                    cost += spent
                timer.add("embed", started, cost, collection.embedding_model)
            except AIWorkersError as exc:
                timer.add("embed", started)
                for prepared, _ in pending:
                    done(
                        IngestItem(source=prepared.source, status="failed", error=f"embedding failed: {exc}")
                    )
                pending.clear()
                return
            at = 0
            for prepared, existing in pending:
                assert prepared.doc is not None
                count = len(prepared.chunks)
                started = time.perf_counter()
                info, rows = prepared.stored(
                    collection.name, vectors[at : at + count], doc_id=uuid.uuid4().hex
                )
                at += count
                await self.store.put_document(collection, info, rows)
                timer.add("store", started)
                done(
                    IngestItem(
                        source=prepared.source,
                        status="replaced" if existing else "added",
                        document_id=info.id,
                        chunks=count,
                        pages=info.pages,
                    )
                )
            pending.clear()

        for index in range(total):
            started = time.perf_counter()
            source, data = await load(index)
            if isinstance(data, str):
                done(IngestItem(source=source, status="failed", error=data))
                continue
            existing = await self.store.find_document(collection, source)
            if existing is not None and existing.content_hash == content_hash(data):
                done(
                    IngestItem(
                        source=source, status="skipped", document_id=existing.id, chunks=existing.chunks
                    )
                )
                continue
            prepared = await asyncio.to_thread(
                prepare, data, source, chunk_tokens=cfg.chunk_tokens, overlap_tokens=cfg.overlap_tokens
            )
            timer.add("parse", started)
            if prepared.error is not None:
                done(IngestItem(source=source, status="failed", error=prepared.error))
                continue
            pending.append((prepared, existing))
            if sum(len(p.texts) for p, _ in pending) >= cfg.embed_batch * 4:
                await flush()
        await flush()
        return IngestReport(collection=collection.name, items=items, steps=timer.steps)

    # -- retrieval ---------------------------------------------------------------------------------

    async def retrieve(
        self,
        app: str,
        question: str,
        collection: str,
        *,
        document_ids: list[str] | None = None,
        mode: str = "rerank",
        top_k: int | None = None,
        embedding_model: str | None = None,
        timer: _Timer | None = None,
    ) -> list[Source]:
        """Ranked sources for ``question``. ``mode``: bm25, dense, hybrid, or rerank (hybrid + rerank;
        without a reranker configured it is plain hybrid)."""
        if mode not in RETRIEVAL_MODES:
            raise InvalidRequestError(
                f"mode must be one of {', '.join(RETRIEVAL_MODES)}", param="options.mode"
            )
        if not question.strip():
            raise InvalidRequestError("question must not be empty", param="question")
        cfg = self.config
        timer = timer or _Timer()
        top_k = top_k or cfg.top_k
        coll = await self._collection(app, collection)
        if embedding_model is not None and embedding_model != coll.embedding_model:
            raise InvalidRequestError(
                f"collection '{collection}' was embedded with {coll.embedding_model}; querying it with "
                f"{embedding_model} would compare vectors from different spaces",
                param="options.embedding_model",
            )

        bm25_hits: list[tuple[int, float]] = []
        dense_hits: list[tuple[int, float]] = []
        query_vector: list[float] | None = None
        if mode != "dense":
            started = time.perf_counter()
            bm25_hits = await self.lexical.search(coll, question, cfg.candidates, document_ids)
            timer.add("bm25", started)
        if mode != "bm25":
            started = time.perf_counter()
            vectors, cost = await self.embed([question], coll.embedding_model)
            timer.add("embed_query", started, cost, coll.embedding_model)
            started = time.perf_counter()
            query_vector = vectors[0]
            dense_hits = await self.store.dense_search(coll, query_vector, cfg.candidates, document_ids)
            timer.add("dense", started)

        signals: dict[int, dict[str, float]] = {}
        for name, hits in (("bm25", bm25_hits), ("dense", dense_hits)):
            for chunk_id, score in hits:
                signals.setdefault(chunk_id, {})[name] = round(score, 6)
        if mode == "bm25":
            ranked = [cid for cid, _ in bm25_hits]
            final = {cid: score for cid, score in bm25_hits}
        elif mode == "dense":
            ranked = [cid for cid, _ in dense_hits]
            final = {cid: score for cid, score in dense_hits}
        else:
            fused = rrf([[c for c, _ in bm25_hits], [c for c, _ in dense_hits]], k=cfg.rrf_k)
            ranked = sorted(fused, key=lambda c: fused[c], reverse=True)
            final = fused
            for cid, score in fused.items():
                signals[cid]["rrf"] = round(score, 6)

        model = cfg.rerank_model
        local = model == local_rerank.LOCAL_MODEL
        reranking = mode == "rerank" and (local or (model is not None and self.rerank is not None))
        depth = max(top_k, cfg.rerank_candidates) if reranking else top_k
        chunks = await self.store.get_chunks(ranked[:depth])
        ranked = [cid for cid in ranked[:depth] if cid in chunks]

        if reranking and ranked:
            assert model is not None
            started = time.perf_counter()
            if local:
                # In-process: stored vectors and term matches, no model call (see rag/rerank.py).
                dense: dict[int, float] = {}
                if query_vector is not None:
                    stored = await self.store.vectors(coll, ranked)
                    dense = local_rerank.cosines(query_vector, stored)
                    # Every candidate now has a cosine (BM25-only hits had none): answer.confidence uses it.
                    for cid, cosine in dense.items():
                        signals.setdefault(cid, {}).setdefault("dense", round(cosine, 6))
                scores = local_rerank.score(
                    self.lexical.terms([question])[0],
                    dense,
                    [chunks[cid] for cid in ranked],
                    self.lexical.terms,
                )
                cost = 0.0
            else:
                assert self.rerank is not None
                passages = [
                    answers_text(chunks[cid].title, chunks[cid].headings, chunks[cid].text) for cid in ranked
                ]
                scores, cost = await self.rerank(question, passages, model)
            timer.add("rerank", started, cost, model)
            for cid, score in zip(ranked, scores, strict=True):
                signals.setdefault(cid, {})["rerank"] = round(float(score), 6)
            by_rerank = sorted(ranked, key=lambda c: signals[c]["rerank"], reverse=True)
            fused = rrf([ranked, by_rerank], k=cfg.rrf_k, weights=[1.0, cfg.rerank_weight])
            ranked = sorted(ranked, key=lambda c: fused[c], reverse=True)
            final = {cid: signals[cid]["rerank"] for cid in ranked}

        sources: list[Source] = []
        for n, cid in enumerate(ranked[:top_k], start=1):
            chunk = chunks[cid]
            sources.append(
                Source(
                    n=n,
                    chunk_id=cid,
                    document_id=chunk.document_id,
                    source=chunk.source,
                    title=chunk.title,
                    headings=list(chunk.headings),
                    page=chunk.page,
                    text=chunk.text,
                    score=round(final[cid], 6),
                    scores=signals.get(cid, {}),
                )
            )
        return sources

    # -- answers -----------------------------------------------------------------------------------

    async def query(
        self,
        app: str,
        question: str,
        collection: str,
        *,
        document_ids: list[str] | None = None,
        top_k: int | None = None,
        mode: str = "rerank",
        answer_mode: str = "auto",
        embedding_model: str | None = None,
    ) -> Answer:
        """Retrieve, then answer with citations. ``answer_mode``: auto (generative when a chat model is
        configured and reachable, else extractive), generative, extractive, or none (sources only).

        The app's default collection (``rag.default_collection``) that holds no documents yet answers
        "not found" instead of a 404: a client that names no collection asked about "its documents",
        and there are none."""
        started = time.perf_counter()
        timer = _Timer()
        if collection == self.config.default_collection and (
            await self.store.get_collection(app, collection) is None
        ):
            elapsed = round((time.perf_counter() - started) * 1000.0, 3)
            return Answer(
                question=question,
                collection=collection,
                answer=answers.NOT_FOUND if answer_mode != "none" else "",
                found=False,
                mode="none" if answer_mode == "none" else "extractive",
                citations=[],
                sources=[],
                steps={},
                cost_usd=0.0,
                latency_ms=elapsed,
                provider="local",
                cost=0.0,
                latency=elapsed,
                confidence=0.0,
                note=f"the app's default collection '{collection}' holds no documents yet",
            )
        sources = await self.retrieve(
            app,
            question,
            collection,
            document_ids=document_ids,
            mode=mode,
            top_k=top_k,
            embedding_model=embedding_model,
            timer=timer,
        )
        confidence = round(answers.confidence(question, sources), 4)
        note: str | None = None
        result_mode = "extractive"
        text, found = answers.NOT_FOUND, False
        citations: list[Citation] = []
        provider = "local"  # extractive answers (and none) are computed in-process
        chat_model = self.config.chat_model
        want_chat = answer_mode == "generative" or (answer_mode == "auto" and chat_model and self.chat)
        if answer_mode == "generative" and (self.chat is None or not chat_model):
            raise ConfigurationError("no chat model is configured for RAG answers (rag.chat_model)")
        if answer_mode == "none":
            result_mode, text, found = "none", "", bool(sources)
        elif want_chat and sources:
            assert self.chat is not None and chat_model is not None
            step = time.perf_counter()
            try:
                reply, cost, answered_by = await self.chat(
                    answers.SYSTEM_PROMPT, answers.grounded_prompt(question, sources), chat_model
                )
                timer.add("answer", step, cost, chat_model, answered_by)
                text, found, citations = answers.parse_generated(reply, sources)
                result_mode = "generative"
                provider = answered_by or provider
            except (ConfigurationError, UpstreamFailedError) as exc:
                # No chat provider configured or reachable: the extractive answer still answers.
                if answer_mode == "generative":
                    raise
                timer.add("answer", step)
                note = f"chat model unavailable ({exc.message}); extractive answer"
        if result_mode == "extractive" and sources and confidence >= self.config.min_confidence:
            step = time.perf_counter()
            text, citations = answers.extractive(question, sources)
            found = True
            timer.add("answer", step)
        cost = timer.total_cost()
        latency = round((time.perf_counter() - started) * 1000.0, 3)
        return Answer(
            question=question,
            collection=collection,
            answer=text,
            found=found,
            mode=result_mode,
            citations=citations,
            sources=sources,
            steps=timer.steps,
            cost_usd=cost,
            latency_ms=latency,
            provider=provider,
            cost=cost,
            latency=latency,
            confidence=confidence,
            note=note,
        )


def answers_text(title: str, headings: tuple[str, ...], text: str) -> str:
    """The passage a reranker sees: heading path then text (the same context the indexes saw)."""
    return indexed_text(title, headings, text)
