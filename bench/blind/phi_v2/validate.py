"""Independent format check of test.jsonl (no detector, no scorer): spans, overlaps, ids, counts."""
import json
import os
import sys
from collections import Counter

TYPES = {"NAME", "ADDRESS", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN", "HEALTH_PLAN",
         "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC", "ID", "FACILITY"}


def main(path):
    ids = set()
    n = nophi = nspans = 0
    types = Counter()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            assert set(o) == {"id", "kind", "locale", "text", "spans"}, o.keys()
            assert o["id"] not in ids, o["id"]
            ids.add(o["id"])
            last = 0
            for s in o["spans"]:
                assert set(s) == {"start", "end", "type", "text"}
                assert s["type"] in TYPES, s
                assert 0 <= s["start"] < s["end"] <= len(o["text"]), s
                assert o["text"][s["start"]:s["end"]] == s["text"], (o["id"], s)
                assert s["start"] >= last, ("overlap/unsorted", o["id"], s)
                last = s["end"]
                types[s["type"]] += 1
            n += 1
            nspans += len(o["spans"])
            nophi += not o["spans"]
    print(f"OK: {n} documents, {nspans} spans, {nophi} without PHI, {len(types)} types used")
    missing = TYPES - set(types)
    assert not missing, missing


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "test.jsonl"))
