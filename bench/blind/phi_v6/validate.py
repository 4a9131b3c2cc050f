#!/usr/bin/env python3
"""Format checks for test.jsonl plus counts per type, kind and locale.

This is not a scorer: it never runs a detector.  Besides the format rules it
does a few consistency checks on the labels themselves:
  * an e-mail domain must be example.* ; an IP must be in a documentation or
    private range;
  * NHS numbers (MRN, 3-3-4 digits, en_GB) must pass mod-11, DEA numbers
    must pass the DEA checksum, NPIs (10 digits after the word NPI) Luhn;
  * unlabelled repeat: a labelled string of 4+ characters that also appears
    elsewhere as a whole token with no span over it is reported (word-like
    names such as May/Will/Grace/Hope are exempt);
  * e-mail- or IP-shaped strings outside any span are reported.
Exit status 1 if any error was found.
"""
import collections
import ipaddress
import json
import re
import sys

TYPES = {
    "NAME", "ADDRESS", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "EMAIL", "SSN",
    "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP",
    "BIOMETRIC", "ID", "FACILITY",
}
LOCALES = ["en_US", "en_GB", "en_CA", "en_AU", "en_IN"]
EXEMPT = {"will", "may", "grace", "hope", "rose", "june", "mark", "ray", "orange", "faith",
          "joy", "dawn", "april", "august", "bill", "sue", "pat", "patience", "sunny", "reading",
          "bath", "wells", "hull", "deal", "march", "victoria", "jack", "frank", "sandy", "summer",
          "ivy", "amber", "holly", "ruby", "pearl", "drew", "dean", "rich", "page", "hunter",
          "ward", "young", "long", "brown", "green", "white", "black", "moore", "church", "street",
          "road", "lane", "house", "cottage", "court", "avenue", "close", "drive", "hill", "park",
          "flat", "unit", "apt", "suite", "sector", "plot", "tower", "block", "phase", "nagar",
          "colony", "main", "cross", "layout", "stage", "floor", "north", "south", "east", "west",
          "upper", "lower", "saint", "mount", "lake", "river", "view", "medical", "clinic",
          "hospital", "centre", "center", "health", "pharmacy", "care", "home", "general",
          "regional", "community", "family", "practice", "surgery", "laboratory", "lab",
          "labs", "royal", "memorial", "district", "city", "valley", "county", "university",
          "private", "nursing", "chemist", "medicals", "diagnostics", "the", "and", "group",
          "partners", "associates", "heart", "kidney", "eye", "children's", "women's",
          "lodge", "manor", "gardens", "residency", "apartments", "enclave", "heights",
          "terrace", "crescent", "place", "square", "parade", "grove", "way", "row", "walk",
          "boulevard", "highway", "rue", "chemin", "rang", "boul", "station", "hall", "mill",
          "farm", "new", "old", "port", "bay", "beach", "point", "springs", "ridge", "rural",
          "route", "box", "mental", "cancer", "institute", "trust", "foundation", "services",
          "dental", "imaging", "radiology", "pathology", "urgent", "walk-in", "mission", "ems",
          "queen", "king", "prince", "princess", "st.", "st", "mary's", "john's", "luke's",
          "george's", "james's", "hospice", "villa", "retirement", "aged", "residence",
          "fire", "rescue", "ambulance", "senior", "living", "manor", "court", "springfield"}


def is_exempt(s):
    return s.lower() in EXEMPT


def nhs_ok(digits):
    if len(digits) != 10:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def dea_ok(s):
    m = re.fullmatch(r"[A-Z][A-Z9](\d{7})", s)
    if not m:
        return None
    d = [int(c) for c in m.group(1)]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


def luhn_npi(s):
    digits = [int(c) for c in "80840" + s]
    total = 0
    for i, dgt in enumerate(reversed(digits)):
        if i % 2 == 1:
            dgt *= 2
            if dgt > 9:
                dgt -= 9
        total += dgt
    return total % 10 == 0


DOC_NETS = [ipaddress.ip_network(n) for n in (
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "10.0.0.0/8", "172.16.0.0/12",
    "192.168.0.0/16", "2001:db8::/32", "fd00::/8", "127.0.0.0/8")]

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONEISH_RE = re.compile(r"(?<![\w.])(?:\+\d{1,3}[ -]?)?(?:\(\d{2,5}\) ?\d{3,4}[ -]?\d{3,4}|\d{3}[-. ]\d{3}[-. ]\d{4}|0\d{3,4} ?\d{3} ?\d{3,4}|\d{5} \d{5})(?![\w])")
IP_RE = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")


def main(path="test.jsonl"):
    errors = []
    warnings = []
    reviews = []
    by_type = collections.Counter()
    by_kind = collections.Counter()
    by_kind_free = collections.Counter()
    by_locale = collections.Counter()
    by_locale_free = collections.Counter()
    chars_by_type = collections.Counter()
    ids = set()
    n = 0
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"line {lineno}: bad JSON {e}")
                continue
            n += 1
            if set(rec) != {"id", "kind", "locale", "text", "spans"}:
                errors.append(f"line {lineno}: keys {sorted(rec)}")
                continue
            did, text, spans = rec["id"], rec["text"], rec["spans"]
            if did in ids:
                errors.append(f"{did}: duplicate id")
            ids.add(did)
            if not re.fullmatch(r"v6-[a-z0-9_]+-\d{3}", did) or did.split("-")[1] != rec["kind"]:
                errors.append(f"{did}: id does not follow v6-<kind>-<nnn>")
            if rec["locale"] not in LOCALES:
                errors.append(f"{did}: locale {rec['locale']}")
            by_kind[rec["kind"]] += 1
            by_locale[rec["locale"]] += 1
            if not spans:
                by_kind_free[rec["kind"]] += 1
                by_locale_free[rec["locale"]] += 1
            last = 0
            covered = [False] * len(text)
            for sp in spans:
                if set(sp) != {"start", "end", "type", "text"}:
                    errors.append(f"{did}: span keys {sorted(sp)}")
                    continue
                s, e, t = sp["start"], sp["end"], sp["type"]
                if t not in TYPES:
                    errors.append(f"{did}: type {t}")
                if not (0 <= s < e <= len(text)):
                    errors.append(f"{did}: bad offsets {s},{e}")
                    continue
                if s < last:
                    errors.append(f"{did}: spans unsorted or overlapping at {s}")
                last = e
                if text[s:e] != sp["text"]:
                    errors.append(f"{did}: text mismatch at {s}")
                if sp["text"] != sp["text"].strip():
                    errors.append(f"{did}: whitespace at edge of {sp['text']!r}")
                if t == "AGE" and sp["text"].isdigit() and int(sp["text"]) <= 89:
                    errors.append(f"{did}: AGE {sp['text']} <= 89")
                if t == "EMAIL" and not re.search(r"[@.]example\.[a-z.]+$", sp["text"].lower()):
                    errors.append(f"{did}: e-mail domain not example.*: {sp['text']}")
                if t == "URL" and "example." not in sp["text"].lower():
                    errors.append(f"{did}: URL not on an example domain: {sp['text']}")
                if t == "IP":
                    try:
                        ip = ipaddress.ip_address(sp["text"])
                        if not any(ip in net for net in DOC_NETS):
                            errors.append(f"{did}: IP outside documentation/private ranges: {sp['text']}")
                    except ValueError:
                        warnings.append(f"{did}: IP span not parseable (noise?): {sp['text']!r}")
                if t == "MRN" and rec["locale"] == "en_GB" and re.fullmatch(r"\d{3} \d{3} \d{4}", sp["text"]):
                    if not nhs_ok(sp["text"].replace(" ", "")):
                        errors.append(f"{did}: NHS number fails mod-11: {sp['text']}")
                if t == "LICENSE":
                    ok = dea_ok(sp["text"])
                    if ok is False:
                        errors.append(f"{did}: DEA checksum fails: {sp['text']}")
                    if re.fullmatch(r"[12]\d{9}", sp["text"]):
                        ctx = text[max(0, s - 25):s].upper()
                        if "NPI" in ctx and not luhn_npi(sp["text"]):
                            errors.append(f"{did}: NPI Luhn fails: {sp['text']}")
                if t == "NAME" and re.match(r"(?i)(mr|mrs|ms|miss|dr|smt|shri|sri|prof|mx|late)\.?\s", sp["text"]):
                    errors.append(f"{did}: title inside NAME span: {sp['text']!r}")
                if t == "NAME" and re.search(r"(?i),?\s(md|rn|do|np|mbbs|frcp|phd|pa-c|rph)\.?$", sp["text"]):
                    errors.append(f"{did}: credential inside NAME span: {sp['text']!r}")
                by_type[t] += 1
                chars_by_type[t] += e - s
                for i in range(s, e):
                    covered[i] = True
            # unlabelled repeats
            for sp in spans:
                st = sp["text"]
                if len(st) < 4 or is_exempt(st):
                    continue
                for m in re.finditer(r"(?<![\w])" + re.escape(st) + r"(?![\w])", text):
                    if not any(covered[m.start():m.end()]):
                        errors.append(f"{did}: unlabelled repeat of {st!r} at {m.start()}")
                # also single tokens of multi-word NAME / LOCATION spans
                if sp["type"] in ("NAME", "LOCATION") and " " in st:
                    for tok in re.split(r"[\s,]+", st):
                        tok = tok.strip(".,")
                        if len(tok) < 4 or is_exempt(tok):
                            continue
                        for m in re.finditer(r"(?<![\w])" + re.escape(tok) + r"(?![\w])", text):
                            if not any(covered[m.start():m.end()]):
                                warnings.append(f"{did}: token {tok!r} of {st!r} unlabelled at {m.start()}")
            # word-like names (Grace, May, Will...) are exempt from the repeat check;
            # capitalised unlabelled uses are listed for a human to look at.
            for sp in spans:
                st = sp["text"]
                toks = [st] + [t for t in re.split(r"[\s,]+", st) if t != st] if sp["type"] == "NAME" else []
                for tok in toks:
                    if not (is_exempt(tok) and len(tok) >= 3 and tok[:1].isupper()):
                        continue
                    for m in re.finditer(r"(?<![\w])" + re.escape(tok) + r"(?![\w])", text):
                        if not any(covered[m.start():m.end()]):
                            reviews.append(f"{did}: word-like name {tok!r} unlabelled at {m.start()}: "
                                           f"{text[max(0, m.start() - 30):m.end() + 30]!r}")
            for m in EMAIL_RE.finditer(text):
                if not all(covered[m.start():m.end()]):
                    errors.append(f"{did}: e-mail-shaped text outside a span: {m.group(0)}")
            for m in PHONEISH_RE.finditer(text):
                if not any(covered[m.start():m.end()]):
                    warnings.append(f"{did}: phone/id-shaped digits outside a span: {m.group(0)!r}")
            for m in IP_RE.finditer(text):
                if not any(covered[m.start():m.end()]):
                    warnings.append(f"{did}: IP-shaped text outside a span: {m.group(0)}")
    print(f"documents: {n}   PHI-free: {sum(by_kind_free.values())} "
          f"({100.0 * sum(by_kind_free.values()) / max(n, 1):.1f}%)   spans: {sum(by_type.values())}")
    print("\nspans per type (count, characters):")
    for t in sorted(TYPES, key=lambda x: -by_type[x]):
        print(f"  {t:12s} {by_type[t]:6d} {chars_by_type[t]:8d}")
    print("\ndocuments per kind (total / PHI-free):")
    for k in sorted(by_kind):
        print(f"  {k:22s} {by_kind[k]:5d} / {by_kind_free[k]:3d}")
    print("\ndocuments per locale (total / PHI-free):")
    for loc in LOCALES:
        print(f"  {loc:6s} {by_locale[loc]:5d} / {by_locale_free[loc]:3d}")
    for r in reviews:
        print("REVIEW:", r)
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"\n{len(errors)} errors, {len(warnings)} warnings")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main(*sys.argv[1:])
