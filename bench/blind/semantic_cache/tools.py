"""Split / validate / count helper for the blind semantic-cache set.

The pairs themselves are hand-written in pairs_*.src (one pair per line:
``kind ~~ domain ~~ cached ~~ query``). This script does NOT generate pairs;
it only assigns ids, makes a deterministic stratified dev/test split (~30% dev
per kind), validates and prints counts.

Usage:  python3 tools.py build   # write dev.jsonl / test.jsonl
        python3 tools.py check   # validate dev.jsonl / test.jsonl, print counts
"""

import glob
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
PARA = {"para_reword", "para_synonym", "para_typo", "para_formality", "para_question_form"}
NEG = {
    "neg_swap",
    "neg_direction",
    "neg_polarity",
    "neg_antonym",
    "neg_number",
    "neg_unit",
    "neg_drug",
    "neg_population",
    "neg_timing",
    "neg_condition",
    "neg_generic",
}
DOMAINS = {"clinical", "code", "finance", "support", "general"}
KIND_ORDER = sorted(PARA) + sorted(NEG)
DEV_FRACTION = 0.30


def norm(s):
    return re.sub(r"\s+", " ", s.strip().lower())


def toks(s):
    return set(re.findall(r"[a-z0-9]+", s.lower()))


def read_src():
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, "pairs_*.src"))):
        with open(path, encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                parts = [p.strip() for p in line.split(" ~~ ")]
                if len(parts) != 4:
                    sys.exit(f"{path}:{ln}: expected 4 fields, got {len(parts)}")
                kind, domain, cached, query = parts
                rows.append({"kind": kind, "domain": domain, "cached": cached, "query": query})
    return rows


def build():
    rows = read_src()
    by_kind = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    dev, test = [], []
    for kind in sorted(by_kind):
        items = by_kind[kind]
        for i, r in enumerate(items, 1):
            r["id"] = f"{kind}-{i:03d}"
            r["expect"] = "hit" if kind in PARA else "miss"
        order = list(range(len(items)))
        random.Random(f"blind-semcache:{kind}").shuffle(order)
        n_dev = round(len(items) * DEV_FRACTION)
        dev_idx = set(order[:n_dev])
        for i, r in enumerate(items):
            (dev if i in dev_idx else test).append(r)
    keys = ["id", "cached", "query", "expect", "kind", "domain"]
    for name, data in (("dev.jsonl", dev), ("test.jsonl", test)):
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            for r in data:
                f.write(json.dumps({k: r[k] for k in keys}, ensure_ascii=False) + "\n")
    print(f"wrote dev={len(dev)} test={len(test)}")


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check():
    dev, test = load("dev.jsonl"), load("test.jsonl")
    errors = []
    ids = Counter(r["id"] for r in dev + test)
    errors += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    seen = {}
    for split, data in (("dev", dev), ("test", test)):
        for r in data:
            if set(r) != {"id", "cached", "query", "expect", "kind", "domain"}:
                errors.append(f"{r.get('id')}: bad fields {sorted(r)}")
            if r["kind"] not in PARA | NEG:
                errors.append(f"{r['id']}: bad kind {r['kind']}")
            if r["domain"] not in DOMAINS:
                errors.append(f"{r['id']}: bad domain {r['domain']}")
            want = "hit" if r["kind"] in PARA else "miss"
            if r["expect"] != want:
                errors.append(f"{r['id']}: expect {r['expect']} != {want}")
            if r["kind"] == "neg_generic" and r["domain"] == "clinical":
                errors.append(f"{r['id']}: neg_generic must not be clinical")
            if norm(r["cached"]) == norm(r["query"]) and r["kind"] != "para_typo":
                errors.append(f"{r['id']}: cached == query")
            if r["cached"] == r["query"]:
                errors.append(f"{r['id']}: cached identical to query")
            for fld in ("cached", "query"):
                n = len(r[fld].split())
                if not 5 <= n <= 40:
                    errors.append(f"{r['id']}: {fld} has {n} words")
            key = (norm(r["cached"]), norm(r["query"]))
            for k in (key, key[::-1]):
                if k in seen:
                    errors.append(f"{r['id']}: pair duplicates {seen[k]}")
            seen[key] = f"{split}:{r['id']}"
    # negatives must be near-duplicates (token Jaccard)
    low = []
    for r in dev + test:
        if r["kind"] in NEG:
            a, b = toks(r["cached"]), toks(r["query"])
            j = len(a & b) / len(a | b)
            if j < 0.5:
                low.append((round(j, 2), r["id"]))
    negs = [r for r in dev + test if r["kind"] in NEG]
    paras = [r for r in dev + test if r["kind"] in PARA]
    clin = sum(r["domain"] == "clinical" for r in negs)
    if len(dev) + len(test) < 450:
        errors.append("fewer than 450 pairs")
    if len(paras) < 150:
        errors.append("fewer than 150 paraphrases")
    if len(negs) < 280:
        errors.append("fewer than 280 negatives")
    if clin * 2 < len(negs):
        errors.append("fewer than half of negatives clinical")
    for e in errors:
        print("ERROR", e)
    print(
        f"total={len(dev) + len(test)} dev={len(dev)} test={len(test)} "
        f"para={len(paras)} neg={len(negs)} clinical_neg={clin}"
    )
    if low:
        print("negatives with token Jaccard < 0.5:", sorted(low))
    return 1 if errors else 0


def table(data):
    kinds = Counter(r["kind"] for r in data)
    doms = Counter(r["domain"] for r in data)
    kd = Counter((r["kind"], r["domain"]) for r in data)
    dl = sorted(DOMAINS)
    out = ["| kind | expect | " + " | ".join(dl) + " | total |", "|---|---|" + "---|" * (len(dl) + 1)]
    for k in KIND_ORDER:
        if kinds[k]:
            out.append(
                f"| `{k}` | {'hit' if k in PARA else 'miss'} | "
                + " | ".join(str(kd[(k, d)]) for d in dl)
                + f" | {kinds[k]} |"
            )
    out.append("| **total** | | " + " | ".join(str(doms[d]) for d in dl) + f" | {len(data)} |")
    return "\n".join(out)


def counts():
    dev, test = load("dev.jsonl"), load("test.jsonl")
    for name, data in (("dev.jsonl", dev), ("test.jsonl", test), ("all", dev + test)):
        e = Counter(r["expect"] for r in data)
        print(f"### {name} ({len(data)} pairs: {e['hit']} hit, {e['miss']} miss)\n")
        print(table(data) + "\n")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "build":
        build()
        sys.exit(check())
    elif cmd == "counts":
        counts()
    else:
        sys.exit(check())
