#!/usr/bin/env python3
"""Build and validate the blind semantic-cache v2 set.

Reads the hand-written source lines in pairs_*.src (one pair per line:
``kind ~~ domain ~~ cached ~~ query``; blank lines and lines starting with
``#`` are ignored), assigns ids (``<kind>-NNN`` in file/line order), derives
``expect`` from the kind prefix, validates, writes test.jsonl and prints counts.
It never generates or alters question text.

    python3 build.py          # validate + write test.jsonl + print counts
    python3 build.py --check  # validate only, and verify test.jsonl is up to date
"""
import glob
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
PARA = ["para_reword", "para_synonym", "para_typo", "para_formality", "para_question_form"]
NEG = ["neg_swap", "neg_direction", "neg_polarity", "neg_antonym", "neg_number", "neg_unit",
       "neg_drug", "neg_population", "neg_timing", "neg_condition", "neg_generic"]
KINDS = PARA + NEG
DOMAINS = ["clinical", "code", "finance", "support", "general"]
CLINICAL_ONLY = {"neg_drug", "neg_condition"}
MIN_TOTAL, MIN_HIT, MIN_MISS, MIN_CLIN_MISS = 380, 120, 260, 140
MIN_WORDS, MAX_WORDS = 5, 40


def words(s):
    return s.split()


def toks(s):
    return re.findall(r"[a-z0-9]+", s.lower())


def load():
    rows, errors = [], []
    for path in sorted(glob.glob(os.path.join(HERE, "pairs_*.src"))):
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                parts = [p.strip() for p in line.split("~~")]
                where = f"{name}:{n}"
                if len(parts) != 4:
                    errors.append(f"{where}: expected 4 fields, got {len(parts)}")
                    continue
                kind, domain, cached, query = parts
                if kind not in KINDS:
                    errors.append(f"{where}: unknown kind {kind!r}")
                if domain not in DOMAINS:
                    errors.append(f"{where}: unknown domain {domain!r}")
                if kind == "neg_generic" and domain == "clinical":
                    errors.append(f"{where}: neg_generic is never clinical")
                if kind in CLINICAL_ONLY and domain != "clinical":
                    errors.append(f"{where}: {kind} must be clinical")
                if not cached or not query:
                    errors.append(f"{where}: empty question")
                if cached == query:
                    errors.append(f"{where}: cached == query")
                for q in (cached, query):
                    if not MIN_WORDS <= len(words(q)) <= MAX_WORDS:
                        errors.append(f"{where}: {len(words(q))} words (want {MIN_WORDS}-{MAX_WORDS}): {q!r}")
                rows.append(dict(kind=kind, domain=domain, cached=cached, query=query, where=where))
    return rows, errors


def validate(rows, errors):
    seen = {}
    for r in rows:
        key = (r["cached"], r["query"])
        rkey = (r["query"], r["cached"])
        for k in (key, rkey):
            if k in seen:
                errors.append(f"{r['where']}: duplicate pair (also {seen[k]})")
        seen[key] = r["where"]
    kinds = Counter(r["kind"] for r in rows)
    for k in KINDS:
        if not kinds[k]:
            errors.append(f"kind {k} has no pairs")
    hit = sum(1 for r in rows if r["kind"].startswith("para_"))
    miss = len(rows) - hit
    clin = sum(1 for r in rows if r["kind"].startswith("neg_") and r["domain"] == "clinical")
    if len(rows) < MIN_TOTAL:
        errors.append(f"total {len(rows)} < {MIN_TOTAL}")
    if hit < MIN_HIT:
        errors.append(f"paraphrases {hit} < {MIN_HIT}")
    if miss < MIN_MISS:
        errors.append(f"negatives {miss} < {MIN_MISS}")
    if clin < MIN_CLIN_MISS:
        errors.append(f"clinical negatives {clin} < {MIN_CLIN_MISS}")
    for d in DOMAINS:
        if not any(r["domain"] == d and r["kind"].startswith("para_") for r in rows):
            errors.append(f"no paraphrase in domain {d}")
        if not any(r["domain"] == d and r["kind"].startswith("neg_") for r in rows):
            errors.append(f"no negative in domain {d}")
    return errors


def records(rows):
    per_kind = Counter()
    out = []
    for r in rows:
        per_kind[r["kind"]] += 1
        out.append({"id": f"{r['kind']}-{per_kind[r['kind']]:03d}", "cached": r["cached"],
                    "query": r["query"], "expect": "hit" if r["kind"].startswith("para_") else "miss",
                    "kind": r["kind"], "domain": r["domain"]})
    return out


def render(recs):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


def counts_table(recs):
    t = defaultdict(Counter)
    for r in recs:
        t[r["kind"]][r["domain"]] += 1
    lines = ["| kind | expect | " + " | ".join(DOMAINS) + " | total |",
             "|---|---|" + "---|" * (len(DOMAINS) + 1)]
    col = Counter()
    for k in KINDS:
        c = t[k]
        col.update(c)
        lines.append(f"| `{k}` | {'hit' if k.startswith('para_') else 'miss'} | "
                     + " | ".join(str(c[d]) for d in DOMAINS) + f" | {sum(c.values())} |")
    lines.append("| **total** | | " + " | ".join(str(col[d]) for d in DOMAINS) + f" | {sum(col.values())} |")
    return "\n".join(lines)


def overlap(a, b):
    ta, tb = Counter(toks(a)), Counter(toks(b))
    return sum((ta & tb).values()) / max(sum(ta.values()), sum(tb.values()))


def summary(recs):
    hit = [r for r in recs if r["expect"] == "hit"]
    miss = [r for r in recs if r["expect"] == "miss"]
    clin = [r for r in miss if r["domain"] == "clinical"]
    lens = [len(words(r[f])) for r in recs for f in ("cached", "query")]
    ov = sorted(overlap(r["cached"], r["query"]) for r in miss)
    low = [r for r in miss if overlap(r["cached"], r["query"]) < 0.6]
    s = [f"Totals: {len(recs)} pairs ({len(hit)} hit / {len(miss)} miss); {len(clin)} clinical negatives "
         f"({100 * len(clin) / len(miss):.0f}% of negatives). Question lengths {min(lens)}-{max(lens)} words.",
         f"Negatives token overlap: min {ov[0]:.2f}, median {ov[len(ov) // 2]:.2f}; "
         f"{len(low)} below 0.60.", "", counts_table(recs)]
    return "\n".join(s)


def main():
    rows, errors = load()
    errors = validate(rows, errors)
    if errors:
        for e in errors:
            print("ERROR", e, file=sys.stderr)
        sys.exit(1)
    recs = records(rows)
    text = render(recs)
    path = os.path.join(HERE, "test.jsonl")
    if "--check" in sys.argv:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                print("ERROR test.jsonl is out of date: run python3 build.py", file=sys.stderr)
                sys.exit(1)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print(summary(recs))
    if "--low" in sys.argv:
        for r in recs:
            if r["expect"] == "miss" and overlap(r["cached"], r["query"]) < 0.6:
                print(f"{overlap(r['cached'], r['query']):.2f} {r['id']}: {r['cached']} || {r['query']}")


if __name__ == "__main__":
    main()
