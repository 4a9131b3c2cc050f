"""Train the PHI detector's learned second look (``safety/phi/tagger.py``) on the tuning corpora.

The model sees what it will see at run time: the word tokens the rules left uncovered in each training
document (the rules run first, without the tagger), labelled with the gold span covering them (grouped
into ``tagger.CLASSES``) or "O". Features that occur fewer than ``--min-count`` times are dropped; the
rest go into a multinomial logistic regression (scikit-learn, the ``train`` extra), whose weights are
written to ``src/ai_workers/data/phi_tagger.npz`` with the decision threshold.

Choosing the threshold: ``--validate PART`` trains on the other parts, then scores the detector with the
tagger on PART at each ``--thresholds`` value (character recall, precision, PHI-free documents touched)
and writes nothing. The shipped model is trained on every ``--parts`` part with the chosen
``--threshold``. The blind part (v6) is never a training or validation part here.

    python bench/train_phi_tagger.py --validate v5                  # pick a threshold
    python bench/train_phi_tagger.py --threshold 0.5                # train on all, write the model
"""

from __future__ import annotations

import argparse
import contextlib
import io
import pickle
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ai_workers.safety.phi import PhiDetector  # noqa: E402
from ai_workers.safety.phi.tagger import (  # noqa: E402
    CLASSES,
    MODEL_PATH,
    TEMPLATES,
    TaggerModel,
    candidates_of,
    covering_types,
    feature_name,
    group,
    text_case,
    token_values,
    tokens_of,
    words_of,
)
from phi_blind_eval import load as load_blind  # noqa: E402
from phi_blind_eval import score  # noqa: E402
from phi_eval import load_set  # noqa: E402

# The blind corpora that are tuning data now, and the project's labelled sets (tests/data/phi/:
# "labelled", "heldout", "heldout2", read by bench/phi_eval.py), which add PHI-free clinical sentences.
PARTS = ("dev", "test", "v2", "v3dev", "v3", "v4", "v5", "labelled", "heldout", "heldout2")
BLIND = ("v6",)
CACHE = Path("/tmp/phi_tagger_cache")


def load(part: str) -> list[dict[str, Any]]:
    if part == "labelled":
        return load_set()
    if part.startswith("heldout"):
        return load_set(heldout=part)
    return load_blind(part)


def rule_spans(part: str, rows: list[dict[str, Any]]) -> list[list[tuple[int, int, str]]]:
    """The rules' spans (no tagger) for each document, cached per part and detector source."""
    CACHE.mkdir(exist_ok=True)
    source = (HERE.parent / "src" / "ai_workers" / "safety" / "phi").glob("*.py")
    stamp = max(p.stat().st_mtime_ns for p in source)
    path = CACHE / f"{part}-{stamp}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())  # type: ignore[no-any-return]
    detector = PhiDetector(learned=False, cache_size=0)
    spans = [[(s.start, s.end, s.type) for s in detector.detect(row["text"])] for row in rows]
    path.write_bytes(pickle.dumps(spans))
    return spans


def examples(parts: list[str]) -> tuple[list[list[str]], list[int]]:
    features: list[list[str]] = []
    labels: list[int] = []
    for part in parts:
        assert part not in BLIND, "the blind part is never trained on"
        rows = load(part)
        for row, ruled_spans in zip(rows, rule_spans(part, rows), strict=True):
            text = row["text"]
            tokens = tokens_of(text)
            ruled = covering_types(tokens, ruled_spans)
            # Every word token, covered by a rule or not: the residual the rules leave on the texts they were
            # tuned on is too small to learn from (862 PHI tokens in 268k), while the whole texts teach
            # what makes a token PHI; at run time the model is asked only about the uncovered ones.
            case = text_case(text)
            words = words_of(text, tokens)
            candidates = candidates_of(text, tokens, words, [""] * len(tokens), case)
            gold = covering_types(tokens, [(g["start"], g["end"], g["type"]) for g in row["spans"]])
            features.extend(
                [feature_name(t, v) for t, v in zip(TEMPLATES, values, strict=True)]
                for values in token_values(text, tokens, words, ruled, candidates, case)
            )
            labels.extend(CLASSES.index(group(gold[i])) if gold[i] else 0 for i in candidates)
    return features, labels


def fit(parts: list[str], min_count: int, c: float, prune: float) -> TaggerModel:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    features, labels = examples(parts)
    counts = Counter(f for row in features for f in row)
    names = sorted(f for f, n in counts.items() if n >= min_count)
    vocabulary = {f: i for i, f in enumerate(names)}
    indptr, indices = [0], []
    for row in features:
        indices.extend(j for j in (vocabulary.get(f, -1) for f in row) if j >= 0)
        indptr.append(len(indices))
    matrix = csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.asarray(indices), np.asarray(indptr)),
        shape=(len(features), len(names)),
    )
    y = np.asarray(labels)
    print(
        f"train {'+'.join(parts)}: {matrix.shape[0]} tokens ({(y > 0).sum()} PHI), {len(names)} features,"
        f" built in {time.perf_counter() - started:.0f}s",
        flush=True,
    )
    started = time.perf_counter()
    model = LogisticRegression(C=c, max_iter=300)
    model.fit(matrix, y)
    print(f"fitted in {time.perf_counter() - started:.0f}s", flush=True)
    weights = np.zeros((len(names), len(CLASSES)), dtype=np.float32)
    bias = np.zeros(len(CLASSES), dtype=np.float32)
    for column, cls in enumerate(model.classes_):
        weights[:, cls] = model.coef_[column]
        bias[cls] = model.intercept_[column]
    missing = [i for i in range(len(CLASSES)) if i not in set(model.classes_)]
    bias[missing] = -30.0  # a class with no training token is never predicted
    # Softmax ignores a constant added to a feature's row, so each row is centred; a feature whose
    # centred weights all stay under ``prune`` barely moves any probability and is dropped (memory:
    # the model's tables are dicts, ~150 bytes a feature).
    weights -= weights.mean(axis=1, keepdims=True)
    keep = np.abs(weights).max(axis=1) >= prune
    print(f"kept {keep.sum()} of {len(names)} features (|w| >= {prune})", flush=True)
    return TaggerModel([n for n, k in zip(names, keep, strict=True) if k], weights[keep], bias, threshold=0.5)


def save(model: TaggerModel, path: Path) -> None:
    np.savez_compressed(
        path,
        features=np.asarray(model.names),
        weights=model.weights[1:].astype(np.float16),
        bias=model.bias,
        threshold=np.float32(model.threshold),
    )


def evaluate(model: TaggerModel, part: str, thresholds: list[float]) -> None:
    rows = load(part)
    for threshold in thresholds:
        detector = PhiDetector(cache_size=0)
        detector.tagger = model.with_threshold(threshold)
        with contextlib.redirect_stdout(io.StringIO()):
            r = score(rows, detector)
        low = {k: round(v[1], 3) for k, v in r["per_type"].items() if v[1] < 0.95}
        print(
            f"{part} threshold {threshold:.2f}: recall {r['char_recall']:.4f} precision"
            f" {r['char_precision']:.4f} touched {r['no_phi_touched']:.2%} {low}",
            flush=True,
        )
    with contextlib.redirect_stdout(io.StringIO()):
        base = score(rows, PhiDetector(cache_size=0, learned=False))
    print(
        f"{part} rules alone: recall {base['char_recall']:.4f} precision {base['char_precision']:.4f}"
        f" touched {base['no_phi_touched']:.2%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--validate", help="train on the other parts and score this one; write nothing")
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument(
        "--prune", type=float, default=0.1, help="drop features whose weights stay under this"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    parts = args.parts.split(",")
    if args.validate:
        model = fit([p for p in parts if p != args.validate], args.min_count, args.c, args.prune)
        evaluate(model, args.validate, [float(t) for t in args.thresholds.split(",")])
        return
    model = fit(parts, args.min_count, args.c, args.prune)
    model = model.with_threshold(args.threshold)
    save(model, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
