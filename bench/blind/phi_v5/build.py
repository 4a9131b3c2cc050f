#!/usr/bin/env python3
"""Build the blind-v5 PHI evaluation corpus from hand-written, inline-tagged sources.

Source format (src/*.txt, read in sorted file-name order):

    %%# comment line (only allowed outside documents, i.e. before the first header)
    %%DOC v5-<kind>-<nnn> <kind> <locale>[ nophi]
    ...document text, identifiers tagged inline as [[TYPE:value]]...

A tag is ``[[TYPE:value]]`` or ``[[TYPE/hint:value]]``.  TYPE is one of the 20 SPEC types,
the optional hint (nhs, npi, dea) asks the build to verify a check digit.  The value is the
exact span text: no line breaks, no leading/trailing whitespace, no ``[[`` or ``]]``.
Any ``[[`` or ``]]`` that is not part of a well-formed tag is an error, so the tag syntax
cannot silently collide with document text.

Output: test.jsonl (single part, all test; fixed shuffle), counts printed to stdout and the
statistics block in README.md (between the stats markers) rewritten.  Stdlib only and
deterministic.

Check-digit helpers (used while writing the documents):
    python3 build.py --cd nhs 943476591 ...   -> full 10-digit NHS numbers (or INVALID)
    python3 build.py --cd npi 123456789 ...   -> full 10-digit NPIs
    python3 build.py --cd dea AB123456 ...    -> full DEA numbers
"""
import json
import os
import random
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
OUT = os.path.join(HERE, "test.jsonl")
README = os.path.join(HERE, "README.md")
SHUFFLE_SEED = 50052025

TYPES = [
    "NAME", "ADDRESS", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN",
    "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC", "ID",
    "FACILITY",
]
KINDS = [
    "discharge_summary", "nursing_note", "progress_note", "history_physical", "ems_run_report",
    "pharmacy_log", "referral_letter", "lab_report", "radiology_report", "csv_export",
    "json_export", "hl7_message", "email", "portal_message", "call_transcript",
    "incident_report", "consent_form",
]
LOCALES = ["en_US", "en_GB", "en_CA", "en_AU", "en_IN"]
# Kinds that SPEC says always contain PHI.
ALWAYS_PHI = {"referral_letter", "hl7_message", "email", "portal_message", "call_transcript"}

HEADER_RE = re.compile(
    r"^%%DOC (v5-([a-z0-9_]+)-(\d{3})) ([a-z0-9_]+) (en_US|en_GB|en_CA|en_AU|en_IN)( nophi)?\s*$")
TAG_BODY_RE = re.compile(r"^([A-Z_]+)(?:/([a-z0-9]+))?:(.+)$")


class BuildError(Exception):
    pass


# ---------------------------------------------------------------- check digits
def nhs_check(nine):
    d = [int(c) for c in nine]
    total = sum(v * (10 - i) for i, v in enumerate(d))
    c = 11 - (total % 11)
    if c == 11:
        c = 0
    return None if c == 10 else c


def nhs_valid(s):
    digits = re.sub(r"[ -]", "", s)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    c = nhs_check(digits[:9])
    return c is not None and c == int(digits[9])


def luhn_check_digit(payload):
    total = 0
    for i, ch in enumerate(reversed(payload)):
        v = int(ch)
        if i % 2 == 0:  # positions that get doubled when a check digit is appended
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return (10 - total % 10) % 10


def npi_check(nine):
    return luhn_check_digit("80840" + nine)


def npi_valid(s):
    return bool(re.fullmatch(r"\d{10}", s)) and npi_check(s[:9]) == int(s[9])


def dea_check(six):
    d = [int(c) for c in six]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10


def dea_valid(s):
    m = re.fullmatch(r"[A-Z][A-Z9](\d{7})", s)
    return bool(m) and dea_check(m.group(1)[:6]) == int(m.group(1)[6])


def cd_cli(args):
    kind, vals = args[0], args[1:]
    for v in vals:
        if kind == "nhs":
            digits = re.sub(r"\D", "", v)
            c = nhs_check(digits)
            print(v, "->", "INVALID" if c is None else f"{digits[:3]} {digits[3:6]} {digits[6:]}{c}")
        elif kind == "npi":
            print(v, "->", v + str(npi_check(v)))
        elif kind == "dea":
            print(v, "->", v + str(dea_check(v[2:8])))
        else:
            raise SystemExit("unknown check-digit kind " + kind)


# ---------------------------------------------------------------- parsing
def parse_tagged(raw, where):
    """Return (text, spans) for one document body containing inline tags."""
    out = []
    spans = []
    pos = 0
    n = 0  # length of output so far (code points)
    while True:
        i = raw.find("[[", pos)
        if i < 0:
            rest = raw[pos:]
            if "]]" in rest:
                raise BuildError(f"{where}: stray ']]' in text: {rest[rest.find(']]')-30:rest.find(']]')+5]!r}")
            out.append(rest)
            break
        plain = raw[pos:i]
        if "]]" in plain:
            raise BuildError(f"{where}: stray ']]' before tag: {plain[-40:]!r}")
        out.append(plain)
        n += len(plain)
        j = raw.find("]]", i + 2)
        if j < 0:
            raise BuildError(f"{where}: unclosed '[[' at {raw[i:i+40]!r}")
        body = raw[i + 2:j]
        if "[[" in body:
            raise BuildError(f"{where}: nested or unclosed tag: {raw[i:j+2]!r}")
        if "\n" in body:
            raise BuildError(f"{where}: line break inside tag: {raw[i:j+2]!r}")
        m = TAG_BODY_RE.match(body)
        if not m:
            raise BuildError(f"{where}: malformed tag {raw[i:j+2]!r}")
        typ, hint, val = m.group(1), m.group(2), m.group(3)
        if typ not in TYPES:
            raise BuildError(f"{where}: unknown type {typ!r} in {raw[i:j+2]!r}")
        if val != val.strip():
            raise BuildError(f"{where}: whitespace at edge of tag value {raw[i:j+2]!r}")
        if hint is not None:
            ok = {"nhs": nhs_valid, "npi": npi_valid, "dea": dea_valid}.get(hint)
            if ok is None:
                raise BuildError(f"{where}: unknown hint {hint!r}")
            if not ok(val):
                raise BuildError(f"{where}: check digit fails for {hint} {val!r}")
        if typ == "AGE" and val.isdigit() and int(val) <= 89:
            raise BuildError(f"{where}: AGE {val} is not over 89")
        spans.append({"start": n, "end": n + len(val), "type": typ, "text": val})
        out.append(val)
        n += len(val)
        pos = j + 2
    text = "".join(out)
    for s in spans:
        assert text[s["start"]:s["end"]] == s["text"]
    for a, b in zip(spans, spans[1:]):
        if b["start"] < a["end"]:
            raise BuildError(f"{where}: overlapping spans")
    return text, spans


def read_sources():
    files = sorted(f for f in os.listdir(SRC) if f.endswith(".txt"))
    if not files:
        raise BuildError("no source files in src/")
    docs = []
    seen = set()
    for fname in files:
        path = os.path.join(SRC, fname)
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        cur = None
        for lineno, line in enumerate(lines, 1):
            if line.startswith("%%DOC"):
                m = HEADER_RE.match(line)
                if not m:
                    raise BuildError(f"{fname}:{lineno}: malformed header {line!r}")
                did, idkind, _num, kind, locale, nophi = m.groups()
                if idkind != kind or kind not in KINDS:
                    raise BuildError(f"{fname}:{lineno}: bad kind in header {line!r}")
                if did in seen:
                    raise BuildError(f"{fname}:{lineno}: duplicate id {did}")
                seen.add(did)
                cur = {"id": did, "kind": kind, "locale": locale, "nophi": bool(nophi),
                       "lines": [], "where": f"{fname}:{lineno} {did}"}
                docs.append(cur)
            elif line.startswith("%%#"):
                if cur is not None:
                    raise BuildError(f"{fname}:{lineno}: comment line inside a document")
            elif line.startswith("%%"):
                raise BuildError(f"{fname}:{lineno}: unknown directive {line!r}")
            elif cur is None:
                if line.strip():
                    raise BuildError(f"{fname}:{lineno}: text outside a document")
            else:
                cur["lines"].append(line)
    result = []
    for d in docs:
        lines = d["lines"]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            raise BuildError(f"{d['where']}: empty document")
        raw = "\n".join(line.rstrip() for line in lines)
        text, spans = parse_tagged(raw, d["where"])
        if d["nophi"] and spans:
            raise BuildError(f"{d['where']}: marked nophi but has {len(spans)} spans")
        if not d["nophi"] and not spans:
            raise BuildError(f"{d['where']}: PHI document without spans (mark it nophi?)")
        if d["nophi"] and d["kind"] in ALWAYS_PHI:
            raise BuildError(f"{d['where']}: kind {d['kind']} must contain PHI")
        result.append({"id": d["id"], "kind": d["kind"], "locale": d["locale"], "text": text,
                       "spans": spans, "_nophi": d["nophi"]})
    return result


# ---------------------------------------------------------------- stats / output
def table(counter, order, title):
    rows = [f"| {title} | count |", "|---|---|"]
    for k in order:
        if counter.get(k):
            rows.append(f"| {k} | {counter[k]} |")
    return rows


def stats(docs):
    by_type = Counter(s["type"] for d in docs for s in d["spans"])
    by_kind = Counter(d["kind"] for d in docs)
    by_kind_free = Counter(d["kind"] for d in docs if d["_nophi"])
    by_locale = Counter(d["locale"] for d in docs)
    spans_kind = Counter()
    for d in docs:
        spans_kind[d["kind"]] += len(d["spans"])
    spans_locale = Counter()
    for d in docs:
        spans_locale[d["locale"]] += len(d["spans"])
    free = sum(1 for d in docs if d["_nophi"])
    total_spans = sum(by_type.values())
    lines = [
        f"* Documents: **{len(docs)}** (all in `test.jsonl`)",
        f"* PHI-free documents: **{free}** ({100.0 * free / len(docs):.1f} %)",
        f"* Labelled spans: **{total_spans}**",
        f"* Characters of text: {sum(len(d['text']) for d in docs)}",
        "",
        "Spans per type:",
        "",
    ]
    lines += table(by_type, TYPES, "type")
    lines += ["", "Documents and spans per kind:", "", "| kind | documents | PHI-free | spans |",
              "|---|---|---|---|"]
    for k in KINDS:
        if by_kind.get(k):
            lines.append(f"| {k} | {by_kind[k]} | {by_kind_free.get(k, 0)} | {spans_kind[k]} |")
    lines += ["", "Documents and spans per locale:", "", "| locale | documents | spans |",
              "|---|---|---|"]
    for loc in LOCALES:
        if by_locale.get(loc):
            lines.append(f"| {loc} | {by_locale[loc]} | {spans_locale[loc]} |")
    return lines


def update_readme(stat_lines):
    start, end = "<!-- stats:start -->", "<!-- stats:end -->"
    if not os.path.exists(README):
        return
    with open(README, encoding="utf-8") as fh:
        content = fh.read()
    if start not in content or end not in content:
        return
    a = content.index(start) + len(start)
    b = content.index(end)
    new = content[:a] + "\n" + "\n".join(stat_lines) + "\n" + content[b:]
    if new != content:
        with open(README, "w", encoding="utf-8") as fh:
            fh.write(new)


def main(argv):
    if len(argv) > 1 and argv[1] == "--cd":
        cd_cli(argv[2:])
        return 0
    try:
        docs = read_sources()
    except BuildError as e:
        print("BUILD ERROR:", e, file=sys.stderr)
        return 1
    docs.sort(key=lambda d: d["id"])
    random.Random(SHUFFLE_SEED).shuffle(docs)
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        for d in docs:
            rec = {"id": d["id"], "kind": d["kind"], "locale": d["locale"], "text": d["text"],
                   "spans": d["spans"]}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    stat_lines = stats(docs)
    print("\n".join(stat_lines))
    update_readme(stat_lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
