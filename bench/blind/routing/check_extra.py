#!/usr/bin/env python3
"""Validate train_extra.jsonl: fields, ids, lengths, near-duplicates vs train/test.

For test.jsonl only the ids of colliding NEW prompts are printed, never test text.
Standard library only. Exit code 1 on any problem.
"""

import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TIERS = {"simple", "medium", "complex"}
KINDS = {"long_easy", "short_hard", "keyword_trap", "no_cue_medium", "plain", "multilingual", "chat"}
DOMAINS = {"clinical", "code", "finance", "support", "general", "education", "legal"}
LANGS = {"en", "es", "fr", "de", "pt", "it", "nl", "hi", "sw", "tr", "pl", "id"}
FIXED = {
    "long_easy": "simple",
    "keyword_trap": "simple",
    "chat": "simple",
    "short_hard": "complex",
    "no_cue_medium": "medium",
}


def grams(text):
    w = re.findall(r"\w+", text.lower())
    return {tuple(w[i : i + 4]) for i in range(len(w) - 3)} or {tuple(w)}


def jac(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    errs = []
    new = load(os.path.join(HERE, "train_extra.jsonl"))
    seen = set()
    for i, r in enumerate(new, 1):
        where = f"line {i} ({r.get('id')})"
        if set(r) != {"id", "tier", "kind", "domain", "lang", "prompt"}:
            errs.append(f"{where}: bad keys {sorted(r)}")
            continue
        if not re.fullmatch(r"x-\d{4}", r["id"]):
            errs.append(f"{where}: bad id")
        if r["id"] in seen:
            errs.append(f"{where}: duplicate id")
        seen.add(r["id"])
        for k, allowed in (("tier", TIERS), ("kind", KINDS), ("domain", DOMAINS), ("lang", LANGS)):
            if r[k] not in allowed:
                errs.append(f"{where}: bad {k} {r[k]!r}")
        if r["kind"] in FIXED and r["tier"] != FIXED[r["kind"]]:
            errs.append(f"{where}: kind {r['kind']} must be {FIXED[r['kind']]}")
        if r["kind"] == "multilingual" and r["lang"] == "en":
            errs.append(f"{where}: multilingual prompt marked en")
        n = len(r["prompt"].split())
        if not 3 <= n <= 600:
            errs.append(f"{where}: {n} words")
        if r["kind"] == "long_easy" and n < 100:
            errs.append(f"{where}: long_easy only {n} words")
    # near-duplicates among new prompts
    ng = [(r["id"], grams(r["prompt"])) for r in new]
    for a in range(len(ng)):
        for b in range(a + 1, len(ng)):
            if jac(ng[a][1], ng[b][1]) >= 0.5:
                errs.append(f"{ng[a][0]} ~ {ng[b][0]}: near-duplicate within new set")
    # vs train (content may be shown)
    train = load(os.path.join(HERE, "train.jsonl"))
    for t in train:
        g = grams(t["prompt"])
        for nid, gg in ng:
            if jac(g, gg) >= 0.5:
                errs.append(f"{nid}: near-duplicate of train {t['id']}")
    # vs test: print ONLY new ids, never test content
    hit = set()
    tp = os.path.join(HERE, "test.jsonl")
    if os.path.exists(tp):
        with open(tp, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                g = grams(json.loads(line)["prompt"])
                for nid, gg in ng:
                    if nid not in hit and jac(g, gg) >= 0.5:
                        hit.add(nid)
    for nid in sorted(hit):
        errs.append(f"{nid}: near-duplicate of a test prompt")
    total = len(new)
    for k in ("tier", "kind", "domain", "lang"):
        c = collections.Counter(r[k] for r in new)
        print(k + ": " + ", ".join(f"{v}={n} ({100 * n / total:.1f}%)" for v, n in c.most_common()))
    print(f"total: {total}; test collisions: {len(hit)}")
    for e in errs:
        print("ERROR", e)
    if total < 480:
        errs.append("fewer than 480")
        print("ERROR fewer than 480 prompts")
    print("OK" if not errs else f"FAILED ({len(errs)} problems)")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
