"""Structural check of the third blind PHI corpus (not a scorer: it never runs a detector).

Checks every span's text against the document, span order and overlap, allowed types, id
uniqueness across both files and no shared documents between dev and test; prints counts.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = {
    "NAME",
    "ADDRESS",
    "LOCATION",
    "ZIP",
    "DATE",
    "AGE",
    "PHONE",
    "EMAIL",
    "SSN",
    "MRN",
    "HEALTH_PLAN",
    "ACCOUNT",
    "LICENSE",
    "VEHICLE",
    "DEVICE",
    "URL",
    "IP",
    "BIOMETRIC",
    "ID",
    "FACILITY",
}
KEYS = ["id", "kind", "locale", "text", "spans"]


def main() -> int:
    ids: set[str] = set()
    texts: dict[str, str] = {}
    errors = 0
    for name, min_docs, min_clean in (("dev", 300, 90), ("test", 800, 240)):
        docs = [
            json.loads(line) for line in (HERE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        for d in docs:
            if list(d) != KEYS:
                print("bad keys", d.get("id"))
                errors += 1
            if d["id"] in ids:
                print("duplicate id", d["id"])
                errors += 1
            ids.add(d["id"])
            if d["text"] in texts:
                print("shared document", d["id"], texts[d["text"]])
                errors += 1
            texts[d["text"]] = d["id"]
            prev_end = 0
            for s in d["spans"]:
                if list(s) != ["start", "end", "type", "text"] or s["type"] not in TYPES:
                    print("bad span", d["id"], s)
                    errors += 1
                if (
                    d["text"][s["start"] : s["end"]] != s["text"]
                    or s["text"] != s["text"].strip()
                    or not s["text"]
                ):
                    print("span text mismatch", d["id"], s)
                    errors += 1
                if s["start"] < prev_end:
                    print("overlap/unsorted", d["id"], s)
                    errors += 1
                prev_end = s["end"]
        clean = sum(not d["spans"] for d in docs)
        types = Counter(s["type"] for d in docs for s in d["spans"])
        print(
            f"{name}: {len(docs)} docs, {clean} PHI-free, {sum(types.values())} spans, {len(types)} types present"
        )
        print("  kinds:", dict(sorted(Counter(d["kind"] for d in docs).items())))
        print("  locales:", dict(sorted(Counter(d["locale"] for d in docs).items())))
        print("  types:", dict(sorted(types.items())))
        if len(docs) < min_docs or clean < min_clean or len(types) != len(TYPES):
            print("  below the required counts")
            errors += 1
    print("OK" if not errors else f"{errors} ERRORS")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
