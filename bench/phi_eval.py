"""Score the PHI detector on the labelled set in tests/data/phi/ (generated + hand-written texts).

Figures: character-level recall and precision (type-agnostic: is each PHI character covered?), span
recall (a gold span counts as found when >= 90% of its characters are covered) and span precision
(a predicted span counts as right when it overlaps a gold span), per-category recall, and the share of
no-PHI texts the detector touched at all.

Run: ``python bench/phi_eval.py`` (``--errors`` prints misses and false positives for debugging).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "phi"
sys.path.insert(0, str(DATA))

from generate import parse_marked  # type: ignore[import-not-found]  # noqa: E402

from ai_workers.safety.phi import PhiDetector, Span  # noqa: E402


class Detects(Protocol):
    """Anything with the detector's ``detect`` (a baseline detector, Presidio's spans replayed)."""

    def detect(self, text: str) -> list[Span]: ...


def _marked_file(name: str, prefix: str) -> list[dict[str, Any]]:
    raw = (DATA / name).read_text("utf-8")
    lines = [line for line in raw.splitlines() if not line.startswith("#")]
    rows = []
    for i, block in enumerate("\n".join(lines).split("\n---\n")):
        block = block.strip("\n")
        if not block:
            continue
        text, spans = parse_marked(block)
        kind = prefix if spans else "no_phi_" + prefix
        rows.append({"id": f"{prefix}-{i:03d}", "kind": kind, "text": text, "spans": spans})
    return rows


def load_set(*, heldout: bool | str = False) -> list[dict[str, Any]]:
    """The development set (generated + hand-written), or a held-out file ("heldout", "heldout2")."""
    if heldout:
        name = heldout if isinstance(heldout, str) else "heldout"
        return _marked_file(f"{name}.txt", name)
    rows = [json.loads(line) for line in (DATA / "generated.jsonl").read_text("utf-8").splitlines() if line]
    return rows + _marked_file("handwritten.txt", "hand")


def score(rows: list[dict[str, Any]], detector: Detects, *, errors: bool = False) -> dict[str, Any]:
    gold_chars = pred_chars = hit_chars = 0
    gold_spans = found_spans = pred_spans = right_spans = 0
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # gold chars, hit chars, spans, found
    per_pred: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # predicted chars, of which PHI
    no_phi = touched = 0
    for row in rows:
        text = row["text"]
        gold = row["spans"]
        pred = detector.detect(text)
        gold_mask = bytearray(len(text))
        for s in gold:
            for i in range(s["start"], s["end"]):
                gold_mask[i] = 1
        pred_mask = bytearray(len(text))
        for p in pred:
            for i in range(p.start, p.end):
                pred_mask[i] = 1
            per_pred[p.type][0] += p.end - p.start
            per_pred[p.type][1] += sum(gold_mask[p.start : p.end])
        g = sum(gold_mask)
        pc = sum(pred_mask)
        h = sum(1 for a, b in zip(gold_mask, pred_mask) if a and b)
        gold_chars += g
        pred_chars += pc
        hit_chars += h
        for s in gold:
            n = s["end"] - s["start"]
            covered = sum(pred_mask[s["start"] : s["end"]])
            t = per_type[s["type"]]
            t[0] += n
            t[1] += covered
            t[2] += 1
            gold_spans += 1
            if covered >= 0.9 * n:
                found_spans += 1
                t[3] += 1
            elif errors:
                print(f"MISS {row['id']} {s['type']}: {text[s['start'] : s['end']]!r}  ({covered}/{n})")
        for p in pred:
            pred_spans += 1
            if any(gold_mask[p.start : p.end]):
                right_spans += 1
            elif errors:
                ctx = text[max(0, p.start - 25) : p.end + 25].replace("\n", " ")
                print(f"FP   {row['id']} {p.type}: {text[p.start : p.end]!r}   …{ctx}…")
        if not gold:
            no_phi += 1
            touched += bool(pred)
    return {
        "texts": len(rows),
        "no_phi_texts": no_phi,
        "gold_spans": gold_spans,
        "char_recall": hit_chars / gold_chars if gold_chars else 1.0,
        "char_precision": hit_chars / pred_chars if pred_chars else 1.0,
        "span_recall": found_spans / gold_spans if gold_spans else 1.0,
        "span_precision": right_spans / pred_spans if pred_spans else 1.0,
        "no_phi_touched": touched / no_phi if no_phi else 0.0,
        "per_type": {
            k: {"spans": v[2], "span_recall": v[3] / v[2], "char_recall": v[1] / v[0] if v[0] else 1.0}
            for k, v in sorted(per_type.items())
        },
        "per_predicted_type_precision": {
            k: (v[1] / v[0] if v[0] else 1.0) for k, v in sorted(per_pred.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true")
    parser.add_argument(
        "--subset", choices=["all", "generated", "handwritten", "heldout", "heldout2"], default="all"
    )
    args = parser.parse_args()
    rows = load_set(heldout=args.subset if args.subset.startswith("heldout") else False)
    if args.subset == "generated":
        rows = [r for r in rows if r["id"].startswith("gen")]
    elif args.subset == "handwritten":
        rows = [r for r in rows if r["id"].startswith("hand")]
    result = score(rows, PhiDetector(), errors=args.errors)
    print(f"texts {result['texts']} (no-PHI {result['no_phi_texts']}), gold spans {result['gold_spans']}")
    print(f"character recall    {result['char_recall']:.4f}   (target >= 0.99)")
    print(f"character precision {result['char_precision']:.4f}   (target >= 0.90)")
    print(f"span recall         {result['span_recall']:.4f}")
    print(f"span precision      {result['span_precision']:.4f}")
    print(f"no-PHI texts touched {result['no_phi_touched']:.2%}  (target <= 2%)")
    print("per category (gold type: spans, span recall, char recall):")
    for kind, v in result["per_type"].items():
        print(f"  {kind:12s} {v['spans']:5d}  {v['span_recall']:.3f}  {v['char_recall']:.3f}")
    print("precision by predicted type (share of predicted chars that are PHI):")
    for kind, p in result["per_predicted_type_precision"].items():
        print(f"  {kind:12s} {p:.3f}")


if __name__ == "__main__":
    main()
