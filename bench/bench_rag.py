"""RAG speed: ingest throughput with local embeddings, and retrieval latency at 10,000 chunks.

    apt-get install -y python3-doc                # the corpus (HTML under /usr/share/doc/python3.11/html)
    HF_HUB_OFFLINE=1 python bench/bench_rag.py    # both parts; --no-ingest / --no-retrieval / --no-postgres

1. Ingest: the evaluation corpus (bench/data/rag/questions.yaml's pages of the Python docs) through
   ``RagService.ingest_bytes`` into a fresh embedded store, with the local all-MiniLM-L6-v2 (the same
   ``LocalProvider`` the gateway runs). "Page" is printed two ways because corpus pages differ a lot in
   size: corpus HTML pages per second, and normalised pages (2,000 characters of extracted text) per
   second. Beside it, plain sentence-transformers (``SentenceTransformer.encode``, default settings)
   encodes exactly the same chunk texts, so the embedding path can be compared like for like.
2. Retrieval: 10,000 chunks (the Python docs' library/, tutorial/, howto/, faq/ and reference/ pages,
   chunked and embedded once, cached under --cache) loaded into the embedded store and into
   PostgreSQL + pgvector (started like tests/support/services.py does), then the evaluation questions
   asked in each mode (bm25, dense, hybrid, hybrid + rerank). The figure is ``RagService.retrieve``
   end to end: query embedding, BM25, dense search, fusion, fetching chunks, the local reranker; no
   answer model. p50 and p95 over all questions after one warm-up pass (which builds the BM25 index).

Figures are printed, never asserted. The machine's load average is printed beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import yaml  # noqa: E402
from bench.rag_vectors import DEFAULT_PATH, VectorCache, local_embed  # noqa: E402

from ai_workers.core.config import ProviderConfig  # noqa: E402
from ai_workers.providers.local import DEFAULT_MODEL_ID, LocalProvider, bundled_model_dir  # noqa: E402
from ai_workers.rag.chunking import document_text  # noqa: E402
from ai_workers.rag.config import RagConfig  # noqa: E402
from ai_workers.rag.ingest import prepare  # noqa: E402
from ai_workers.rag.service import RETRIEVAL_MODES, RagService  # noqa: E402
from ai_workers.rag.stores.base import ChunkStore, NewChunk  # noqa: E402
from ai_workers.rag.stores.embedded import EmbeddedStore  # noqa: E402
from ai_workers.rag.types import DocumentInfo  # noqa: E402

QUESTIONS = ROOT / "bench/data/rag/questions.yaml"
CORPUS = Path("/usr/share/doc/python3.11/html")
NORMALISED_PAGE = 2000  # characters of extracted text
APP, COLLECTION = "bench", "docs"


def load_avg() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def corpus_files(limit: int | None) -> list[tuple[str, bytes]]:
    spec = yaml.safe_load(QUESTIONS.read_text())
    root = Path(spec["corpus"]["root"])
    files = sorted({p for pattern in spec["corpus"]["pages"] for p in glob.glob(str(root / pattern))})
    if limit and limit < len(files):
        step = len(files) / limit  # evenly spread over the corpus, not just its first folder
        files = [files[int(i * step)] for i in range(limit)]
    return [(str(Path(f).relative_to(root)), Path(f).read_bytes()) for f in files]


def questions() -> list[str]:
    return [q["q"] for q in yaml.safe_load(QUESTIONS.read_text())["questions"]]


# -- 1. ingest ---------------------------------------------------------------------------------------


async def bench_ingest(limit: int | None, baseline: bool) -> None:
    uploads = corpus_files(limit)
    config = RagConfig(rerank_model=None)
    prepared = [
        prepare(data, name, chunk_tokens=config.chunk_tokens, overlap_tokens=config.overlap_tokens)
        for name, data in uploads
    ]
    chars = sum(len(document_text(p.doc)) for p in prepared if p.doc is not None)
    texts = [t for p in prepared for t in p.texts]
    normalised = chars / NORMALISED_PAGE
    print(
        f"corpus: {len(uploads)} HTML pages, {sum(len(d) for _, d in uploads) / 1e6:.1f} MB of HTML, "
        f"{chars / 1e6:.2f} M characters of text = {normalised:.0f} normalised pages of "
        f"{NORMALISED_PAGE} characters, {len(texts)} chunks"
    )

    provider = LocalProvider("local", ProviderConfig(type="local"))
    embed = local_embed(provider)
    await embed(["warm up the model"], DEFAULT_MODEL_ID)  # load time is not ingest time
    with tempfile.TemporaryDirectory(prefix="aiw-bench-rag-") as tmp:
        service = RagService(EmbeddedStore(Path(tmp) / "rag.db"), embed=embed, config=config)
        await service.open()
        print(f"measuring ingest ({load_avg()})")
        started = time.perf_counter()
        report = await service.ingest_bytes(APP, COLLECTION, uploads)
        took = time.perf_counter() - started
        await service.aclose()
    steps = ", ".join(f"{name} {step.ms / 1000:.1f} s" for name, step in report.steps.items())
    print(
        f"ai-workers ingest (parse + chunk + embed + store): {took:.1f} s -> "
        f"{len(uploads) / took:.2f} HTML pages/s, {normalised / took:.2f} normalised pages/s, "
        f"{len(texts) / took:.1f} chunks/s  [{steps}]"
    )
    embed_s = report.steps["embed"].ms / 1000
    print(
        f"  of which embedding alone: {embed_s:.1f} s -> {len(uploads) / embed_s:.2f} HTML pages/s, "
        f"{normalised / embed_s:.2f} normalised pages/s, {len(texts) / embed_s:.1f} chunks/s"
    )
    if not baseline:
        return

    def plain() -> float:
        import torch
        from sentence_transformers import SentenceTransformer

        # Plain means torch's default: one intra-op thread per core (the gateway's local provider set
        # torch to one thread in this process, and runs one shard per core instead).
        torch.set_num_threads(os.cpu_count() or 1)
        model = SentenceTransformer(str(bundled_model_dir()), device="cpu", local_files_only=True)
        model.encode(["warm up"])
        print(
            f"measuring plain sentence-transformers (torch threads {torch.get_num_threads()}; {load_avg()})"
        )
        started = time.perf_counter()
        model.encode(texts, show_progress_bar=False)
        return time.perf_counter() - started

    took = await asyncio.to_thread(plain)
    print(
        f"plain sentence-transformers encode of the same {len(texts)} chunks: {took:.1f} s -> "
        f"{len(uploads) / took:.2f} HTML pages/s, {normalised / took:.2f} normalised pages/s, "
        f"{len(texts) / took:.1f} chunks/s (embedding only: no parsing or storing)"
    )


# -- 2. retrieval ------------------------------------------------------------------------------------


def retrieval_corpus(
    cache_path: Path, target: int, real_vectors: bool = True
) -> tuple[list[tuple[DocumentInfo, list[NewChunk]]], int]:
    """``target`` real chunks of the Python docs with their real vectors (embedded once, cached)."""
    config = RagConfig()
    docs: list[Any] = []
    total = 0
    # The evaluation corpus first (its questions are the queries), then the rest of the docs.
    spec = yaml.safe_load(QUESTIONS.read_text())
    paths = sorted({Path(p) for pattern in spec["corpus"]["pages"] for p in glob.glob(str(CORPUS / pattern))})
    for pattern in ("library/*.html", "tutorial/*.html", "howto/*.html", "faq/*.html", "reference/*.html"):
        paths.extend(p for p in sorted(CORPUS.glob(pattern)) if p not in paths)
    for path in paths:
        p = prepare(
            path.read_bytes(),
            str(path.relative_to(CORPUS)),
            chunk_tokens=config.chunk_tokens,
            overlap_tokens=config.overlap_tokens,
        )
        if p.doc is None:
            continue
        take = p.chunks[: target - total]
        docs.append((p, len(take)))
        total += len(take)
        if total >= target:
            break
    texts = [t for p, n in docs for t in p.texts[:n]]
    from ai_workers.providers.local import shared_model

    model = shared_model(bundled_model_dir())
    cache = VectorCache(cache_path, model)
    if real_vectors:

        async def run() -> list[list[float]]:
            return (await cache.encode(texts))[0]

        print(f"vectors for {len(texts)} chunks (embedded once, then read from {cache_path})", flush=True)
        vectors = np.asarray(asyncio.run(run()), dtype=np.float32)
    else:
        # Latency only: chunks the cache has not embedded yet get random unit vectors (for HNSW the
        # pessimistic case: random directions have no cluster structure to exploit).
        known = cache.cached(texts)
        rng = np.random.default_rng(7)
        vectors = rng.standard_normal((len(texts), 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        for i, text in enumerate(texts):
            if text in known:
                vectors[i] = known[text]
        print(
            f"vectors: {len(known)} of {len(texts)} chunks have their real embedding from {cache_path};"
            f" {len(texts) - len(known)} have random unit vectors (--cached-vectors: a latency-only run)"
        )
    out: list[tuple[DocumentInfo, list[NewChunk]]] = []
    at = 0
    for number, (p, n) in enumerate(docs):
        p.chunks, p.texts = p.chunks[:n], p.texts[:n]  # the corpus is cut at exactly the target
        info, chunks = p.stored(COLLECTION, vectors[at : at + n].tolist(), doc_id=f"doc{number:05d}")
        at += n
        out.append((info, chunks))
    return out, len(texts)


async def bench_store(name: str, store: ChunkStore, docs: list[tuple[DocumentInfo, list[NewChunk]]]) -> None:
    provider = LocalProvider("local", ProviderConfig(type="local"))
    embed = local_embed(provider)
    service = RagService(store, embed=embed, config=RagConfig(rerank_model="local"))
    await service.open()
    collection = await store.create_collection(APP, COLLECTION, DEFAULT_MODEL_ID.lower(), 384)
    started = time.perf_counter()
    for info, chunks in docs:
        await store.put_document(collection, info, chunks)
    print(f"{name}: stored {sum(len(c) for _, c in docs)} chunks in {time.perf_counter() - started:.1f} s")
    service.config = RagConfig(rerank_model="local", embedding_model=collection.embedding_model)
    asked = questions()
    for q in asked[:5]:  # warm-up: BM25 index build, dense matrix load, model load
        for mode in RETRIEVAL_MODES:
            await service.retrieve(APP, q, COLLECTION, mode=mode)
    print(f"  measuring {len(asked)} questions per mode ({load_avg()})")
    for mode in RETRIEVAL_MODES:
        latencies: list[float] = []
        steps: dict[str, list[float]] = {}
        for q in asked:
            from ai_workers.rag.service import _Timer

            timer = _Timer()
            t = time.perf_counter()
            await service.retrieve(APP, q, COLLECTION, mode=mode, timer=timer)
            latencies.append((time.perf_counter() - t) * 1000)
            for step, cost in timer.steps.items():
                steps.setdefault(step, []).append(cost.ms)
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
        detail = ", ".join(f"{s} {statistics.median(v):.1f}" for s, v in steps.items())
        label = "hybrid + rerank" if mode == "rerank" else mode
        print(
            f"  {label:<16} p50 {statistics.median(latencies):7.1f} ms   p95 {p95:7.1f} ms"
            f"   (median per step, ms: {detail})"
        )
    await service.aclose()


async def bench_retrieval(cache: Path, target: int, postgres: bool, real_vectors: bool) -> None:
    docs, count = await asyncio.to_thread(retrieval_corpus, cache, target, real_vectors)
    print(f"retrieval corpus: {count} chunks from {len(docs)} pages of the Python docs")
    with tempfile.TemporaryDirectory(prefix="aiw-bench-rag-") as tmp:
        await bench_store("embedded store (SQLite + numpy)", EmbeddedStore(Path(tmp) / "rag.db"), docs)
    if postgres:
        from tests.support.services import postgres_server

        from ai_workers.rag.stores.postgres import PostgresStore

        with postgres_server() as url:
            await bench_store("PostgreSQL + pgvector (HNSW)", PostgresStore(url), docs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-ingest", action="store_true")
    parser.add_argument("--no-baseline", action="store_true", help="skip plain sentence-transformers")
    parser.add_argument("--no-retrieval", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--pages", type=int, default=None, help="ingest N pages spread over the corpus")
    parser.add_argument("--chunks", type=int, default=10_000, help="retrieval corpus size")
    parser.add_argument("--cache", default=str(DEFAULT_PATH), help="vector cache (shared with rag_eval.py)")
    parser.add_argument("--embed-only", action="store_true", help="only fill the vector cache, no timing")
    parser.add_argument(
        "--cached-vectors",
        action="store_true",
        help="retrieval: do not embed chunks missing from the cache; give them random unit vectors",
    )
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"corpus not found at {CORPUS}: apt-get install -y python3-doc")
    if args.embed_only:
        retrieval_corpus(Path(args.cache), args.chunks)
        return
    if not args.no_ingest:
        asyncio.run(bench_ingest(args.pages, not args.no_baseline))
        print()
    if not args.no_retrieval:
        asyncio.run(
            bench_retrieval(Path(args.cache), args.chunks, not args.no_postgres, not args.cached_vectors)
        )


if __name__ == "__main__":
    main()
