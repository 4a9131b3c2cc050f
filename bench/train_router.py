"""Train the learned complexity router and write ``src/ai_workers/data/router_model.npz``.

    python bench/train_router.py            # validate, then fit on all training data and write the model
    python bench/train_router.py --check    # validate only (no file written)

Data: ``bench/blind/routing/train.jsonl`` and ``train_extra*.jsonl`` (blind-written prompts) plus
``tests/data/routing/labelled_prompts.jsonl``. ``bench/blind/routing/test.jsonl`` is never read here.
A fixed 20% of the blind training prompts (by a hash of the prompt id) is held out for validation;
the heuristic router is scored on the same held-out prompts so the two can be compared. The final
model is then fitted on everything (held-out part included) with the same settings, so the script
rebuilds the shipped weights exactly (liblinear-free L-BFGS on a fixed feature order is deterministic).

Model: multinomial logistic regression (scikit-learn, training only) over the hashed features of
``ai_workers.routing.features``; at run time inference is numpy-only (``routing.learned``). The
decision is ordinal: the expected tier index E = P(medium) + 2 P(complex) is cut at two points,
chosen on the validation part to maximise accuracy while keeping complex->simple mistakes rare, and
mapped onto the score scale of the configured tier thresholds (1.5 / 4.0) so that per-app threshold
recalibration works the same way for both routers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.routing.labelled import to_request  # noqa: E402

from ai_workers.core.types import ChatRequest, Message  # noqa: E402
from ai_workers.routing.complexity import HeuristicRouter  # noqa: E402
from ai_workers.routing.features import DIMENSIONS, scale  # noqa: E402
from ai_workers.routing.learned import MODEL_PATH, TIERS, LearnedRouter  # noqa: E402

TRAIN_FILES = [
    ROOT / "bench" / "blind" / "routing" / name
    for name in ("train.jsonl", "train_extra.jsonl", "train_extra2.jsonl")
]
LABELLED = ROOT / "tests" / "data" / "routing" / "labelled_prompts.jsonl"
C = 32.0  # inverse L2 strength, chosen by 5-fold cross-validation on the training part (see --sweep)


def chat(prompt: str) -> ChatRequest:
    return ChatRequest(model="auto", messages=[Message(role="user", content=prompt)])


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train, validation) rows, each with a request, tier and kind."""
    train: list[dict[str, Any]] = []
    val: list[dict[str, Any]] = []
    lines = [line for path in TRAIN_FILES if path.exists() for line in path.read_text("utf-8").splitlines()]
    for line in lines:
        item = json.loads(line)
        row = {"request": chat(item["prompt"]), "tier": item["tier"], "kind": item["kind"], "item": item}
        held = int(hashlib.sha1(item["id"].encode()).hexdigest()[:8], 16) % 5 == 0
        (val if held else train).append(row)
    for line in LABELLED.read_text("utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            train.append({"request": to_request(item), "tier": item["tier"], "kind": "labelled"})
    return train, val


_HEURISTIC = HeuristicRouter()


def features(request: ChatRequest) -> list[int]:
    """The learned router's features for one request (the same function it uses at run time)."""
    return LearnedRouter.features(request, _HEURISTIC)


def matrix(rows: list[dict[str, Any]]) -> Any:
    from scipy.sparse import csr_matrix

    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for row in rows:
        counts = Counter(features(row["request"]))
        value = scale(sum(counts.values()))
        for index, n in sorted(counts.items()):
            indices.append(index)
            data.append(n * value)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), DIMENSIONS), dtype=np.float64)


def fit(x: Any, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=500, tol=1e-4)
    model.fit(x, y)
    return model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32)


def expected_index(x: Any, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    logits = np.asarray(x @ weights) + bias
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    return np.asarray(p[:, 1] + 2 * p[:, 2])


def cut(e: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.where(e < low, 0, np.where(e < high, 1, 2))


def choose_cuts(e: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Cut points maximising accuracy minus 3x the complex->simple rate (the costly mistake)."""
    best = (-1.0, 0.5, 1.5)
    for low in np.arange(0.3, 0.95, 0.025):
        for high in np.arange(1.05, 1.7, 0.025):
            pred = cut(e, low, high)
            acc = float((pred == y).mean())
            c2s = float(((y == 2) & (pred == 0)).sum() / max((y == 2).sum(), 1))
            objective = acc - 3 * c2s
            if objective > best[0] + 1e-9:
                best = (objective, float(low), float(high))
    return round(best[1], 3), round(best[2], 3)


def report(name: str, pred: np.ndarray, rows: list[dict[str, Any]]) -> None:
    y = np.array([TIERS.index(r["tier"]) for r in rows])
    acc = float((pred == y).mean())
    c2s = int(((y == 2) & (pred == 0)).sum())
    kinds: dict[str, list[bool]] = {}
    for row, p, t in zip(rows, pred, y, strict=True):
        kinds.setdefault(row["kind"], []).append(bool(p == t))
    per_kind = ", ".join(f"{k} {sum(v) / len(v):.2f}" for k, v in sorted(kinds.items()))
    print(f"{name}: accuracy {acc:.3f}, complex->simple {c2s}/{int((y == 2).sum())} | {per_kind}")


def save(path: Path, weights: np.ndarray, bias: np.ndarray, low: float, high: float) -> None:
    np.savez_compressed(
        path, weights=weights.astype(np.float16), bias=bias, cuts=np.array([low, high], dtype=np.float32)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="validate only; do not write the model")
    parser.add_argument("--sweep", action="store_true", help="5-fold CV over C on the training part")
    parser.add_argument(
        "--export",
        type=Path,
        help="write DIR/model.npz (fitted without the validation part) and DIR/validation.jsonl, "
        "for an out-of-sample bench/routing_eval.py run on the validation part",
    )
    args = parser.parse_args()

    train, val = load()
    x_train, x_val = matrix(train), matrix(val)
    y_train = np.array([TIERS.index(r["tier"]) for r in train])
    y_val = np.array([TIERS.index(r["tier"]) for r in val])
    print(f"train {len(train)} prompts, validation {len(val)} (held-out blind train prompts)")

    if args.sweep:
        from sklearn.model_selection import StratifiedKFold

        for c in (2.0, 8.0, 32.0):
            scores = []
            for fit_idx, test_idx in StratifiedKFold(5, shuffle=True, random_state=0).split(x_train, y_train):
                w, b = fit(x_train[fit_idx], y_train[fit_idx], c)
                e = expected_index(x_train[test_idx], w, b)
                scores.append(float((cut(e, 0.5, 1.5) == y_train[test_idx]).mean()))
            print(f"C={c}: 5-fold accuracy {np.mean(scores):.3f}")

    heuristic = HeuristicRouter()
    report(
        "heuristic (validation)",
        np.array([TIERS.index(heuristic.classify(r["request"]).tier) for r in val]),
        val,
    )

    # Cut points: from out-of-fold predictions on the training part, so validation stays untouched.
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(len(train))
    for fit_idx, test_idx in StratifiedKFold(5, shuffle=True, random_state=0).split(x_train, y_train):
        w, b = fit(x_train[fit_idx], y_train[fit_idx], C)
        oof[test_idx] = expected_index(x_train[test_idx], w, b)
    low, high = choose_cuts(oof, y_train)
    print(f"cut points on expected tier index: {low} / {high}")
    weights, bias = fit(x_train, y_train, C)
    report("learned (validation)", cut(expected_index(x_val, weights, bias), low, high), val)
    report(
        "learned argmax-ish 0.5/1.5 (validation)", cut(expected_index(x_val, weights, bias), 0.5, 1.5), val
    )

    if args.export:
        args.export.mkdir(parents=True, exist_ok=True)
        save(args.export / "model.npz", weights, bias, low, high)
        lines = [json.dumps(r["item"], ensure_ascii=False) for r in val]
        (args.export / "validation.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    if args.check:
        return
    x_all = matrix(train + val)
    y_all = np.concatenate([y_train, y_val])
    weights, bias = fit(x_all, y_all, C)
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    save(MODEL_PATH, weights, bias, low, high)
    router = LearnedRouter.load(MODEL_PATH)
    report(
        "shipped model (validation, seen in training)",
        np.array([TIERS.index(router.classify(r["request"]).tier) for r in val]),
        val,
    )
    print(f"wrote {MODEL_PATH.relative_to(ROOT)} ({MODEL_PATH.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
