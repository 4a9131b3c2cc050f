#!/usr/bin/env python3
"""Build test.jsonl from the hand-written sources in src/batch_NN.txt.

Source format
-------------
Each document starts with a delimiter line:

    === DOC <id> | <kind> | <locale> | <phi|nophi> [| upper] [| lower] [| cr]

and runs until the next delimiter line (or end of file).  Leading and trailing
blank lines of a document are dropped.  Identifiers are written inline as
[[TYPE:value]]; only the value ends up in the text.

Flags
  upper / lower : the whole document is upper-/lower-cased, per segment,
                  before offsets are computed (so spans stay exact).
  cr            : line breaks inside the document become "\r" (HL7 segment
                  terminators), again per segment.

`python3 build.py --number` rewrites the delimiter lines of every source file
so that ids are v6-<kind>-<nnn>, numbered per kind in file order.  Plain
`python3 build.py` builds test.jsonl and stops with an error on any malformed
tag, bad span or inconsistent phi/nophi marker.
"""
import glob
import json
import re
import sys

TYPES = {
    "NAME", "ADDRESS", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "EMAIL", "SSN",
    "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP",
    "BIOMETRIC", "ID", "FACILITY",
}
LOCALES = {"en_US", "en_GB", "en_CA", "en_AU", "en_IN"}
FLAGS = {"upper", "lower", "cr"}

HEADER = re.compile(r"^=== DOC (\S+) \| ([a-z0-9_]+) \| (en_[A-Z]{2}) \| (phi|nophi)((?: \| [a-z]+)*)\s*$")
TAG = re.compile(r"\[\[([A-Z_]+):(.*?)\]\]", re.S)


class BuildError(Exception):
    pass


def src_files():
    return sorted(glob.glob("src/batch_*.txt"))


def split_docs(path):
    docs = []
    cur = None
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for ln, line in enumerate(lines, 1):
        if line.startswith("=== DOC"):
            m = HEADER.match(line)
            if not m:
                raise BuildError(f"{path}:{ln}: malformed delimiter line: {line!r}")
            flags = [f.strip() for f in m.group(5).split("|") if f.strip()]
            for f in flags:
                if f not in FLAGS:
                    raise BuildError(f"{path}:{ln}: unknown flag {f!r}")
            if m.group(3) not in LOCALES:
                raise BuildError(f"{path}:{ln}: unknown locale {m.group(3)!r}")
            cur = {"id": m.group(1), "kind": m.group(2), "locale": m.group(3),
                   "phi": m.group(4) == "phi", "flags": flags, "lines": [],
                   "where": f"{path}:{ln}"}
            docs.append(cur)
        else:
            if cur is None:
                if line.strip() and not line.startswith("#"):
                    raise BuildError(f"{path}:{ln}: text before the first document")
                continue
            cur["lines"].append(line)
    return docs


def transform(s, flags):
    if "upper" in flags:
        s = s.upper()
    if "lower" in flags:
        s = s.lower()
    if "cr" in flags:
        s = s.replace("\n", "\r")
    return s


def build_doc(d):
    raw = "\n".join(d["lines"]).strip("\n")
    where = d["where"]
    segs = []
    pos = 0
    for m in TAG.finditer(raw):
        segs.append((raw[pos:m.start()], None))
        typ, val = m.group(1), m.group(2)
        if typ not in TYPES:
            raise BuildError(f"{where} ({d['id']}): unknown type {typ!r} in {m.group(0)!r}")
        if not val or val != val.strip():
            raise BuildError(f"{where} ({d['id']}): empty value or edge whitespace in {m.group(0)!r}")
        if "[[" in val or "]]" in val or "[" == val[:1]:
            raise BuildError(f"{where} ({d['id']}): nested/malformed tag {m.group(0)!r}")
        segs.append((val, typ))
        pos = m.end()
    segs.append((raw[pos:], None))
    text = ""
    spans = []
    for s, typ in segs:
        if typ is None and ("[[" in s or "]]" in s):
            raise BuildError(f"{where} ({d['id']}): malformed tag near {s[max(0, s.find('[[') - 20):s.find('[[') + 40]!r}")
        s = transform(s, d["flags"])
        if typ is not None:
            if s != s.strip():
                raise BuildError(f"{where} ({d['id']}): whitespace at span edge {s!r}")
            spans.append({"start": len(text), "end": len(text) + len(s), "type": typ, "text": s})
        text += s
    # checks
    last = 0
    for sp in spans:
        if text[sp["start"]:sp["end"]] != sp["text"]:
            raise BuildError(f"{d['id']}: offset mismatch")
        if sp["start"] < last:
            raise BuildError(f"{d['id']}: overlapping spans")
        if sp["start"] == sp["end"]:
            raise BuildError(f"{d['id']}: empty span")
        last = sp["end"]
        if sp["type"] == "AGE" and sp["text"].isdigit() and int(sp["text"]) <= 89:
            raise BuildError(f"{where} ({d['id']}): AGE {sp['text']} is not over 89")
        # adjacent spans glued together with no separator are almost always a typo
    for a, b in zip(spans, spans[1:]):
        if a["end"] == b["start"]:
            raise BuildError(f"{where} ({d['id']}): adjacent spans with no gap: {a['text']!r} {b['text']!r}")
    if d["phi"] and not spans:
        raise BuildError(f"{where} ({d['id']}): marked phi but has no spans")
    if not d["phi"] and spans:
        raise BuildError(f"{where} ({d['id']}): marked nophi but has spans: {[s['text'] for s in spans]}")
    if not text.strip():
        raise BuildError(f"{where} ({d['id']}): empty document")
    return {"id": d["id"], "kind": d["kind"], "locale": d["locale"], "text": text, "spans": spans}


def number():
    counters = {}
    for path in src_files():
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        out = []
        for line in lines:
            if line.startswith("=== DOC"):
                m = HEADER.match(line)
                if not m:
                    raise BuildError(f"{path}: malformed delimiter line: {line!r}")
                kind = m.group(2)
                counters[kind] = counters.get(kind, 0) + 1
                new_id = f"v6-{kind}-{counters[kind]:03d}"
                line = line.replace(f"=== DOC {m.group(1)} ", f"=== DOC {new_id} ", 1)
            out.append(line)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(out))
    print("numbered:", sum(counters.values()), "documents")


def main():
    if "--number" in sys.argv:
        number()
        return
    out = []
    seen = set()
    try:
        for path in src_files():
            for d in split_docs(path):
                if d["id"] in seen:
                    raise BuildError(f"{d['where']}: duplicate id {d['id']} (run build.py --number)")
                seen.add(d["id"])
                out.append(build_doc(d))
    except BuildError as e:
        print("BUILD ERROR:", e, file=sys.stderr)
        sys.exit(1)
    with open("test.jsonl", "w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote test.jsonl: {len(out)} documents, {sum(len(r['spans']) for r in out)} spans")


if __name__ == "__main__":
    main()
