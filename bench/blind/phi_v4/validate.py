#!/usr/bin/env python3
"""Checks test.jsonl (format, offsets, sorting, overlaps, types, ids, counts). Not a scorer."""
import collections
import json
import re
import sys

TYPES = {"NAME", "ADDRESS", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN",
         "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC",
         "ID", "FACILITY"}
KINDS = {"discharge_summary", "nursing_note", "progress_note", "history_physical",
         "ems_run_report", "pharmacy_log", "referral_letter", "lab_report", "radiology_report",
         "csv_export", "json_export", "hl7_message", "email", "portal_message",
         "call_transcript", "incident_report", "consent_form"}
LOCALES = {"en_US", "en_GB", "en_CA", "en_AU", "en_IN"}
ALWAYS_PHI = {"referral_letter", "hl7_message", "email", "portal_message", "call_transcript"}
WORDLIKE = {"may", "will", "grace", "hope", "rose", "june", "mark", "ray", "faith", "joy",
            "dawn", "art", "bill", "sunny", "summer", "april", "august", "orange", "sale",
            "reading", "bath", "deal", "march", "sandy", "rusty", "pat", "frank", "gay",
            "ivy", "holly", "penny", "robin", "jean", "carol", "hazel", "cliff", "drew"}
TOK = r"A-Za-z0-9\u00C0-\u024F"


def main(path="test.jsonl"):
    errors = []
    ids = set()
    n_docs = n_nophi = 0
    by_type, by_kind, by_loc = collections.Counter(), collections.Counter(), collections.Counter()
    docs_kind, docs_loc, nophi_kind = collections.Counter(), collections.Counter(), collections.Counter()
    upper = lower = 0
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            d = json.loads(line)
            if set(d) != {"id", "kind", "locale", "text", "spans"}:
                errors.append(f"line {ln}: fields {sorted(d)}")
            did = d["id"]
            if not did.startswith("v4-"):
                errors.append(f"{did}: id prefix")
            if did in ids:
                errors.append(f"{did}: duplicate id")
            ids.add(did)
            if d["kind"] not in KINDS:
                errors.append(f"{did}: kind {d['kind']}")
            if d["locale"] not in LOCALES:
                errors.append(f"{did}: locale {d['locale']}")
            text, spans = d["text"], d["spans"]
            prev_end = 0
            for sp in spans:
                if set(sp) != {"start", "end", "type", "text"}:
                    errors.append(f"{did}: span fields {sorted(sp)}")
                if sp["type"] not in TYPES:
                    errors.append(f"{did}: type {sp['type']}")
                if not (0 <= sp["start"] < sp["end"] <= len(text)):
                    errors.append(f"{did}: bad offsets {sp}")
                if sp["start"] < prev_end:
                    errors.append(f"{did}: unsorted/overlap at {sp}")
                if text[sp["start"]:sp["end"]] != sp["text"]:
                    errors.append(f"{did}: text mismatch {sp}")
                if sp["text"] != sp["text"].strip():
                    errors.append(f"{did}: edge whitespace {sp}")
                if sp["type"] == "AGE" and sp["text"].isdigit() and int(sp["text"]) <= 89:
                    errors.append(f"{did}: AGE <= 89 {sp}")
                prev_end = sp["end"]
                by_type[sp["type"]] += 1
                by_kind[d["kind"]] += 1
                by_loc[d["locale"]] += 1
            # unlabelled repeat of a labelled string (>= 4 chars; NAME words too)
            masked = list(text)
            for sp in spans:
                masked[sp["start"]:sp["end"]] = "\x00" * (sp["end"] - sp["start"])
            masked = "".join(masked)
            cands = {sp["text"] for sp in spans}
            for sp in spans:
                if sp["type"] == "NAME":
                    cands.update(re.split(r"[\s,^.]+", sp["text"]))
            for c in cands:
                if len(c) >= 4 and c.lower() not in WORDLIKE:
                    if re.search(rf"(?<![{TOK}]){re.escape(c)}(?![{TOK}])", masked, re.I):
                        errors.append(f"{did}: unlabelled repeat of {c!r}")
            n_docs += 1
            docs_kind[d["kind"]] += 1
            docs_loc[d["locale"]] += 1
            if not spans:
                n_nophi += 1
                nophi_kind[d["kind"]] += 1
                if d["kind"] in ALWAYS_PHI:
                    errors.append(f"{did}: PHI-free doc of an always-PHI kind")
            letters = [ch for ch in text if ch.isalpha()]
            if letters and all(ch.isupper() for ch in letters):
                upper += 1
            elif letters and all(not ch.isupper() for ch in letters):
                lower += 1
    if set(docs_kind) != KINDS:
        errors.append(f"missing kinds: {KINDS - set(docs_kind)}")
    if set(docs_loc) != LOCALES:
        errors.append(f"missing locales: {LOCALES - set(docs_loc)}")
    if n_nophi < 200:
        errors.append(f"only {n_nophi} PHI-free documents")
    print(f"documents: {n_docs}   PHI-free: {n_nophi}   with PHI: {n_docs - n_nophi}   spans: {sum(by_type.values())}")
    print(f"fully upper-case documents: {upper}   fully lower-case documents: {lower}")
    print("\nspans per type:")
    for t in sorted(TYPES, key=lambda t: -by_type[t]):
        print(f"  {t:12s} {by_type[t]:6d}")
    print("\nper kind: documents / PHI-free / spans")
    for k in sorted(KINDS):
        print(f"  {k:18s} {docs_kind[k]:4d} {nophi_kind[k]:4d} {by_kind[k]:6d}")
    print("\nper locale: documents / spans")
    for l in sorted(LOCALES):
        print(f"  {l:6s} {docs_loc[l]:4d} {by_loc[l]:6d}")
    if errors:
        print(f"\n{len(errors)} ERRORS")
        for e in errors[:50]:
            print("  " + e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
