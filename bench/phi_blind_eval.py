"""Score the PHI detector on the blind corpus (bench/blind/phi/, written from SPEC.md only).

Character level, type-agnostic (a PHI character covered by any predicted span counts as caught):
recall, precision, share of PHI characters leaked, share of PHI-free documents touched; recall per
gold category, per document kind and per locale.

Run: ``python bench/phi_blind_eval.py --part dev|test|v2|v2a|v2b|v3dev|v3|v4|v5|v6`` (``--errors`` prints
misses and false positives). Tuning data: the old parts (scored several times, burned:
bench/blind/phi/README.md), all of v2 (bench/blind/phi_v2/: v2 scored once whole, v2b once more after tuning
on v2a; both burned), and all of v3 (bench/blind/phi_v3/: its test part was scored once blind, then became
tuning data), all of v4 (bench/blind/phi_v4/: scored twice blind, 0.9465 then 0.9502, then tuning data from
2026-12-07) and all of v5 (bench/blind/phi_v5/: hand-written, scored twice blind, see its SCORES.md, then
tuning data). The blind part is ``v6`` (bench/blind/phi_v6/test.jsonl, hand-written by a sixth author from
SPEC.md alone): scored by the lead at the end of a round only, never with ``--errors``; each scoring is
logged in its SCORES.md.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "bench" / "blind" / "phi"

from ai_workers.safety.phi import PhiDetector  # noqa: E402


def load(part: str) -> list[dict[str, Any]]:
    """A part's documents. ``v2`` is the whole v2 corpus, ``v2a`` its even lines and ``v2b`` its odd lines
    (all tuning data now); ``v3dev`` and ``v3`` are the third corpus's dev and test parts (tuning data
    now); ``v4`` and ``v5`` are the fourth and fifth corpora (tuning data now); ``v6`` is the blind part."""
    corpora = ROOT / "bench" / "blind"
    if part in ("v4", "v5", "v6"):
        return _read(corpora / f"phi_{part}" / "test.jsonl")
    if part.startswith("v3"):
        return _read(corpora / "phi_v3" / ("dev.jsonl" if part == "v3dev" else "test.jsonl"))
    if part.startswith("v2"):
        rows = _read(corpora / "phi_v2" / "test.jsonl")
        return rows if part == "v2" else rows[part == "v2b" :: 2]
    return _read(BLIND / f"{part}.jsonl")


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(rows: list[dict[str, Any]], detector: PhiDetector, *, errors: bool = False) -> dict[str, Any]:
    gold_chars = pred_chars = hit_chars = 0
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # gold chars, caught chars
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # gold, caught, pred, pred-on-gold
    per_locale: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    no_phi = touched = 0
    for row in rows:
        text = row["text"]
        gold = row["spans"]
        pred = detector.detect(text)
        gmask = bytearray(len(text))
        for s in gold:
            gmask[s["start"] : s["end"]] = b"\x01" * (s["end"] - s["start"])
        pmask = bytearray(len(text))
        for p in pred:
            pmask[p.start : p.end] = b"\x01" * (p.end - p.start)
        g = sum(gmask)
        pc = sum(pmask)
        h = sum(a & b for a, b in zip(gmask, pmask, strict=True))
        gold_chars += g
        pred_chars += pc
        hit_chars += h
        for bucket in (per_kind[row["kind"]], per_locale[row["locale"]]):
            bucket[0] += g
            bucket[1] += h
            bucket[2] += pc
            bucket[3] += h
        for s in gold:
            n = s["end"] - s["start"]
            c = sum(pmask[s["start"] : s["end"]])
            per_type[s["type"]][0] += n
            per_type[s["type"]][1] += c
            if errors and c < n:
                ctx = text[max(0, s["start"] - 40) : s["end"] + 25].replace("\n", "⏎")
                print(f"MISS {row['id']} {row['kind']} {s['type']}: {s['text']!r} ({c}/{n})   …{ctx}…")
        if errors:
            for p in pred:
                if not any(gmask[p.start : p.end]):
                    ctx = text[max(0, p.start - 30) : p.end + 30].replace("\n", "⏎")
                    print(f"FP   {row['id']} {row['kind']} {p.type}: {text[p.start : p.end]!r}   …{ctx}…")
        if not gold:
            no_phi += 1
            touched += bool(pred)

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    return {
        "documents": len(rows),
        "no_phi_documents": no_phi,
        "gold_chars": gold_chars,
        "char_recall": ratio(hit_chars, gold_chars),
        "char_precision": ratio(hit_chars, pred_chars),
        "leaked": 1 - ratio(hit_chars, gold_chars),
        "no_phi_touched": touched / no_phi if no_phi else 0.0,
        "per_type": {k: (v[0], ratio(v[1], v[0])) for k, v in sorted(per_type.items())},
        "per_kind": {k: (ratio(v[1], v[0]), ratio(v[3], v[2])) for k, v in sorted(per_kind.items())},
        "per_locale": {k: (ratio(v[1], v[0]), ratio(v[3], v[2])) for k, v in sorted(per_locale.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parts = ["dev", "test", "v2", "v2a", "v2b", "v3dev", "v3", "v4", "v5", "v6"]
    parser.add_argument("--part", choices=parts, default="dev")
    parser.add_argument("--errors", action="store_true", help="print misses and false positives")
    args = parser.parse_args()
    if args.part == "v6" and args.errors:
        parser.error("--errors is for the tuning parts: reading the blind part's failures would burn it")
    result = score(load(args.part), PhiDetector(), errors=args.errors)
    print(f"blind {args.part}: {result['documents']} documents ({result['no_phi_documents']} PHI-free)")
    print(f"character recall     {result['char_recall']:.4f}   (target >= 0.99)")
    print(f"character precision  {result['char_precision']:.4f}   (target >= 0.90)")
    print(f"PHI characters leaked {result['leaked']:.2%}  (target <= 1%)")
    print(f"PHI-free docs touched {result['no_phi_touched']:.2%}  (target <= 5%)")
    print("recall per gold category (chars, char recall):")
    for k, (n, r) in result["per_type"].items():
        print(f"  {k:12s} {n:6d}  {r:.3f}")
    print("per kind (char recall, char precision):")
    for k, (r, p) in result["per_kind"].items():
        print(f"  {k:18s} {r:.3f}  {p:.3f}")
    print("per locale (char recall, char precision):")
    for k, (r, p) in result["per_locale"].items():
        print(f"  {k:6s} {r:.3f}  {p:.3f}")


if __name__ == "__main__":
    main()
