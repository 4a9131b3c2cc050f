#!/usr/bin/env python3
"""Validate, split and count the hand-written routing prompts.

Reads sources/*.txt (hand-written; format below), checks every field,
drops nothing silently, keeps near-duplicates in the same part, writes
train.jsonl / test.jsonl and prints the counts used in README.md.

Source format
-------------
  ### <kind> <tier> <lang>        sets defaults for the following records
  <d>: <prompt on one line>
  <d>/<lang>: <prompt>            overrides the language for one record
  <d>>>                           starts a multi-line prompt ...
  ...
  <<                              ... which ends here
where <d> is a domain letter: c clinical, k code, f finance, s support,
g general, e education, l legal.  Lines starting with '#' (single) are comments.
"""

import collections
import glob
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TIERS = {"simple", "medium", "complex"}
KINDS = {"long_easy", "short_hard", "keyword_trap", "no_cue_medium", "plain", "multilingual", "chat"}
DOM = {
    "c": "clinical",
    "k": "code",
    "f": "finance",
    "s": "support",
    "g": "general",
    "e": "education",
    "l": "legal",
}
LANGS = {"en", "es", "fr", "de", "pt", "it", "nl", "hi", "sw", "tr", "pl", "id"}
TEST_FRACTION = 0.2
# Prompts that are (nearly) the worked examples of the task brief. Whoever
# builds the router has seen them, so they never go into the blind test part.
PIN_TRAIN = [
    "If I roll three dice what is the chance the sum is 10?",
    "Find the area of a triangle with sides 7, 8, 9.",
    'Translate to Spanish: "Our risk analysis strategy is comprehensive."',
    'Fix the grammar: "the differential diagnosis were complex',
    "Write care instructions for a child with a broken arm.",
    "Compare a Roth IRA and a 401k for someone who is 30.",
    "Draft a 3-email onboarding sequence",
]


def parse(path):
    recs, kind, tier, lang = [], None, None, None
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        ln = lines[i]
        s = ln.strip()
        i += 1
        if not s:
            continue
        if s.startswith("###"):
            kind, tier, lang = s[3:].split()
            continue
        if s.startswith("#"):
            continue
        m = re.match(r"^([ckfsgel])(?:/([a-z]{2}))?(>>|:)\s?(.*)$", s)
        if not m:
            sys.exit(f"{path}:{i}: cannot parse: {s[:60]}")
        d, lg, mode, rest = m.groups()
        if mode == ":":
            text = rest.strip()
        else:
            body = [rest] if rest.strip() else []
            while i < len(lines) and lines[i].strip() != "<<":
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                sys.exit(f"{path}: unterminated block")
            i += 1
            text = "\n".join(body).strip()
        recs.append(
            {
                "tier": tier,
                "kind": kind,
                "domain": DOM[d],
                "lang": lg or lang,
                "prompt": text,
                "_src": f"{os.path.basename(path)}:{i}",
            }
        )
    return recs


def words(t):
    return re.findall(r"\w+", t.lower())


def shingles(t, n=4):
    w = words(t) or [t]
    return {" ".join(w[j : j + n]) for j in range(max(1, len(w) - n + 1))}


def main():
    recs = []
    for p in sorted(glob.glob(os.path.join(HERE, "sources", "*.txt"))):
        recs += parse(p)
    errs = []
    for r in recs:
        if r["tier"] not in TIERS:
            errs.append(("tier", r))
        if r["kind"] not in KINDS:
            errs.append(("kind", r))
        if r["lang"] not in LANGS:
            errs.append(("lang", r))
        if not r["prompt"]:
            errs.append(("empty", r))
        if r["kind"] == "chat" and r["tier"] != "simple":
            errs.append(("chat tier", r))
        if r["kind"] in ("long_easy", "keyword_trap") and r["tier"] != "simple":
            errs.append(("easy tier", r))
        if r["kind"] == "short_hard" and r["tier"] != "complex":
            errs.append(("hard tier", r))
        if r["kind"] == "no_cue_medium" and r["tier"] != "medium":
            errs.append(("ncm tier", r))
        if r["kind"] == "multilingual" and r["lang"] == "en":
            errs.append(("ml lang", r))
        if len(r["prompt"].split()) < 3:
            errs.append(("fewer than 3 words", r))
        if len(r["prompt"].split()) > 600:
            errs.append(("more than 600 words", r))
        if r["kind"] == "long_easy":
            n = len(words(r["prompt"]))
            if not 100 <= n <= 650:
                errs.append((f"long_easy words={n}", r))
    for e, r in errs:
        print("ERROR", e, r["_src"], r["prompt"][:70])
    # exact duplicates
    seen = {}
    for r in recs:
        key = " ".join(words(r["prompt"])) or r["prompt"]
        if key in seen:
            print("DUP", r["_src"], "==", seen[key])
            errs.append(("dup", r))
        seen[key] = r["_src"]
    if errs:
        sys.exit(f"{len(errs)} errors")
    # near-duplicate groups (union-find on 4-gram Jaccard >= 0.5)
    sh = [shingles(r["prompt"]) for r in recs]
    parent = list(range(len(recs)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    inv = collections.defaultdict(list)
    for idx, s in enumerate(sh):
        for g in s:
            inv[g].append(idx)
    pairs = collections.Counter()
    for g, idxs in inv.items():
        if len(idxs) > 40:  # very common phrase, not evidence of duplication
            continue
        for a in range(len(idxs)):
            for b in range(a + 1, len(idxs)):
                pairs[(idxs[a], idxs[b])] += 1
    near = 0
    for (a, b), c in pairs.items():
        jac = c / len(sh[a] | sh[b])
        if jac >= 0.5:
            parent[find(a)] = find(b)
            near += 1
    # ids
    for r in recs:
        h = hashlib.sha1(r["prompt"].encode()).hexdigest()
        r["id"] = f"r-{h[:10]}"
    assert len({r["id"] for r in recs}) == len(recs)
    # stratified split by (kind, tier); near-dup groups go to one part
    groups = collections.defaultdict(list)
    for idx, r in enumerate(recs):
        groups[find(idx)].append(idx)
    strata = collections.defaultdict(list)
    for g, idxs in groups.items():
        r = recs[idxs[0]]
        strata[(r["kind"], r["tier"])].append(idxs)
    test_idx = set()
    for key, gl in sorted(strata.items()):
        gl.sort(key=lambda idxs: hashlib.sha1(("split" + recs[idxs[0]]["id"]).encode()).hexdigest())
        total = sum(len(g) for g in gl)
        want = round(total * TEST_FRACTION)
        got = 0
        for g in gl:
            if got >= want:
                break
            if len(g) > 1:
                continue  # near-duplicate groups always stay in train
            if any(p in recs[g[0]]["prompt"] for p in PIN_TRAIN):
                continue
            test_idx.update(g)
            got += len(g)
    parts = {"train": [], "test": []}
    for idx, r in enumerate(recs):
        parts["test" if idx in test_idx else "train"].append(r)
    for name, rows in parts.items():
        rows.sort(key=lambda r: r["id"])
        with open(os.path.join(HERE, f"{name}.jsonl"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(
                    json.dumps(
                        {k: r[k] for k in ("id", "tier", "kind", "domain", "lang", "prompt")},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    pinned = [r for r in parts["test"] if any(p in r["prompt"] for p in PIN_TRAIN)]
    assert not pinned, pinned
    print(f"pinned to train: {sum(1 for r in recs if any(p in r['prompt'] for p in PIN_TRAIN))}")
    print(
        f"records={len(recs)} near-duplicate pairs={near} groups>1={sum(1 for g in groups.values() if len(g) > 1)}"
    )
    # leakage check across parts
    tr = [shingles(r["prompt"]) for r in parts["train"]]
    inv2 = collections.defaultdict(set)
    for j, s in enumerate(tr):
        for g in s:
            inv2[g].add(j)
    leaks = 0
    for r in parts["test"]:
        s = shingles(r["prompt"])
        cnt = collections.Counter(j for g in s for j in inv2.get(g, ()))
        for j, c in cnt.items():
            if c / len(s | tr[j]) >= 0.5:
                leaks += 1
    print("test/train near-duplicate leaks:", leaks)
    for name, rows in parts.items():
        n = len(rows)
        print(f"\n== {name}: {n}")
        for field in ("tier", "kind", "domain", "lang"):
            c = collections.Counter(r[field] for r in rows)
            print(f"  {field}: " + ", ".join(f"{k} {v} ({100 * v / n:.1f}%)" for k, v in c.most_common()))
        c = collections.Counter((r["kind"], r["tier"]) for r in rows)
        print("  kind x tier: " + ", ".join(f"{k}/{t} {v}" for (k, t), v in sorted(c.items())))
    if leaks:
        sys.exit("leak")
    write_counts(parts)


def write_counts(parts):
    """Fill the counts section of README.md (between the two markers)."""
    out = []
    for field in ("tier", "kind", "domain", "lang"):
        keys = sorted(
            {r[field] for rows in parts.values() for r in rows},
            key=lambda k: -sum(1 for rows in parts.values() for r in rows if r[field] == k),
        )
        out.append(f"\n**{field}**\n\n| {field} | train | % | test | % |\n|---|---:|---:|---:|---:|")
        for k in keys:
            cells = []
            for name in ("train", "test"):
                rows = parts[name]
                v = sum(1 for r in rows if r[field] == k)
                cells += [str(v), f"{100 * v / len(rows):.1f}"]
            out.append(f"| {k} | " + " | ".join(cells) + " |")
        out.append(f"| total | {len(parts['train'])} | 100 | {len(parts['test'])} | 100 |")
    out.append("\n**kind x tier**\n\n| kind | tier | train | test |\n|---|---|---:|---:|")
    combos = sorted({(r["kind"], r["tier"]) for rows in parts.values() for r in rows})
    for k, t in combos:
        a = sum(1 for r in parts["train"] if (r["kind"], r["tier"]) == (k, t))
        b = sum(1 for r in parts["test"] if (r["kind"], r["tier"]) == (k, t))
        out.append(f"| {k} | {t} | {a} | {b} |")
    readme = os.path.join(HERE, "README.md")
    if not os.path.exists(readme):
        return
    text = open(readme, encoding="utf-8").read()
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + start + "\n" + "\n".join(out).lstrip("\n") + "\n" + end + tail
        open(readme, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main()
