#!/usr/bin/env python3
"""Validate test.jsonl against the format and labelling rules of SPEC.md sections 1-2.

Stdlib only.  Exits non-zero if any error is found.  Checks:
  * record shape (id, kind, locale, text, spans) and span shape (start, end, type, text);
  * ids unique and of the form v5-<kind>-<nnn>; kind and locale allowed;
  * every span: in bounds, text[start:end] == span.text, no whitespace at its edges, no line
    break inside, allowed type; spans sorted and non-overlapping;
  * AGE: digit-only ages > 89; ages in words parse to a number > 89;
  * DATE is never a bare year;
  * PHI-free documents (marked `nophi` in the src/ headers) have zero spans, all others at
    least one; the set of ids in src/ equals the set in test.jsonl;
  * unlabelled repeats: a labelled string of 4+ characters that appears elsewhere in the same
    text as a whole token (case-insensitive) without being covered by a span is an error,
    except for the ordinary-word names and towns in EXEMPT;
  * check digits: 10-digit MRNs in en_GB documents are NHS numbers (mod 11); 10-digit LICENSE
    values are NPIs (Luhn with 80840 prefix); LICENSE values shaped like a DEA number pass the
    DEA checksum;
  * synthetic-only: e-mail and URL host names must be example.* domains; IP spans parse;
  * no left-over tag syntax ("[[" or "]]") in any text.
"""
import ipaddress
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
PATH = os.path.join(HERE, "test.jsonl")

TYPES = {
    "NAME", "ADDRESS", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN",
    "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC", "ID",
    "FACILITY",
}
KINDS = {
    "discharge_summary", "nursing_note", "progress_note", "history_physical", "ems_run_report",
    "pharmacy_log", "referral_letter", "lab_report", "radiology_report", "csv_export",
    "json_export", "hl7_message", "email", "portal_message", "call_transcript",
    "incident_report", "consent_form",
}
LOCALES = {"en_US", "en_GB", "en_CA", "en_AU", "en_IN"}

# First names and towns that are also ordinary English words.  Their ordinary-word uses
# ("may shower", "grace period", "reading glasses") are hard negatives by design.
EXEMPT = {
    "will", "may", "grace", "hope", "rose", "june", "mark", "ray", "bill", "sue", "pat",
    "faith", "joy", "dawn", "summer", "iris", "ruby", "amber", "april", "august", "frank",
    "jack", "penny", "sunny", "rich", "bob", "art", "gene", "lily", "ivy", "holly", "heather",
    "daisy", "violet", "autumn", "reading", "bath", "hull", "wells", "deal", "march", "sale",
    "street", "bury", "battle", "mobile", "normal", "orange", "hall", "sandy", "crystal",
    "chase", "hunter", "mercy", "destiny", "clay", "dale", "glen", "cliff", "miles", "wade",
    "neil", "victor", "patience", "honor", "pearl", "opal", "ginger", "rusty", "robin",
    "jean", "carol", "don", "drew", "brook", "lane", "forest", "marsh", "page", "rock",
    "cook", "baker", "mason", "porter", "walker", "fisher", "hart", "moss", "reed", "price",
    "banks", "long", "young", "short", "black", "white", "brown", "green", "gray", "grey",
    "bell", "king", "wood", "stone", "field", "ford", "hill", "lake", "park", "rivers",
    "sterling", "harmony", "unity", "prosper", "paradise", "liberty", "independence",
    "eden", "mayo", "sunrise", "bright", "wise", "noble", "star", "golden", "chance",
}

NUM_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}

NAME_PARTICLES = {"van", "von", "der", "den", "del", "de", "la", "le", "da", "dos", "das",
                  "bin", "binti", "al", "el", "ap", "st", "ter", "ten", "mrs", "mr", "ms", "dr"}

_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
SUSPECT = [
    ("date", re.compile(r"(?<![\w/.-])\d{1,2}([/.-])\d{1,2}\1(?:19|20)?\d\d(?![\w/.-])")),
    ("date", re.compile(r"(?<![\w-])(?:19|20)\d\d-\d\d-\d\d(?![\w-])")),
    ("date", re.compile(r"(?<!\w)\d{1,2}(?:st|nd|rd|th)? " + _MON + r",? (?:19|20)\d\d(?!\w)", re.I)),
    ("date", re.compile(r"(?<!\w)" + _MON + r" \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d\d(?!\w)", re.I)),
    ("phone", re.compile(r"\(\d{3}\) ?\d{3}-\d{4}")),
    ("phone", re.compile(r"(?<![\w-])\d{3}-\d{3}-\d{4}(?![\w-])")),
    ("phone", re.compile(r"(?<![\w])0\d{4} ?\d{6}(?!\w)")),
    ("phone", re.compile(r"\+(?:1|44|61|91)[\s.(-]*\d[\d\s().-]{7,}\d")),
    ("ip", re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])")),
    ("url", re.compile(r"(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:)\]]", re.I)),
]

errors = []


def err(doc_id, msg):
    errors.append(f"{doc_id}: {msg}")


def words_to_int(s):
    toks = [t for t in re.split(r"[\s-]+", s.lower()) if t]
    total = 0
    seen = False
    for t in toks:
        if t in ("and",):
            continue
        if t == "a":
            total = max(total, 1) if not seen else total
            seen = True
            continue
        if t in NUM_WORDS:
            total += NUM_WORDS[t]
            seen = True
        elif t == "hundred":
            total = max(total, 1) * 100
            seen = True
        else:
            return None
    return total if seen else None


def nhs_valid(s):
    digits = re.sub(r"[ -]", "", s)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(c) * (10 - i) for i, c in enumerate(digits[:9]))
    c = 11 - total % 11
    c = 0 if c == 11 else c
    return c != 10 and c == int(digits[9])


def luhn_ok(num):
    total = 0
    for i, ch in enumerate(reversed(num)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


def npi_valid(s):
    return bool(re.fullmatch(r"\d{10}", s)) and luhn_ok("80840" + s)


def dea_valid(s):
    d = [int(c) for c in s[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


EXAMPLE_HOST = re.compile(r"(^|\.)example\.(com|org|net|edu|co\.uk|org\.uk|nhs\.uk|ca|com\.au|"
                          r"org\.au|net\.au|in|co\.in|org\.in|gov|io)$", re.I)


def host_of_url(u):
    u = re.sub(r"^[a-z][a-z0-9+.-]*://", "", u, flags=re.I)
    host = re.split(r"[/?#:]", u, maxsplit=1)[0]
    host = host.split("@")[-1]
    return host.lower()


def src_flags():
    flags = {}
    hdr = re.compile(r"^%%DOC (v5-[a-z0-9_]+-\d{3}) [a-z0-9_]+ en_[A-Z]{2}( nophi)?\s*$")
    for fname in sorted(os.listdir(SRC)):
        if not fname.endswith(".txt"):
            continue
        with open(os.path.join(SRC, fname), encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("%%DOC"):
                    m = hdr.match(line.rstrip("\n"))
                    if not m:
                        err(fname, f"malformed header {line.strip()!r}")
                        continue
                    flags[m.group(1)] = bool(m.group(2))
    return flags


def check_doc(rec, flags):
    did = rec.get("id", "?")
    if set(rec) != {"id", "kind", "locale", "text", "spans"}:
        err(did, f"record keys {sorted(rec)}")
        return
    kind, locale, text, spans = rec["kind"], rec["locale"], rec["text"], rec["spans"]
    m = re.fullmatch(r"v5-([a-z0-9_]+)-(\d{3})", did)
    if not m or m.group(1) != kind:
        err(did, "id does not match v5-<kind>-<nnn>")
    if kind not in KINDS:
        err(did, f"kind {kind!r} not allowed")
    if locale not in LOCALES:
        err(did, f"locale {locale!r} not allowed")
    if not isinstance(text, str) or not text:
        err(did, "empty text")
        return
    if "[[" in text or "]]" in text:
        err(did, "left-over tag syntax in text")
    prev_end = -1
    prev_start = -1
    for sp in spans:
        if set(sp) != {"start", "end", "type", "text"}:
            err(did, f"span keys {sorted(sp)}")
            continue
        s, e, t, st = sp["start"], sp["end"], sp["type"], sp["text"]
        if not (isinstance(s, int) and isinstance(e, int)) or not (0 <= s < e <= len(text)):
            err(did, f"bad offsets {s},{e}")
            continue
        if text[s:e] != st:
            err(did, f"text mismatch at {s},{e}: {text[s:e]!r} != {st!r}")
        if st != st.strip():
            err(did, f"whitespace at span edge {st!r}")
        if "\n" in st:
            err(did, f"line break inside span {st!r}")
        if t not in TYPES:
            err(did, f"type {t!r} not allowed")
        if s < prev_start:
            err(did, "spans not sorted")
        if s < prev_end:
            err(did, f"overlapping spans at {s}")
        prev_start, prev_end = s, e
        # type-specific checks
        if t == "AGE":
            if st.isdigit():
                if int(st) <= 89:
                    err(did, f"AGE {st} <= 89")
            else:
                v = words_to_int(st)
                if v is None or v <= 89:
                    err(did, f"AGE {st!r} is not a number word > 89")
        if t == "NAME" and re.match(r"(?i)(dr|mr|mrs|ms|miss|mx|prof|sr|smt|shri|sri|sh|kum|master|mstr)\.?\s", st):
            err(did, f"title inside NAME span {st!r}")
        if t == "NAME" and re.search(r"(?i)[\s,](md|rn|do|np|pa|mbbs|frcp|rph|dpt|phd|emt-?[bp]?)\.?$", st):
            err(did, f"credential inside NAME span {st!r}")
        if t == "LICENSE" and re.match(r"(?i)(cpso|gmc|npi|dea|ahpra|lic|hcpc|gphc|ocp|cpsbc|cpsa|nmc)\b", st):
            err(did, f"label word inside LICENSE span {st!r}")
        if t in ("MRN", "SSN", "PHONE", "ID", "ACCOUNT", "HEALTH_PLAN") and re.match(r"(?i)(mrn|nhs|ssn|tel|ph|fax|mob|id|acct|no)[\s.:#]", st):
            err(did, f"label word inside {t} span {st!r}")
        if t == "DATE" and re.match(r"(?i)(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", st):
            err(did, f"weekday inside DATE span {st!r}")
        if st[:1] in "^,;:|~" or st[-1:] in "^,;:|~":
            err(did, f"separator at span edge {st!r}")
        if t == "DATE" and re.fullmatch(r"(19|20)\d\d", st):
            err(did, f"DATE is a bare year {st!r}")
        if t == "PHONE" and len(re.sub(r"\D", "", st)) < 4:
            err(did, f"PHONE with fewer than 4 digits {st!r}")
        if t == "MRN" and locale == "en_GB":
            digits = re.sub(r"[ -]", "", st)
            if re.fullmatch(r"\d{10}", digits) and not nhs_valid(st):
                err(did, f"NHS number fails mod-11: {st!r}")
        if t == "LICENSE":
            if re.fullmatch(r"\d{10}", st) and not npi_valid(st):
                err(did, f"NPI fails Luhn: {st!r}")
            if re.fullmatch(r"[A-Z][A-Z9]\d{7}", st) and not dea_valid(st):
                err(did, f"DEA checksum fails: {st!r}")
        if t == "EMAIL":
            if "@" not in st or not EXAMPLE_HOST.search(st.split("@")[-1].lower()):
                err(did, f"e-mail not on an example.* domain: {st!r}")
        if t == "URL":
            if not EXAMPLE_HOST.search(host_of_url(st)):
                err(did, f"URL not on an example.* domain: {st!r}")
        if t == "IP":
            try:
                ip = ipaddress.ip_address(st)
                nets = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32",
                        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8"]
                if not any(ip in ipaddress.ip_network(n) for n in nets):
                    err(did, f"IP outside documentation/private ranges: {st!r}")
            except ValueError:
                err(did, f"IP does not parse: {st!r}")
    # emails/urls appearing without a span
    for mm in re.finditer(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", text):
        if not any(sp["start"] <= mm.start() and mm.end() <= sp["end"] for sp in spans):
            err(did, f"unlabelled e-mail-like string {mm.group(0)!r}")
    # identifier-shaped strings that no span covers (catches forgotten tags)
    for label, rx in SUSPECT:
        for mm in rx.finditer(text):
            a, b = mm.start(), mm.end()
            if not any(sp["start"] <= a and b <= sp["end"] for sp in spans):
                err(did, f"unlabelled {label}-like string {mm.group(0)!r}")
    # partial repeats of multi-token names ("Dear Neha," after "Neha Srinivasan")
    name_tokens = set()
    for sp in spans:
        if sp["type"] == "NAME":
            for tok in re.split(r"[\s,^.]+", sp["text"]):
                if len(tok) >= 3 and tok.lower() not in EXEMPT and tok.lower() not in NAME_PARTICLES:
                    name_tokens.add(tok)
    covered_n = [(sp["start"], sp["end"]) for sp in spans]
    for tok in sorted(name_tokens):
        pat = re.compile(r"(?<![A-Za-z0-9])" + re.escape(tok) + r"(?![A-Za-z0-9])", re.I)
        for mm in pat.finditer(text):
            a, b = mm.start(), mm.end()
            if not any(cs <= a and b <= ce for cs, ce in covered_n):
                ctx = text[max(0, a - 25):b + 25].replace("\n", " ")
                err(did, f"unlabelled part of a name {tok!r} at {a}: ...{ctx}...")
    # PHI-free flags
    if did not in flags:
        err(did, "id not found in src/ headers")
    else:
        if flags[did] and spans:
            err(did, f"PHI-free document has {len(spans)} spans")
        if not flags[did] and not spans:
            err(did, "PHI document has no spans")
    # unlabelled repeats
    covered = [(sp["start"], sp["end"]) for sp in spans]
    for st in sorted({sp["text"] for sp in spans}):
        if len(st) < 4 or st.lower() in EXEMPT:
            continue
        pat = re.compile(r"(?<![A-Za-z0-9])" + re.escape(st) + r"(?![A-Za-z0-9])", re.I)
        for mm in pat.finditer(text):
            a, b = mm.start(), mm.end()
            if not any(cs <= a and b <= ce for cs, ce in covered):
                ctx = text[max(0, a - 25):b + 25].replace("\n", " ")
                err(did, f"unlabelled repeat of {st!r} at {a}: ...{ctx}...")


def main():
    if not os.path.exists(PATH):
        print("test.jsonl missing; run build.py first", file=sys.stderr)
        return 2
    flags = src_flags()
    ids = []
    n = 0
    with open(PATH, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                err(f"line {lineno}", f"invalid JSON: {e}")
                continue
            n += 1
            ids.append(rec.get("id"))
            check_doc(rec, flags)
    dup = {i for i in ids if ids.count(i) > 1}
    for i in sorted(dup):
        err(i, "duplicate id")
    missing = set(flags) - set(ids)
    for i in sorted(missing):
        err(i, "in src/ but not in test.jsonl")
    if errors:
        for e in errors:
            print("ERROR", e)
        print(f"{len(errors)} error(s) in {n} documents", file=sys.stderr)
        return 1
    print(f"OK: {n} documents, 0 errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
